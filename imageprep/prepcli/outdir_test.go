package prepcli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -o naming a file (or a folder under one) is bad usage, exit 2, with one
// line saying which path is the file; nothing is prepared.
func TestPrepOutputFolderIsAFile(t *testing.T) {
	dir := t.TempDir()
	src := photo(t, dir, "a.jpg", 64, 64)
	file := filepath.Join(dir, "out")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{file, filepath.Join(file, "sub")} {
		var stdout, stderr bytes.Buffer
		code := Run(Options{Out: out, Crop: "center", Format: "jpeg", Jobs: 2}, []string{src}, &stdout, &stderr)
		msg := stderr.String()
		if code != 2 {
			t.Errorf("-o %s: exit %d, want 2 (%s)", out, code, msg)
		}
		if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, file+" is a file, not a folder") {
			t.Errorf("-o %s: message %q", out, msg)
		}
	}
	if data, _ := os.ReadFile(file); string(data) != "x" {
		t.Error("the file named by -o was changed")
	}
}
