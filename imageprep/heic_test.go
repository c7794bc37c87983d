package imageprep

import (
	"bytes"
	"context"
	"image"
	"os"
	"testing"

	"headshot/imageprep/heic"
)

// decodeHEIC takes the tiled path for a grid (phones' layout) and the
// whole-image path otherwise, and both give libheif's whole-image pixels.
func TestDecodeHEICTiledAndWholeSamePixels(t *testing.T) {
	for _, c := range []struct {
		path  string
		tiled bool
	}{
		{"heic/testdata/grid-300x198.heic", true}, // 3x2 tiles of 128x128
		{"testdata/bands.heic", false},            // a single image
		{"testdata/bands-rot90.heic", false},
	} {
		data, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := heic.DecodeTiled(context.Background(), data); (err == nil) != c.tiled {
			t.Fatalf("%s: tiled decode error %v, want tiled=%v", c.path, err, c.tiled)
		}
		got, err := decodeHEIC(context.Background(), data, image.Rectangle{})
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		want, err := heic.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		g, w := got.(*image.YCbCr), want.(*image.YCbCr)
		if g.Rect != w.Rect || g.SubsampleRatio != w.SubsampleRatio {
			t.Fatalf("%s: %v %v, want %v %v", c.path, g.Rect, g.SubsampleRatio, w.Rect, w.SubsampleRatio)
		}
		for y := w.Rect.Min.Y; y < w.Rect.Max.Y; y++ {
			for x := w.Rect.Min.X; x < w.Rect.Max.X; x++ {
				if g.Y[g.YOffset(x, y)] != w.Y[w.YOffset(x, y)] || g.Cb[g.COffset(x, y)] != w.Cb[w.COffset(x, y)] ||
					g.Cr[g.COffset(x, y)] != w.Cr[w.COffset(x, y)] {
					t.Fatalf("%s: pixel (%d,%d) differs from the whole-image decode", c.path, x, y)
				}
			}
		}
	}
}

// A grid goes through Inspect and the decoder like any photo: the header's
// size is the decoded size.
func TestDecodeHEICGridFile(t *testing.T) {
	data, err := os.ReadFile("heic/testdata/grid-300x198.heic")
	if err != nil {
		t.Fatal(err)
	}
	img, _, src := decodeFile(t, "grid.heic", data, 0)
	if src.Format != HEIC || src.Width != 300 || src.Height != 198 || img.Rect.Dx() != 300 || img.Rect.Dy() != 198 {
		t.Fatalf("got %s %dx%d, decoded %v", src.Format, src.Width, src.Height, img.Rect)
	}
}

// A damaged grid fails with an error (the whole-image decode's verdict),
// and a canceled one stops.
func TestDecodeHEICGridDamaged(t *testing.T) {
	data, err := os.ReadFile("heic/testdata/grid-300x198.heic")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	for i := len(bad) - 6000; i < len(bad); i += 7 {
		bad[i] ^= 0x5a
	}
	if img, err := decodeHEIC(context.Background(), bad[:len(bad)-3000], image.Rectangle{}); err == nil {
		t.Fatalf("truncated grid decoded to %v", img.Bounds())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := decodeHEIC(ctx, data, image.Rectangle{}); err != context.Canceled {
		t.Fatalf("canceled: %v", err)
	}
}

// A region decode of a grid (the preparer's finer decode of the crop)
// gives the whole decode's pixels in the region, through the decoder (the
// tiles elsewhere are skipped; the bench's 600x600 outputs are
// byte-identical to those of the whole decode).
func TestDecodeHEICGridRegion(t *testing.T) {
	data, err := os.ReadFile("heic/testdata/grid-300x198.heic")
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, t.TempDir(), "grid.heic", data)
	src, err := Inspect(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	region := image.Rect(150, 60, 290, 190)
	img, scale, err := defaultDecoder.decodeRegion(context.Background(), p, data, src, 600, region)
	if err != nil {
		t.Fatal(err)
	}
	if scale != 1 || !region.In(img.Bounds()) {
		t.Fatalf("region decode: %v at scale %v, want %v covered at 1", img.Bounds(), scale, region)
	}
	whole, err := heic.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for y := region.Min.Y; y < region.Max.Y; y++ {
		for x := region.Min.X; x < region.Max.X; x++ {
			if img.At(x, y) != whole.At(x, y) {
				t.Fatalf("(%d,%d): %v, whole decode %v", x, y, img.At(x, y), whole.At(x, y))
			}
		}
	}
}
