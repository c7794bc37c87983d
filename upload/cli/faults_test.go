package cli

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/netex"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

// faultySandbox serves a sandbox with faults and returns a config for it.
func faultySandbox(t *testing.T, f sandbox.Faults) (*sandbox.Sandbox, *config.Config) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(80), Faults: f})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	return sb, config.FromValues(sb.Credentials())
}

func jobsFor(t *testing.T, n int) []engine.Job {
	dir := t.TempDir()
	var jobs []engine.Job
	for i := 1; i <= n; i++ {
		name := "staff" + string(rune('0'+i/100)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10)) + "@example.com.jpg"
		p := writePhoto(t, dir, name)
		jobs = append(jobs, engine.Job{Path: p, Person: personOf(p)})
	}
	return jobs
}

func TestUploadThroughServerFaultsNoDuplicates(t *testing.T) {
	sb, cfg := faultySandbox(t, sandbox.Faults{FailureRate: 0.3, ResetRate: 0.1, Seed: 7})
	var clients []upload.Client
	for _, p := range []upload.Platform{upload.Zoom, upload.Netex} {
		c, err := cfg.Client(p)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	jobs := jobsFor(t, 6)
	var out, errb bytes.Buffer
	ecfg := engine.Config{Clients: clients, Prep: cfg.PrepOptions(), Backoff: 20 * time.Millisecond, MaxAttempts: 12}
	if code := runUploadWith(ecfg, jobs, runOptions{verbose: true}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	seen := map[string]int{}
	for _, r := range sb.Received() {
		seen[r.Platform+"/"+r.User]++
	}
	if len(seen) != 12 {
		t.Errorf("%d photos stored, want 12", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s stored %d times", k, n)
		}
	}
	if !strings.Contains(out.String(), "retrying") {
		t.Error("no retries printed despite injected 5xx and resets")
	}
}

func TestBadCredentialsPauseOnePlatformExit1(t *testing.T) {
	sb, cfg := faultySandbox(t, sandbox.Faults{})
	config.Settings[netex.Config](cfg, upload.Netex).Token = "not-the-token"
	var clients []upload.Client
	for _, p := range []upload.Platform{upload.Zoom, upload.Netex} {
		c, err := cfg.Client(p)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	jobs := jobsFor(t, 3)
	report := filepath.Join(t.TempDir(), "r.json")
	var out, errb bytes.Buffer
	code := runUpload(engine.Config{Clients: clients, Prep: cfg.PrepOptions()}, jobs, report, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out.String())
	}
	if n := len(sb.ReceivedBy("zoom")); n != 3 {
		t.Errorf("zoom stored %d, want 3: the other platform carries on", n)
	}
	s := out.String()
	if !strings.Contains(s, "netex     paused: credentials refused") || !strings.Contains(s, "3 not sent") {
		t.Errorf("summary does not say netex was paused for its credentials:\n%s", s)
	}
	if strings.Contains(s, "not-the-token") {
		t.Error("the token was printed")
	}
}

func TestRealSandbox429sHandledWithoutDuplicates(t *testing.T) {
	for _, noRetryAfter := range []bool{false, true} {
		sb, cfg := faultySandbox(t, sandbox.Faults{No429RetryAfter: noRetryAfter})
		config.Settings[zoom.Config](cfg, upload.Zoom).Rate = upload.Rate{N: 60, Per: time.Second} // three times what the sandbox allows: 429s follow
		c, err := cfg.Client(upload.Zoom)
		if err != nil {
			t.Fatal(err)
		}
		var jobs []engine.Job
		dir := t.TempDir()
		for i := 1; i <= 20; i++ {
			name := fmt.Sprintf("staff%03d@example.com.jpg", i)
			p := writeSmallPhoto(t, dir, name)
			jobs = append(jobs, engine.Job{Path: p, Person: personOf(p)})
		}
		e, err := engine.New(engine.Config{Clients: []upload.Client{c}, Prepare: rawPhoto, Backoff: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		throttled := 0
		done := make(chan struct{})
		go func() {
			defer close(done)
			for ev := range e.Events() {
				if ev.Kind == engine.EventThrottled {
					throttled++
				}
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		e.Start(ctx)
		e.Submit(jobs...)
		// A second wave after the first has used the burst.
		if err := e.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		more := jobsFor(t, 0)
		for i := 21; i <= 60; i++ {
			p := writeSmallPhoto(t, dir, fmt.Sprintf("staff%03d@example.com.jpg", i))
			more = append(more, engine.Job{Path: p, Person: personOf(p)})
		}
		e.Submit(more...)
		if err := e.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		st := e.Snapshot()[0]
		e.Close()
		cancel()
		<-done
		if st.Done != 60 || st.Failed != 0 {
			t.Errorf("noRetryAfter=%v: %d done, %d failed; want 60 and 0", noRetryAfter, st.Done, st.Failed)
		}
		if st.Throttles == 0 || throttled == 0 {
			t.Errorf("noRetryAfter=%v: no 429s at three times the sandbox's rate", noRetryAfter)
		}
		seen := map[string]int{}
		for _, r := range sb.ReceivedBy("zoom") {
			seen[r.User]++
		}
		if len(seen) != 60 {
			t.Errorf("noRetryAfter=%v: %d users stored, want 60", noRetryAfter, len(seen))
		}
		for u, n := range seen {
			if n != 1 {
				t.Errorf("%s stored %d times", u, n)
			}
		}
	}
}

// rawPhoto "prepares" a photo by sending the file as it is (the photos
// these tests write are already small JPEGs), keeping the tests about
// pacing rather than image work.
// writeSmallPhoto writes a small generated JPEG (a few KB) for tests that
// send raw files (rawPhoto: no review gate) and need many requests a second.
func writeSmallPhoto(t testing.TB, dir, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 320))
	for y := 0; y < 320; y++ {
		for x := 0; x < 320; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(len(name) * 9), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func rawPhoto(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return &imageprep.Result{Data: data, Format: imageprep.JPEG, Width: 320, Height: 320}, nil
}
