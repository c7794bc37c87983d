package imageprep

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"io"
	"os"
	"testing"

	"github.com/disintegration/imaging"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// decodeFile inspects and decodes data written to a temp file.
func decodeFile(t *testing.T, name string, data []byte, minSide int) (*image.NRGBA, float64, Source) {
	t.Helper()
	return decodeFileWith(t, defaultDecoder, name, data, minSide)
}

// decodeFileWith is decodeFile with decoder d.
func decodeFileWith(t *testing.T, d decoder, name string, data []byte, minSide int) (*image.NRGBA, float64, Source) {
	t.Helper()
	p := writeFile(t, t.TempDir(), name, data)
	src, err := Inspect(p, 0)
	if err != nil {
		t.Fatalf("%s: inspect: %v", name, err)
	}
	img, scale, err := d.decode(p, src, minSide)
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if img.Bounds().Min != (image.Point{}) {
		t.Fatalf("%s: decoded image starts at %v", name, img.Bounds().Min)
	}
	return imaging.Clone(img), scale, src
}

func TestDecodeEveryOrientationIsUpright(t *testing.T) {
	up := quadrants(80, 60)
	for o := 1; o <= 8; o++ {
		data := jpegWithExif(t, storeForOrientation(up, o), o, 95)
		img, scale, src := decodeFile(t, "o.jpg", data, 0)
		if img.Rect.Dx() != 80 || img.Rect.Dy() != 60 || scale != 1 || src.Width != 80 || src.Height != 60 {
			t.Errorf("orientation %d: decoded %v scale %v, source %dx%d", o, img.Rect, scale, src.Width, src.Height)
		}
		checkQuadrants(t, "orientation "+string(rune('0'+o)), img, 12)
	}
}

func TestDecodeFormats(t *testing.T) {
	up := quadrants(40, 30)
	var gb, bb, tb bytes.Buffer
	// 16-bit and paletted PNGs.
	deep := image.NewNRGBA64(up.Rect)
	paletted := image.NewPaletted(up.Rect, color.Palette{qTL, qTR, qBL, qBR})
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			deep.Set(x, y, up.At(x, y))
			paletted.Set(x, y, up.At(x, y))
		}
	}
	if err := bmp.Encode(&bb, up); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&tb, up, nil); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gb, paletted, nil); err != nil {
		t.Fatal(err)
	}
	webp, err := os.ReadFile("testdata/quadrants.webp")
	if err != nil {
		t.Fatal(err)
	}
	// Progressive JPEG (made once with vips: Go encodes baseline only).
	prog, err := os.ReadFile("testdata/quadrants-progressive.jpg")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		tol  int
	}{
		{"q.jpg", jpegBytes(t, up, 95), 12},
		{"q.png", pngBytes(t, up), 0},
		{"q16.png", pngBytes(t, deep), 0},
		{"qpal.png", pngBytes(t, paletted), 0},
		{"q.gif", gb.Bytes(), 0},
		{"q.bmp", bb.Bytes(), 0},
		{"q.tif", tb.Bytes(), 0},
		{"q.webp", webp, 2},
		{"qprog.jpg", prog, 12},
	} {
		img, _, _ := decodeFile(t, c.name, c.data, 0)
		if img.Rect.Dx() != 40 || img.Rect.Dy() != 30 {
			t.Errorf("%s: size %v", c.name, img.Rect)
		}
		checkQuadrants(t, c.name, img, c.tol)
	}
}

func TestDecodeKeepsUprightYCbCr(t *testing.T) {
	// An upright JPEG stays in the decoder's YCbCr layout (no conversion
	// pass); a rotated one is turned into NRGBA.
	p := writeFile(t, t.TempDir(), "up.jpg", jpegBytes(t, quadrants(64, 48), 90))
	src, _ := Inspect(p, 0)
	img, _, err := defaultDecoder.decode(p, src, 0)
	if _, ok := img.(*image.YCbCr); !ok || err != nil {
		t.Errorf("upright JPEG decoded to %T (%v)", img, err)
	}
	p = writeFile(t, t.TempDir(), "o6.jpg", jpegWithExif(t, storeForOrientation(quadrants(64, 48), 6), 6, 90))
	src, _ = Inspect(p, 0)
	img, _, err = defaultDecoder.decode(p, src, 0)
	if _, ok := img.(*image.NRGBA); !ok || err != nil {
		t.Errorf("rotated JPEG decoded to %T (%v)", img, err)
	}
}

