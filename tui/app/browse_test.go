package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBrowseRefusesBadArguments(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "jane.doe@example.com.jpg")
	if err := os.WriteFile(photo, []byte("not read before the terminal check"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		path string
		want string
	}{
		{"missing folder", filepath.Join(dir, "nope"), "no such folder: " + filepath.Join(dir, "nope")},
		{"control characters", filepath.Join(dir, "x\x1b[2J"), "no such folder"},
		// go test's stdin/stdout are not a terminal
		{"not a terminal", dir, "needs a terminal"},
		{"a photo opens its folder", photo, "needs a terminal"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := Browse(Globals{}, c.path, &out, &errb)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (stderr %q)", c.name, code, errb.String())
		}
		if !strings.Contains(errb.String(), c.want) {
			t.Errorf("%s: stderr %q lacks %q", c.name, errb.String(), c.want)
		}
		if strings.Contains(errb.String(), "\x1b") {
			t.Errorf("%s: escape sequence in the error", c.name)
		}
	}
}
