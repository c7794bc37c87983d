package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/journal"
)

const crashChildEnv = "HEADSHOT_ENGINE_CRASH_CHILD"

// fastCount people of the crash test are answered at once; the rest hang
// until the process dies.
const fastCount = 4

// slowFake answers the first fastCount people and hangs on the others.
type slowFake struct{ *fakeClient }

func (s slowFake) Upload(ctx context.Context, t upload.Target, ph upload.Photo) (upload.Receipt, error) {
	var idx int
	fmt.Sscanf(t.Person, "p%03d@", &idx)
	if idx >= fastCount {
		s.mu.Lock()
		s.batches++ // counts hanging requests
		s.mu.Unlock()
		<-ctx.Done()
		return upload.Receipt{}, &upload.Error{Platform: s.p, Class: upload.ClassCanceled, Err: ctx.Err()}
	}
	return s.fakeClient.Upload(ctx, t, ph)
}

// TestMain lets the crash test re-execute this binary as the child that
// gets killed.
func TestMain(m *testing.M) {
	if spec := os.Getenv(crashChildEnv); spec != "" {
		os.Exit(crashChild(spec))
	}
	os.Exit(m.Run())
}

// crashChild runs an engine over the photos in dir against a fake that
// hangs, prints READY once the fast ones are uploaded and the slow ones are
// in flight, and waits to be killed.
func crashChild(spec string) int {
	jpath, dir, _ := strings.Cut(spec, "|")
	j, err := journal.Open(jpath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	sort.Strings(files)
	var jobs []Job
	for _, f := range files {
		jobs = append(jobs, Job{Path: f, Person: strings.TrimSuffix(filepath.Base(f), ".jpg")})
	}
	fc := slowFake{newFake(upload.Zoom, 1000)}
	fc.lim.Concurrency = 2
	fp := &fakePrep{}
	cfg := testConfig(fp, fc)
	cfg.Journal = j
	e, err := New(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	e.Start(context.Background())
	e.Submit(jobs...)
	for {
		st := statsOf(e, upload.Zoom)
		if st.Done == fastCount {
			// The two hanging ones are "uploading" in the journal once
			// their request was made.
			fc.mu.Lock()
			hanging := fc.batches
			fc.mu.Unlock()
			if hanging >= 2 {
				fmt.Println("READY")
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(time.Hour) // killed here
	return 0
}

func TestKill9LosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	jpath := filepath.Join(t.TempDir(), "journal.db")
	jobs := photos(t, 8)
	dir := filepath.Dir(jobs[0].Path)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+jpath+"|"+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "READY" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("child ended before READY")
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child never got ready")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	j, err := journal.Open(jpath)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	all, err := j.All()
	if err != nil {
		t.Fatal(err)
	}
	states := map[journal.State]int{}
	for _, en := range all {
		states[en.State]++
	}
	if states[journal.StateUploaded] != fastCount || states[journal.StateInterrupted] != 2 || states[journal.StateUploading] != 0 {
		t.Fatalf("journal after kill -9: %v, want %d uploaded and 2 interrupted", states, fastCount)
	}

	// The next run sends everything not uploaded, and nothing that was.
	zoom := newFake(upload.Zoom, 1000)
	cfg := testConfig(&fakePrep{}, zoom)
	cfg.Journal = j
	e, c := runAll(t, cfg, jobs)
	for i, jb := range jobs {
		want := 1
		if i < fastCount {
			want = 0
		}
		if got := zoom.uploadsOf(jb.Person); got != want {
			t.Errorf("%s sent %d times on the re-run, want %d", jb.Person, got, want)
		}
	}
	if c.count(EventSkipped, upload.Zoom) != fastCount || itemsIn(e, "uploaded") != len(jobs)-fastCount {
		t.Errorf("re-run: %d skipped, %d uploaded", c.count(EventSkipped, upload.Zoom), itemsIn(e, "uploaded"))
	}
}
