package doctor

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDoctorGivesTheChmodForAConfigOthersCanWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[zoom]\naccount_id = \"a\"\nclient_id = \"b\"\nclient_secret = \"c\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HEADSHOT_ZOOM_RATEE", "5/s")
	fs := Run(context.Background(), Options{ConfigPath: path, Timeout: time.Second,
		Getenv:       env(map[string]string{"TERM": "xterm-256color"}),
		TerminalSize: func() (int, int, bool) { return 80, 24, true }})
	var out bytes.Buffer
	if n := Print(&out, fs); n == 0 {
		t.Fatalf("no failure:\n%s", out.String())
	}
	for _, want := range []string{"writable by group and others", "chmod 600 " + path} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	// Fixed: the config loads, and the unknown variable is named.
	os.Chmod(path, 0o600)
	fs = Run(context.Background(), Options{ConfigPath: path, Timeout: time.Second,
		Getenv:       env(map[string]string{"TERM": "xterm-256color"}),
		TerminalSize: func() (int, int, bool) { return 80, 24, true }})
	out.Reset()
	Print(&out, fs)
	if !strings.Contains(out.String(), "HEADSHOT_ZOOM_RATEE is not a headshot setting") || !strings.Contains(out.String(), "HEADSHOT_ZOOM_RATE?") {
		t.Errorf("unknown variable not reported:\n%s", out.String())
	}
}
