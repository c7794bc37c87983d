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
