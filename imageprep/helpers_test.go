package imageprep

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Colours of the test pattern's quadrants (upright).
var (
	qTL = color.NRGBA{220, 30, 30, 255}  // red
	qTR = color.NRGBA{30, 180, 30, 255}  // green
	qBL = color.NRGBA{30, 30, 220, 255}  // blue
	qBR = color.NRGBA{230, 220, 40, 255} // yellow
)

// quadrants is an upright w x h image with four coloured quadrants.
func quadrants(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := qTL
			switch {
			case x >= w/2 && y < h/2:
				c = qTR
			case x < w/2 && y >= h/2:
				c = qBL
			case x >= w/2 && y >= h/2:
				c = qBR
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// storeForOrientation returns the stored image that displays as upright
// when shown with EXIF orientation o (the mapping is written out from the
// EXIF definitions, independently of the code under test).
func storeForOrientation(up *image.NRGBA, o int) *image.NRGBA {
	W, H := up.Rect.Dx(), up.Rect.Dy()
	sw, sh := W, H
	if o >= 5 {
		sw, sh = H, W
	}
	s := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			var sx, sy int
			switch o {
			case 1:
				sx, sy = x, y
			case 2:
				sx, sy = W-1-x, y
			case 3:
				sx, sy = W-1-x, H-1-y
			case 4:
				sx, sy = x, H-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, W-1-x
			case 7:
				sx, sy = H-1-y, W-1-x
			case 8:
				sx, sy = H-1-y, x
			}
			s.SetNRGBA(sx, sy, up.NRGBAAt(x, y))
		}
	}
	return s
}

// exifTIFF builds a little-endian TIFF block with IFD0 holding Orientation
// (when o > 0), a camera Make and a GPS IFD, as phones write.
func exifTIFF(o int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("II*\x00")
	binary.Write(&b, le, uint32(8))
	entries := 2
	if o > 0 {
		entries = 3
	}
	ifdEnd := 8 + 2 + 12*entries + 4
	makeOff := ifdEnd
	gpsOff := makeOff + 8
	binary.Write(&b, le, uint16(entries))
	// Make (0x010F), ASCII, 8 bytes at makeOff
	binary.Write(&b, le, []uint16{0x010F, 2})
	binary.Write(&b, le, []uint32{8, uint32(makeOff)})
	if o > 0 {
		binary.Write(&b, le, []uint16{tagOrientation, 3})
		binary.Write(&b, le, uint32(1))
		binary.Write(&b, le, []uint16{uint16(o), 0})
	}
	// GPS IFD pointer (0x8825), LONG
	binary.Write(&b, le, []uint16{0x8825, 4})
	binary.Write(&b, le, []uint32{1, uint32(gpsOff)})
	binary.Write(&b, le, uint32(0)) // no IFD1
	b.WriteString("PhoneCo\x00")
	// GPS IFD: GPSLatitudeRef "N"
	binary.Write(&b, le, uint16(1))
	binary.Write(&b, le, []uint16{0x0001, 2})
	binary.Write(&b, le, uint32(2))
	b.WriteString("N\x00\x00\x00")
	binary.Write(&b, le, uint32(0))
	return b.Bytes()
}

// jpegWithExif encodes img as JPEG and inserts an APP1 Exif segment
// carrying orientation o (o == 0: EXIF without an Orientation tag).
func jpegWithExif(t testing.TB, img image.Image, o int, quality int) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00"), exifTIFF(o)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	data := enc.Bytes()
	out := append([]byte{}, data[:2]...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeFile writes data to name inside dir and returns the path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// near reports whether two colours are within tol per channel.
func near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool {
		dd := int(x>>8) - int(y>>8)
		return dd <= tol && dd >= -tol
	}
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

// checkQuadrants asserts img shows the upright quadrant pattern.
func checkQuadrants(t *testing.T, name string, img image.Image, tol int) {
	t.Helper()
	b := img.Bounds()
	at := func(fx, fy float64) color.Color {
		return img.At(b.Min.X+int(fx*float64(b.Dx())), b.Min.Y+int(fy*float64(b.Dy())))
	}
	for _, c := range []struct {
		fx, fy float64
		want   color.NRGBA
	}{{0.25, 0.25, qTL}, {0.75, 0.25, qTR}, {0.25, 0.75, qBL}, {0.75, 0.75, qBR}} {
		if got := at(c.fx, c.fy); !near(got, c.want, tol) {
			t.Errorf("%s: at (%.2f,%.2f) got %v, want %v", name, c.fx, c.fy, got, c.want)
		}
	}
}

// pngEncodeHeader writes a PNG signature and an IHDR chunk claiming w x h
// (8-bit grey), and stops: a decompression-bomb header.
func pngEncodeHeader(b *bytes.Buffer, w, h int) {
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 8 // bit depth; colour type 0 (grey)
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
}
