//go:build unix

package heic

import (
	"os"
	"path/filepath"
	"testing"
)

// The compiled module is cached in a private folder of the user's cache,
// and a folder others could write to (and so plant code in) is not used.
func TestCompilationCacheOnlyInAPrivateFolder(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	t.Setenv("HOME", base) // macOS: ~/Library/Caches
	c := compilationCache()
	if c == nil {
		t.Fatal("no cache in a fresh private folder")
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(dir, "headshot", "wasm")
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("cache folder %s: %v, mode %v", dir, err, st.Mode())
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if compilationCache() != nil {
		t.Error("a world-writable cache folder was used")
	}
}
