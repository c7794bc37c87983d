package imageprep

import (
	"bytes"
	"context"
	"image"
	"image/gif"
	"os"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// fuzzMaxPixels keeps fuzzed headers from asking for big (if legal) images.
const fuzzMaxPixels = 1 << 20

// FuzzDecode feeds arbitrary bytes to the decode entry point: Inspect's
// header reading, then the decode proper. Nothing may panic or hang;
// every refusal must be an *Error with a Kind; every success must be an
// upright image of the size Inspect promised (within DCT rounding).
func FuzzDecode(f *testing.F) {
	small := quadrants(24, 16)
	f.Add(jpegBytes(f, small, 80))
	f.Add(jpegWithExif(f, storeForOrientation(small, 6), 6, 80))
	f.Add(pngBytes(f, small))
	var gb, bb, tb bytes.Buffer
	gif.Encode(&gb, small, nil)
	bmp.Encode(&bb, small)
	tiff.Encode(&tb, small, nil)
	f.Add(gb.Bytes())
	f.Add(bb.Bytes())
	f.Add(tb.Bytes())
	for _, name := range []string{"testdata/quadrants.webp", "testdata/cmyk.jpg", "testdata/bands.heic"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("plain text named .jpg\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := inspectAt("fuzz.img", bytesReaderAt(data), int64(len(data)), fuzzMaxPixels)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("inspect: refusal without a kind: %v", err)
			}
			return
		}
		if src.Width <= 0 || src.Height <= 0 || int64(src.Width)*int64(src.Height) > fuzzMaxPixels {
			t.Fatalf("inspect accepted %dx%d", src.Width, src.Height)
		}
		img, scale, err := defaultDecoder.decodeBytes(context.Background(), "fuzz.img", data, src, 0)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("decode: refusal without a kind: %v", err)
			}
			return
		}
		b := img.Bounds()
		if b.Min != (image.Point{}) || b.Dx() != src.Width || b.Dy() != src.Height || scale != 1 {
			t.Fatalf("decoded %v scale %v for a %dx%d source", b, scale, src.Width, src.Height)
		}
	})
}