func TestDecodeGIFFirstFrameOnCanvas(t *testing.T) {
	// Two frames; the first covers only the left half of a 40x30 canvas.
	pal := color.Palette{color.White, qTL, qBL}
	f1 := image.NewPaletted(image.Rect(0, 0, 20, 30), pal)
	for i := range f1.Pix {
		f1.Pix[i] = 1
	}
	f2 := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
	for i := range f2.Pix {
		f2.Pix[i] = 2
	}
	var b bytes.Buffer
	g := &gif.GIF{Image: []*image.Paletted{f1, f2}, Delay: []int{10, 10}, Config: image.Config{ColorModel: pal, Width: 40, Height: 30}}
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	img, _, _ := decodeFile(t, "anim.gif", b.Bytes(), 0)
	if img.Rect.Dx() != 40 || img.Rect.Dy() != 30 {
		t.Fatalf("size %v", img.Rect)
	}
	if !near(img.At(5, 5), qTL, 0) {
		t.Errorf("first frame not used: %v", img.At(5, 5))
	}
	if near(img.At(35, 5), qBL, 0) {
		t.Errorf("second frame leaked into the first: %v", img.At(35, 5))
	}
}

func TestDecodeHEIC(t *testing.T) {
	data, err := os.ReadFile("testdata/bands.heic")
	if err != nil {
		t.Fatal(err)
	}
	img, _, src := decodeFile(t, "bands.heic", data, 0)
	if src.Format != HEIC || img.Rect.Dx() != 192 || img.Rect.Dy() != 128 {
		t.Fatalf("got %s %v", src.Format, img.Rect)
	}
	// bands.heic (made once with heif-enc): a green band on top, red left
	// half, blue right half.
	for _, c := range []struct {
		x, y int
		want color.NRGBA
	}{{96, 10, color.NRGBA{0, 160, 0, 255}}, {40, 80, color.NRGBA{220, 30, 30, 255}}, {150, 80, color.NRGBA{30, 30, 220, 255}}} {
		if got := img.At(c.x, c.y); !near(got, c.want, 30) {
			t.Errorf("HEIC at (%d,%d): got %v want %v", c.x, c.y, got, c.want)
		}
	}
}

func TestDecodeCMYKJPEGColours(t *testing.T) {
	// testdata/cmyk.jpg: Adobe CMYK JPEG (made with vips): a green band on
	// top, red left half, blue right half.
	data, err := os.ReadFile("testdata/cmyk.jpg")
	if err != nil {
		t.Fatal(err)
	}
	img, _, _ := decodeFile(t, "cmyk.jpg", data, 0)
	// Without the printer's ICC profile the conversion is approximate, so
	// check each region's hue: the right channel dominates by far (an
	// inverted-CMYK mistake would give the complementary colours).
	for _, c := range []struct {
		x, y     int
		dominant int // 0 red, 1 green, 2 blue
	}{{32, 4, 1}, {10, 30, 0}, {54, 30, 2}} {
		p := img.NRGBAAt(c.x, c.y)
		ch := []int{int(p.R), int(p.G), int(p.B)}
		for i := range ch {
			if i != c.dominant && ch[c.dominant]-ch[i] < 100 {
				t.Errorf("CMYK at (%d,%d): got %v, want channel %d dominant", c.x, c.y, p, c.dominant)
			}
		}
	}
}

