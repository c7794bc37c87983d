package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An unreadable config's fix names "the line above" only when the error
// names a line: a directory in the config's place names none.
func TestUnreadableConfigFixNamesLineOnlyWhenThereIsOne(t *testing.T) {
	find := func(path string) string {
		for _, f := range Run(context.Background(), Options{ConfigPath: path, Timeout: time.Second}) {
			if f.Area == "config" && f.Level == Fail {
				return f.Detail + " | " + f.Fix
			}
		}
		t.Fatalf("%s: no config failure", path)
		return ""
	}
	dir := filepath.Join(t.TempDir(), "config.toml")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := find(dir); strings.Contains(got, "line named above") || !strings.Contains(got, "move it away") {
		t.Fatalf("no line named, fix says: %s", got)
	}
	bad := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(bad, []byte("[zoom]\naccount_id = \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := find(bad); !strings.Contains(got, "line named above") {
		t.Fatalf("line named, fix says: %s", got)
	}
}
