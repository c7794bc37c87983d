package prepcli

import (
	"os"
	"path/filepath"
	"testing"
)

// Prepared photos are no secrets: written 0644, not CreateTemp's 0600.
func TestWriteNewIsWorldReadable(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jpg")
	if err := writeNew(out, filepath.Join(dir, "src.jpg"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
}
