package benchdata

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"headshot/imageprep"
)

func TestBatchMix(t *testing.T) {
	count := map[string]int{}
	for _, k := range Batch(40) {
		count[k.Name]++
	}
	want := map[string]int{"jpeg-12MP": 12, "jpeg-12MP-rotated": 8, "jpeg-24MP": 12, "png-3MP": 4, "jpeg-small": 4}
	for name, n := range want {
		if count[name] != n {
			t.Errorf("%s: %d in a 40-photo batch, want %d (mix %v)", name, count[name], n, count)
		}
	}
}

func decodeAny(t *testing.T, data []byte, format string) image.Image {
	t.Helper()
	var img image.Image
	var err error
	if format == "png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		t.Fatalf("%s variant does not decode: %v", format, err)
	}
	return img
}

// Variants differ in bytes (so in content hash) but not in pixels.
func TestVariantsDifferOnlyInBytes(t *testing.T) {
	for _, k := range []Kind{{"t-jpeg", "jpeg", 64, 48, 1}, {"t-png", "png", 40, 30, 1}} {
		base, err := Render(k)
		if err != nil {
			t.Fatal(err)
		}
		v1, v2 := Variant(base, k.Format, 1), Variant(base, k.Format, 2)
		if bytes.Equal(v1, v2) || bytes.Equal(v1, base) {
			t.Fatalf("%s: variants are not distinct", k.Name)
		}
		a, b := decodeAny(t, v1, k.Format), decodeAny(t, v2, k.Format)
		if a.Bounds() != image.Rect(0, 0, k.Width, k.Height) || a.Bounds() != b.Bounds() {
			t.Fatalf("%s: bounds %v and %v, want %dx%d", k.Name, a.Bounds(), b.Bounds(), k.Width, k.Height)
		}
		for y := 0; y < k.Height; y++ {
			for x := 0; x < k.Width; x++ {
				if a.At(x, y) != b.At(x, y) {
					t.Fatalf("%s: pixel (%d,%d) differs between variants", k.Name, x, y)
				}
			}
		}
	}
}

// A rotated kind is stored turned, with EXIF orientation 6, as a phone
// writes it; imageprep reads the upright size from the header.
func TestRotatedKindCarriesOrientation(t *testing.T) {
	k := Kind{"t-rotated", "jpeg", 80, 60, 6}
	dir := t.TempDir()
	p, err := Write(dir, k, 3)
	if err != nil {
		t.Fatal(err)
	}
	src, err := imageprep.Inspect(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if src.Orientation != 6 || src.Width != 60 || src.Height != 80 {
		t.Fatalf("Inspect: orientation %d, upright %dx%d; want 6, 60x80", src.Orientation, src.Width, src.Height)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
}