func TestDecodeFlattensAlphaOnWhite(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 20; x++ {
			switch {
			case x < 10:
				img.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 0}) // transparent black
			default:
				img.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 128}) // half red
			}
		}
	}
	out, _, _ := decodeFile(t, "alpha.png", pngBytes(t, img), 0)
	if got := out.NRGBAAt(5, 5); got != (color.NRGBA{255, 255, 255, 255}) {
		t.Errorf("transparent pixel: got %v, want white", got)
	}
	if got := out.NRGBAAt(15, 5); !near(got, color.NRGBA{255, 127, 127, 255}, 2) || got.A != 255 {
		t.Errorf("half red: got %v, want pink on white", got)
	}
}

func TestDecodeShrinksWithHeadroom(t *testing.T) {
	var calls []int
	counting := decoder{jpeg: func(r io.Reader, denom int) (image.Image, error) {
		calls = append(calls, denom)
		return defaultDecoder.jpeg(r, denom)
	}}
	// 1600x1200 needs >= 2x600 on the short side: no DCT scaling (denom 1);
	// a 400 px need allows 1/2 (600 >= 400) but not 1/4 (300 < 400).
	big := jpegBytes(t, quadrants(1600, 1200), 85)
	img, scale, _ := decodeFileWith(t, counting, "big.jpg", big, 1200)
	if calls[0] != 1 || img.Rect.Dx() != 1600 || scale != 1 {
		t.Errorf("need 1200: denom %d, %v, scale %v", calls[0], img.Rect, scale)
	}
	img, scale, _ = decodeFileWith(t, counting, "big.jpg", big, 400)
	if calls[1] != 2 || min(img.Rect.Dx(), img.Rect.Dy()) < 400 || scale < 1.99 {
		t.Errorf("need 400: denom %d, %v, scale %v", calls[1], img.Rect, scale)
	}
	checkQuadrants(t, "shrunk", img, 12)
	// PNG shrinks by box-averaging: 1600x1200 at need 300 -> factor 4.
	img, scale, _ = decodeFile(t, "big.png", pngBytes(t, quadrants(1600, 1200)), 300)
	if img.Rect.Dx() != 400 || img.Rect.Dy() != 300 || scale != 4 {
		t.Errorf("png need 300: %v scale %v", img.Rect, scale)
	}
}

func TestDecodeTruncatedAndCorrupt(t *testing.T) {
	good := jpegBytes(t, quadrants(200, 150), 90)
	p := writeFile(t, t.TempDir(), "cut.jpg", good[:len(good)*2/3])
	src, err := Inspect(p, 0)
	if err != nil {
		t.Fatalf("header of a cut JPEG is whole: %v", err)
	}
	if _, _, err := defaultDecoder.decode(p, src, 0); KindOf(err) != KindTruncated {
		t.Errorf("cut JPEG: %v", err)
	}
	gp := pngBytes(t, quadrants(200, 150))
	p = writeFile(t, t.TempDir(), "cut.png", gp[:len(gp)/2])
	if src, err = Inspect(p, 0); err == nil {
		_, _, err = defaultDecoder.decode(p, src, 0)
	}
	if KindOf(err) != KindTruncated {
		t.Errorf("cut PNG: %v", err)
	}
	bad := append([]byte{}, gp...)
	for i := 60; i < len(bad)-20; i++ {
		bad[i] ^= 0x5a
	}
	p = writeFile(t, t.TempDir(), "bad.png", bad)
	if src, err = Inspect(p, 0); err == nil {
		_, _, err = defaultDecoder.decode(p, src, 0)
	}
	if k := KindOf(err); k != KindCorrupt && k != KindTruncated {
		t.Errorf("damaged PNG: %v", err)
	}
	_ = context.Background
	_ = png.Decode
}

