package doctor

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/google"
	"headshot/upload/m365"
	"headshot/upload/netex"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDoctorAllGood(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	cfg.Journal = filepath.Join(t.TempDir(), "state", "journal.db")
	for _, p := range cfg.Platforms() {
		if !config.Supported(p) {
			cfg.Disable(p) // its client package is not in this build yet
		}
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	fs := Run(context.Background(), Options{ConfigPath: path, Timeout: 10 * time.Second,
		Getenv:       env(map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}),
		TerminalSize: func() (int, int, bool) { return 120, 40, true }})
	var out bytes.Buffer
	if n := Print(&out, fs); n != 0 {
		t.Fatalf("%d failures:\n%s", n, out.String())
	}
	for _, want := range []string{"Zoom: connected", "journal.db (will be created)", "size 120x40", "All good."} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("report lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(cfg.Journal); err == nil {
		t.Fatal("doctor created the journal")
	}
}

func TestDoctorFindsProblems(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	config.Settings[zoom.Config](cfg, upload.Zoom).ClientSecret = "wrong-secret"
	config.Settings[netex.Config](cfg, upload.Netex).BaseURL = "http://127.0.0.1:1" // nothing listens
	cfg.Journal = t.TempDir()                                                       // a folder, not a file
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	fs := Run(context.Background(), Options{ConfigPath: path, Timeout: 5 * time.Second,
		Getenv:       env(map[string]string{"TERM": "dumb", "NO_COLOR": "1", "TMUX": "/tmp/tmux"}),
		TerminalSize: func() (int, int, bool) { return 70, 20, true }})
	var out bytes.Buffer
	n := Print(&out, fs)
	s := out.String()
	for _, want := range []string{"Zoom: credentials refused", "re-enter the credentials", "Netex learningCloud: cannot reach",
		"journal path is a folder", "make the window at least 80x24", "chmod 600", "inside tmux"} {
		if !strings.Contains(s, want) {
			t.Fatalf("report lacks %q:\n%s", want, s)
		}
	}
	if n < 4 {
		t.Fatalf("only %d failures:\n%s", n, s)
	}
	if strings.Contains(s, "wrong-secret") {
		t.Fatal("secret printed")
	}
}

func TestDoctorNoConfig(t *testing.T) {
	fs := Run(context.Background(), Options{ConfigPath: filepath.Join(t.TempDir(), "none.toml"),
		Getenv: env(map[string]string{"TERM": "xterm"})})
	var out bytes.Buffer
	if Print(&out, fs) == 0 || !strings.Contains(out.String(), "run `headshot setup`") {
		t.Fatalf("missing config not reported:\n%s", out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("[zoom]\nrate = \"x\"\n"), 0o600)
	out.Reset()
	Print(&out, Run(context.Background(), Options{ConfigPath: bad, Getenv: env(nil)}))
	if !strings.Contains(out.String(), "bad.toml:2: [zoom] rate") {
		t.Fatalf("bad config not named:\n%s", out.String())
	}
}

// Google's key file is checked like the config file: readable by others,
// the connection still works but doctor warns and gives the chmod; at 0600
// it is all good. Microsoft 365 and Google Workspace connect against the
// sandbox like the others.
func TestDoctorGoogleKeyFileMode(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	defer sb.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	for _, p := range cfg.Platforms() {
		if p != google.Platform && p != m365.Platform {
			cfg.Disable(p)
		}
	}
	cfg.Journal = filepath.Join(t.TempDir(), "journal.db")
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	keyFile := config.Settings[google.Config](cfg, google.Platform).CredentialsFile
	run := func() (string, Finding) {
		fs := Run(context.Background(), Options{ConfigPath: path, Timeout: 10 * time.Second,
			Getenv:       env(map[string]string{"TERM": "xterm-256color"}),
			TerminalSize: func() (int, int, bool) { return 80, 24, true }})
		var out bytes.Buffer
		Print(&out, fs)
		for _, f := range fs {
			if f.Area == "google" {
				return out.String(), f
			}
		}
		t.Fatalf("no google finding:\n%s", out.String())
		return "", Finding{}
	}
	out, f := run()
	if f.Level != OK || !strings.Contains(out, "Microsoft 365: connected") || !strings.Contains(out, "Google Workspace: connected") {
		t.Fatalf("0600 key: %+v\n%s", f, out)
	}
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	out, f = run()
	if f.Level != Warn || !strings.Contains(f.Fix, "chmod 600") || !strings.Contains(out, "Google Workspace: connected") {
		t.Fatalf("0644 key: %+v\n%s", f, out)
	}
}
