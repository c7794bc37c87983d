package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"headshot/upload"
	"headshot/upload/journal"
)

// cliChildEnv makes the test binary run `headshot upload` with the
// childRun (JSON) it holds, so a test can run it under a shell's ulimit.
const cliChildEnv = "HEADSHOT_CLI_CHILD_ARGS"

type childRun struct {
	Options UploadOptions
	Paths   []string
}

func TestMain(m *testing.M) {
	if len(os.Args) == 5 && os.Args[1] == "bench" && os.Args[2] == "faults" && os.Args[3] == "--child-run" {
		// The kill9 scenario's child run (see TestFaultCampaign).
		os.Exit(FaultChild(os.Args[4], os.Stderr))
	}
	if spec := os.Getenv(cliChildEnv); spec != "" {
		var c childRun
		if err := json.Unmarshal([]byte(spec), &c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(Upload(c.Options, c.Paths, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// `headshot history` in a second pane while the TUI or an upload holds
// the journal.
func TestHistoryWhileJournalIsHeld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Put(journal.Entry{Person: "jane@example.com", Platform: upload.Zoom, State: journal.StateUploaded, Path: "/p/jane.jpg"}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := History(HistoryOptions{Journal: path}, &out, &errb); code != 0 {
		t.Fatalf("history while the journal is held: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "jane@example.com") || !strings.Contains(out.String(), "uploaded") {
		t.Errorf("history does not show the held journal's entry:\n%s", out.String())
	}
	// And what the writer records next shows on the next look.
	if err := j.Put(journal.Entry{Person: "john@example.com", Platform: upload.Igloo, State: journal.StateFailed, LastError: "HTTP 413"}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	History(HistoryOptions{Journal: path}, &out, &errb)
	if !strings.Contains(out.String(), "john@example.com") {
		t.Errorf("history misses a record written since:\n%s", out.String())
	}
}

// A damaged journal: upload warns, keeps the file aside and sends; history
// reads what it can; nothing panics.
func TestUploadWithDamagedJournal(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	for _, n := range []string{"staff001@example.com.jpg", "staff002@example.com.jpg", "staff003@example.com.jpg"} {
		writePhoto(t, dir, n)
	}
	jpath := filepath.Join(t.TempDir(), "journal.db")
	opts := UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "zoom"}
	var out, errb bytes.Buffer
	if code := Upload(opts, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	data, _ := os.ReadFile(jpath)
	data[len(data)-30] ^= 0x01 // one record's bit flipped
	if err := os.WriteFile(jpath, data, 0o600); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	errb.Reset()
	if code := History(HistoryOptions{Journal: jpath}, &out, &errb); code != 0 {
		t.Fatalf("history of a damaged journal: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "damaged") || strings.Count(out.String(), "@example.com  zoom") != 3 {
		t.Errorf("history of a damaged journal:\n%s\n%s", out.String(), errb.String())
	}

	out.Reset()
	errb.Reset()
	if code := Upload(opts, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("run on a damaged journal: exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"warning", "damaged", "journal.db.damaged-", "up to 1 photo(s)", "sent again"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("warning lacks %q: %s", want, errb.String())
		}
	}
	if aside, _ := filepath.Glob(jpath + ".damaged-*"); len(aside) != 1 {
		t.Errorf("damaged file not kept aside: %v", aside)
	}
	// Two were still known as sent; the damaged one was sent again.
	if n := len(sb.Received()); n != 4 {
		t.Errorf("sandbox received %d photos over both runs, want 3 + 1", n)
	}
}

// A journal that cannot be written (here the file-size limit, as a full
// disk) fails the run: the summary says so and the exit status is 1.
func TestJournalWriteFailureFailsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	_, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	for i := 1; i <= 12; i++ {
		writePhoto(t, dir, fmt.Sprintf("staff%03d@example.com.jpg", i))
	}
	jpath := filepath.Join(t.TempDir(), "journal.db")
	spec, _ := json.Marshal(childRun{UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "zoom,netex"}, []string{dir}})
	// ulimit -f counts 512-byte blocks in POSIX sh: 8 KB of journal.
	cmd := exec.Command("/bin/sh", "-c", `ulimit -f 16 && exec "$0"`, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), cliChildEnv+"="+string(spec))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if code != 1 {
		t.Fatalf("exit %d (%v), want 1\n%s\n%s", code, err, out.String(), errb.String())
	}
	s := out.String()
	if !strings.Contains(s, "journal   FAILED") || !strings.Contains(s, "could not be written") || !strings.Contains(s, "send those photos again") {
		t.Errorf("summary does not say the journal failed:\n%s", s)
	}
	if n := strings.Count(s, "journal write failed"); n != 1 {
		t.Errorf("%d 'journal write failed' lines, want 1", n)
	}
	// What was recorded is sound.
	r, err := journal.OpenReadOnly(jpath)
	if err != nil {
		t.Fatal(err)
	}
	if r.Damage() != nil {
		t.Errorf("journal damaged by the failed writes: %+v", r.Damage())
	}
}

func TestUploadRefusesWithoutFreeSpace(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	jpath := filepath.Join(t.TempDir(), "journal.db")
	var asked int
	checkSpace = func(path string, records int) error {
		asked = records
		return journal.CheckSpace(path, 1<<50) // as on a full disk
	}
	defer func() { checkSpace = journal.CheckSpace }()
	var out, errb bytes.Buffer
	code := Upload(UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "zoom,netex"}, []string{dir}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out.String(), errb.String())
	}
	if asked != 4 {
		t.Errorf("space asked for %d records, want 1 photo x 2 platforms x 2", asked)
	}
	if !strings.Contains(errb.String(), "free on the disk holding the journal") {
		t.Errorf("stderr: %s", errb.String())
	}
	if n := len(sb.Received()); n != 0 {
		t.Errorf("%d photos sent with no room to record them", n)
	}
}

// --report replaces a symbolic link at its path instead of writing through
// it, and leaves no temporary file.
func TestReportDoesNotFollowSymlinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "out.csv")
	if err := os.Symlink(victim, report); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(report, []reportRow{{Person: "jane", Platform: "zoom", State: "uploaded"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the link's target was overwritten: %q", b)
	}
	st, err := os.Lstat(report)
	if err != nil || st.Mode()&os.ModeSymlink != 0 {
		t.Fatalf("report is still a link (%v)", err)
	}
	if b, _ := os.ReadFile(report); !strings.Contains(string(b), "jane") {
		t.Errorf("report: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".out.csv.tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := writeReport(dir, nil); err == nil {
		t.Error("a folder as report path accepted")
	}
}
