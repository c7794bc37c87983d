package imageprep

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAndFormatCrop(t *testing.T) {
	r, err := ParseCrop(" 10, 20 ,300\n")
	if err != nil || r != image.Rect(10, 20, 310, 320) {
		t.Errorf("got %v %v", r, err)
	}
	if FormatCrop(r) != "10,20,300\n" {
		t.Errorf("format: %q", FormatCrop(r))
	}
	for _, bad := range []string{"", "1,2", "1,2,3,4", "a,b,c", "1,2,0", "-1,2,3", "1.5,2,3"} {
		if _, err := ParseCrop(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSidecarRoundTrip(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "jo.jpg")
	if r, err := ReadSidecar(photo); r != nil || err != nil {
		t.Fatalf("no sidecar: %v %v", r, err)
	}
	want := image.Rect(120, 40, 520, 440)
	if err := WriteSidecar(photo, want); err != nil {
		t.Fatal(err)
	}
	if r, err := ReadSidecar(photo); err != nil || *r != want {
		t.Errorf("read back %v %v", r, err)
	}
	// <stem>.crop works too; a malformed one is an error naming it.
	os.Remove(SidecarPath(photo))
	os.WriteFile(filepath.Join(dir, "jo.crop"), []byte("1,2"), 0o644)
	if _, err := ReadSidecar(photo); err == nil || !strings.Contains(err.Error(), "jo.crop") {
		t.Errorf("malformed stem sidecar: %v", err)
	}
	if err := WriteSidecar(photo, image.Rectangle{}); err == nil {
		t.Error("empty crop written")
	}
}
