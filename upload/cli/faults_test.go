package cli

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/sandbox"
)

// faultySandbox serves a sandbox with faults and returns a config for it.
func faultySandbox(t *testing.T, f sandbox.Faults) (*sandbox.Sandbox, *config.Config) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(20), Faults: f})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	return sb, config.FromSandbox(sb.Credentials())
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
	if code := runUpload(ecfg, jobs, "", &out, &errb); code != 0 {
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
	cfg.Netex.Token = "not-the-token"
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
