package app

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

func TestDoctorExitStatus(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("TERM", "xterm-256color")
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	cfg.Disable("interact") // keep its 6/min budget out of this test
	cfg.Journal = filepath.Join(t.TempDir(), "j.db")
	good := filepath.Join(t.TempDir(), "good.toml")
	if err := cfg.Save(good); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if rc := Doctor(Globals{Config: good}, DoctorOptions{Timeout: 15 * time.Second, ShowConfig: true}, &out, &errb); rc != 0 {
		t.Fatalf("rc %d\n%s%s", rc, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "client_secret = (set)") || strings.Contains(out.String(), sandbox.ZoomClientSecret) {
		t.Fatalf("show-config:\n%s", out.String())
	}
	config.Settings[zoom.Config](cfg, upload.Zoom).ClientSecret = "nope"
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := cfg.Save(bad); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if rc := Doctor(Globals{Config: bad}, DoctorOptions{Timeout: 15 * time.Second}, &out, &errb); rc != 1 || !strings.Contains(out.String(), "Zoom: credentials refused") {
		t.Fatalf("rc %d\n%s", rc, out.String())
	}
}

func TestSetupRefusesUnreadableConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[zoom]\nclient_secret = \"keep-me\"\nrate = \"twenty\"\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if rc := Setup(Globals{Config: path}, &out, &errb); rc != 1 {
		t.Fatalf("rc %d", rc)
	}
	if !strings.Contains(errb.String(), ":3: [zoom] rate") || strings.Contains(errb.String(), "keep-me") {
		t.Fatalf("stderr: %s", errb.String())
	}
	if data, _ := os.ReadFile(path); string(data) != body {
		t.Fatal("setup changed a file it could not read")
	}
}