func TestDecodeHEICRotated(t *testing.T) {
	// bands-rot90.heic: bands.heic with an 'irot' quarter turn
	// anticlockwise added to its primary item (as iPhones store portrait
	// shots). libheif applies it; Inspect reports the turned size.
	data, err := os.ReadFile("testdata/bands-rot90.heic")
	if err != nil {
		t.Fatal(err)
	}
	img, _, src := decodeFile(t, "rot.heic", data, 0)
	if src.Width != 128 || src.Height != 192 || src.Orientation != 8 || img.Rect.Dx() != 128 || img.Rect.Dy() != 192 {
		t.Fatalf("source %dx%d orientation %d, decoded %v", src.Width, src.Height, src.Orientation, img.Rect)
	}
	// The green top band is now on the left, the blue right half on top.
	if got := img.At(10, 96); !near(got, color.NRGBA{0, 160, 0, 255}, 30) {
		t.Errorf("left: %v, want green", got)
	}
	if got := img.At(100, 10); !near(got, color.NRGBA{30, 30, 220, 255}, 30) {
		t.Errorf("top: %v, want blue", got)
	}
}

// A region decode (the finer decode of a small crop) gives, inside the
// region, the pixels of a whole decode at the same scale, in the same
// upright coordinates, for every EXIF orientation, and decodes less.
func TestDecodeRegionMatchesWholeDecodeInEveryOrientation(t *testing.T) {
	up := photoScene(640, 480)
	region := image.Rect(400, 40, 560, 200) // upright source pixels
	for o := 1; o <= 8; o++ {
		data := jpegWithExif(t, storeForOrientation(up, o), o, 95)
		p := writeFile(t, t.TempDir(), "o.jpg", data)
		src, err := Inspect(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		whole, ws, err := defaultDecoder.decodeBytes(t.Context(), p, data, src, 240)
		if err != nil {
			t.Fatal(err)
		}
		part, ps, err := defaultDecoder.decodeRegion(t.Context(), p, data, src, 240, region)
		if err != nil {
			t.Fatal(err)
		}
		// The stage's decode indexes the file; the finer decode of the
		// crop from that index is the plain region decode, pixel for
		// pixel (and type and bounds), at the stage's scale and finer.
		_, _, ix, err := defaultDecoder.decodeIndexed(t.Context(), p, data, src, 120, image.Rectangle{}, nil)
		if err != nil || ix == nil {
			t.Fatalf("orientation %d: stage decode: index %v, error %v", o, ix, err)
		}
		for _, side := range []int{120, 240, 480} {
			plain, _, err := defaultDecoder.decodeRegion(t.Context(), p, data, src, side, region)
			if err != nil {
				t.Fatal(err)
			}
			fast, _, _, err := defaultDecoder.decodeIndexed(t.Context(), p, data, src, side, region, ix)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%T %v", fast, fast.Bounds()) != fmt.Sprintf("%T %v", plain, plain.Bounds()) {
				t.Fatalf("orientation %d side %d: indexed %T %v, plain %T %v", o, side, fast, fast.Bounds(), plain, plain.Bounds())
			}
			b := plain.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if fast.At(x, y) != plain.At(x, y) {
						t.Fatalf("orientation %d side %d: pixel (%d,%d) %v from the index, %v without", o, side, x, y, fast.At(x, y), plain.At(x, y))
					}
				}
			}
		}
		if ws != ps {
			t.Errorf("orientation %d: region scale %v, whole %v", o, ps, ws)
		}
		want := scaleRect(region, 1/ws)
		if !want.In(part.Bounds()) || part.Bounds().Dx()*part.Bounds().Dy() >= whole.Bounds().Dx()*whole.Bounds().Dy()/2 {
			t.Errorf("orientation %d: region decode covers %v, want %v (and well under the whole %v)", o, part.Bounds(), want, whole.Bounds())
			continue
		}
		for y := want.Min.Y; y < want.Max.Y; y++ {
			for x := want.Min.X; x < want.Max.X; x++ {
				if !near(part.At(x, y), whole.At(x, y), 0) {
					t.Fatalf("orientation %d: pixel (%d,%d) %v, whole decode %v", o, x, y, part.At(x, y), whole.At(x, y))
				}
			}
		}
	}
}

// photoScene is an upright test image with detail everywhere (gradients
// and a grid), so misplaced pixels show.
func photoScene(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8(0)
			if (x/13+y/13)%2 == 0 { // odd cells: edges not aligned to chroma blocks
				g = 120
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), g, uint8(y * 255 / h), 255})
		}
	}
	return img
}
