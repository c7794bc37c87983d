package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const zoomFile = `[zoom]
account_id = "acc"
client_id = "cid"
client_secret = "s3cret-value"
`

func writeConfig(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// As ssh refuses a key others can write: a config others can change could
// send every secret elsewhere.
func TestConfigWritableByOthersRefused(t *testing.T) {
	for _, mode := range []os.FileMode{0o666, 0o620, 0o602, 0o660} {
		path := writeConfig(t, zoomFile, mode)
		_, err := Load(path)
		var pe *PermError
		if !errors.As(err, &pe) {
			t.Errorf("mode %04o: Load = %v, want a PermError", mode, err)
			continue
		}
		if !strings.Contains(err.Error(), "chmod 600 "+path) || !strings.Contains(err.Error(), "writable by") {
			t.Errorf("mode %04o: %v", mode, err)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the secret: %v", err)
		}
	}
}

func TestConfigReadableByOthersWarned(t *testing.T) {
	c, err := Load(writeConfig(t, zoomFile, 0o644))
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(c.Warnings(), "\n"); !strings.Contains(w, "readable by others") || !strings.Contains(w, "chmod 600") {
		t.Errorf("warnings = %q", w)
	}
	c, err = Load(writeConfig(t, zoomFile, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range c.Warnings() {
		if strings.Contains(w, "readable") {
			t.Errorf("0600 file warned: %s", w)
		}
	}
}

func TestPlainHTTPRefusedUnlessAllowed(t *testing.T) {
	remote := zoomFile + "base_url = \"http://api.example.com/v2\"\n"
	_, err := Load(writeConfig(t, remote, 0o600))
	if err == nil || !strings.Contains(err.Error(), "[zoom] base_url") || !strings.Contains(err.Error(), "clear text") ||
		!strings.Contains(err.Error(), "allow_http = true") || !strings.Contains(err.Error(), "api.example.com") {
		t.Fatalf("http to a remote host: %v", err)
	}
	if _, err := Load(writeConfig(t, "allow_http = true\n"+remote, 0o600)); err != nil {
		t.Errorf("allow_http = true: %v", err)
	}
	for _, local := range []string{"http://127.0.0.1:8080/v2", "http://localhost:9/v2", "http://[::1]:80/v2", "https://api.example.com/v2"} {
		if _, err := Load(writeConfig(t, zoomFile+"base_url = \""+local+"\"\n", 0o600)); err != nil {
			t.Errorf("%s refused: %v", local, err)
		}
	}
	// The environment is checked too.
	t.Setenv("HEADSHOT_ZOOM_TOKEN_URL", "http://evil.example.net/token")
	_, err = Load(writeConfig(t, zoomFile, 0o600))
	if err == nil || !strings.Contains(err.Error(), "HEADSHOT_ZOOM_TOKEN_URL") {
		t.Errorf("http from the environment: %v", err)
	}
}

func TestAllowHTTPRoundTrips(t *testing.T) {
	path := writeConfig(t, "allow_http = true\n"+zoomFile+"base_url = \"http://10.0.0.5/v2\"\n", 0o600)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Errorf("saved config no longer loads: %v", err)
	}
}

func TestUnknownHeadshotVariableWarned(t *testing.T) {
	t.Setenv("HEADSHOT_ZOOM_CLIENT_SECRT", "x")
	t.Setenv("HEADSHOT_NOTHING_LIKE_IT", "y")
	t.Setenv("HEADSHOT_ZOOM_CLIENT_SECRET", "z") // known: no warning
	c, err := Load(writeConfig(t, zoomFile, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(c.Warnings(), "\n")
	if !strings.Contains(w, "HEADSHOT_ZOOM_CLIENT_SECRT is not a headshot setting") || !strings.Contains(w, "did you mean HEADSHOT_ZOOM_CLIENT_SECRET?") {
		t.Errorf("typo not warned with a suggestion: %q", w)
	}
	if !strings.Contains(w, "HEADSHOT_NOTHING_LIKE_IT is not a headshot setting and is ignored") {
		t.Errorf("unknown variable not warned: %q", w)
	}
	if strings.Contains(w, "HEADSHOT_ZOOM_CLIENT_SECRET is") || strings.Contains(w, "=z") {
		t.Errorf("known variable warned, or a value shown: %q", w)
	}
}
