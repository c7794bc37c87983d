package app

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestBrowseRefusesBadArguments(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing folder", []string{filepath.Join(dir, "nope")}, "is not a folder"},
		{"two folders", []string{dir, dir}, "one folder at a time"},
		{"bad colour", []string{"--color", "rainbow", dir}, `--color "rainbow"`},
		{"bad colour after the folder", []string{dir, "--color=rainbow"}, `--color "rainbow"`},
		{"control characters", []string{filepath.Join(dir, "x\x1b[2J")}, "is not a folder"},
		// go test's stdin/stdout are not a terminal
		{"not a terminal", []string{dir, "--color", "256"}, "needs a terminal"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := Browse(c.args, &out, &errb)
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
