package imageprep

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"headshot/imageprep/textsafe"
)

// A crop sidecar overrides the automatic crop for one photo: a file named
// `<photo>.crop` (e.g. `jo.jpg.crop`) or `<stem>.crop` (`jo.crop`) beside
// it, holding one line `x,y,size`: the top-left corner and side of the
// square in the photo's upright (EXIF-oriented) full-resolution pixels.
// `headshot prep` reads it; the TUI's correction view writes it.

// SidecarPath is where WriteSidecar puts a photo's crop override.
func SidecarPath(photo string) string { return photo + ".crop" }

// ReadSidecar returns the crop override beside photo, or nil when there is
// none. A malformed or unreadable sidecar is an error naming it.
func ReadSidecar(photo string) (*image.Rectangle, error) {
	stem := strings.TrimSuffix(photo, filepath.Ext(photo))
	for _, p := range []string{SidecarPath(photo), stem + ".crop"} {
		data, err := readAtMost(p, 257) // a sidecar is one short line
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("crop sidecar %s: %w", filepath.Base(p), err)
		}
		if len(data) > 256 {
			return nil, fmt.Errorf("crop sidecar %s: %d bytes, want one line x,y,size", filepath.Base(p), len(data))
		}
		r, err := ParseCrop(string(data))
		if err != nil {
			return nil, fmt.Errorf("crop sidecar %s: %w", filepath.Base(p), err)
		}
		return &r, nil
	}
	return nil, nil
}

// WriteSidecar saves r as photo's crop override (SidecarPath).
func WriteSidecar(photo string, r image.Rectangle) error {
	if r.Empty() || r.Min.X < 0 || r.Min.Y < 0 {
		return fmt.Errorf("crop %v: want a non-empty square inside the photo", r)
	}
	return os.WriteFile(SidecarPath(photo), []byte(FormatCrop(r)), 0o644)
}

// ParseCrop reads "x,y,size" into a square.
func ParseCrop(s string) (image.Rectangle, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return image.Rectangle{}, fmt.Errorf("%q: want x,y,size", textsafe.CleanN(s, 40))
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 1_000_000 {
			return image.Rectangle{}, fmt.Errorf("%q: want x,y,size as whole numbers of pixels", textsafe.CleanN(s, 40))
		}
		v[i] = n
	}
	if v[2] == 0 {
		return image.Rectangle{}, fmt.Errorf("%q: size must be more than 0", textsafe.CleanN(s, 40))
	}
	return image.Rect(v[0], v[1], v[0]+v[2], v[1]+v[2]), nil
}

// FormatCrop is the sidecar line for a square crop.
func FormatCrop(r image.Rectangle) string {
	return fmt.Sprintf("%d,%d,%d\n", r.Min.X, r.Min.Y, r.Dx())
}
