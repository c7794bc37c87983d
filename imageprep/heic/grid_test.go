package heic

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// imageDiff compares two decodes pixel by pixel in RGB: the largest
// difference of any channel (0..255) and how many pixels differ.
func imageDiff(a, b image.Image) (maxDiff, differing int, err error) {
	if a.Bounds() != b.Bounds() {
		return 0, 0, fmt.Errorf("bounds %v vs %v", a.Bounds(), b.Bounds())
	}
	if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) {
		return 0, 0, fmt.Errorf("types %T vs %T", a, b)
	}
	if ya, ok := a.(*image.YCbCr); ok && ya.SubsampleRatio != b.(*image.YCbCr).SubsampleRatio {
		return 0, 0, fmt.Errorf("subsampling %v vs %v", ya.SubsampleRatio, b.(*image.YCbCr).SubsampleRatio)
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ca := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			cb := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			d := max(absDiff(ca.R, cb.R), absDiff(ca.G, cb.G), absDiff(ca.B, cb.B))
			if d > 0 {
				differing++
			}
			maxDiff = max(maxDiff, d)
		}
	}
	return maxDiff, differing, nil
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// samePlanes says whether two YCbCr images hold the same samples for
// every pixel (Y, Cb and Cr as each pixel reads them).
func samePlanes(a, b *image.YCbCr) bool {
	r := a.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.Y[a.YOffset(x, y)] != b.Y[b.YOffset(x, y)] ||
				a.Cb[a.COffset(x, y)] != b.Cb[b.COffset(x, y)] ||
				a.Cr[a.COffset(x, y)] != b.Cr[b.COffset(x, y)] {
				return false
			}
		}
	}
	return true
}

// The tiled decode gives libheif's whole-image pixels: the same samples,
// for the plain grid (its last column and row of tiles cut) and with
// every transform the tiled path takes on (rotations, both mirrors, clean
// apertures including fractional ones, and in combination, in the order
// the file lists them).
func TestTiledMatchesWholeDecode(t *testing.T) {
	base := loadFixture(t)
	cases := map[string][]testProp{
		"plain":             nil,
		"irot 90":           {{irotBox(1), true}},
		"irot 180":          {{irotBox(2), true}},
		"irot 270":          {{irotBox(3), true}},
		"imir 0":            {{imirBox(0), true}},
		"imir 1":            {{imirBox(1), true}},
		"clap centred":      {{clapBox(200, 1, 150, 1, 0, 1, 0, 1), true}},
		"clap offset":       {{clapBox(200, 1, 150, 1, 4, 1, -6, 1), true}},
		"clap fractions":    {{clapBox(399, 2, 299, 2, 0, 1, 0, 1), true}},
		"clap then irot":    {{clapBox(200, 1, 150, 1, 4, 1, -6, 1), true}, {irotBox(1), true}},
		"irot then clap":    {{irotBox(3), true}, {clapBox(150, 1, 200, 1, 0, 1, 0, 1), true}},
		"irot then imir":    {{irotBox(1), true}, {imirBox(0), true}},
		"imir then irot":    {{imirBox(1), true}, {irotBox(3), true}},
		"clap irot imir":    {{clapBox(250, 1, 180, 1, -3, 1, 3, 1), true}, {irotBox(1), true}, {imirBox(1), true}},
		"nclx limited (ok)": {{nclxBox(6, false), false}},
	}
	for name, props := range cases {
		t.Run(name, func(t *testing.T) {
			s := base
			s.gridProps = props
			file := s.write()
			whole, err := Decode(bytes.NewReader(file))
			if err != nil {
				t.Fatalf("whole-image decode: %v", err)
			}
			tiled, err := DecodeTiled(context.Background(), file)
			if err != nil {
				t.Fatalf("tiled decode: %v", err)
			}
			maxDiff, n, err := imageDiff(whole, tiled)
			if err != nil {
				t.Fatal(err)
			}
			if maxDiff != 0 || !samePlanes(whole.(*image.YCbCr), tiled.(*image.YCbCr)) {
				t.Fatalf("tiled decode differs from the whole-image decode: %d pixels, up to %d/255", n, maxDiff)
			}
		})
	}
}

// Where libheif would resample the chroma (odd sizes and crops), the
// tiled path would differ from it, so it declines: these are the
// measured differences that rule sets the fallback by.
func TestTiledDeclinesWhereItWouldDiffer(t *testing.T) {
	base := loadFixture(t)
	for name, f := range map[string]func(*gridSpec){
		"odd width":       func(s *gridSpec) { s.width = 301 },
		"odd height":      func(s *gridSpec) { s.height = 199 },
		"odd clap offset": func(s *gridSpec) { s.gridProps = []testProp{{clapBox(298, 1, 196, 1, 0, 1, 0, 1), true}} },
		"odd clap size":   func(s *gridSpec) { s.gridProps = []testProp{{clapBox(201, 1, 150, 1, 1, 2, 0, 1), true}} },
	} {
		t.Run(name, func(t *testing.T) {
			s := base
			f(&s)
			file := s.write()
			if _, err := DecodeTiled(context.Background(), file); !errors.Is(err, ErrNotTiled) {
				t.Fatalf("err %v, want ErrNotTiled", err)
			}
			if _, err := Decode(bytes.NewReader(file)); err != nil {
				t.Fatalf("the whole-image decode fails too: %v", err)
			}
		})
	}
	// Tiles other than 4:2:0.
	if _, err := DecodeTiled(context.Background(), loadGrid(t, fixture444Path).write()); !errors.Is(err, ErrNotTiled) {
		t.Fatalf("4:4:4 tiles: err %v, want ErrNotTiled", err)
	}
}

// The same on 12 MP phone-layout grids (512x512 tiles) when they are
// present: HEADSHOT_HEIC_GRIDS names a folder of grid HEICs (made by
// TestWriteBenchGrids). Skipped otherwise.
func TestTiledMatchesWholeDecodeOnPhotos(t *testing.T) {
	dir := os.Getenv("HEADSHOT_HEIC_GRIDS")
	if dir == "" {
		t.Skip("set HEADSHOT_HEIC_GRIDS to a folder of grid HEICs")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.heic"))
	if len(paths) == 0 {
		t.Skip("no HEICs in " + dir)
	}
	for _, p := range paths[:min(len(paths), 2)] {
		file, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Decode(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		tiled, err := DecodeTiled(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		maxDiff, n, err := imageDiff(whole, tiled)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v, %d pixels differ, max %d/255", filepath.Base(p), whole.Bounds(), n, maxDiff)
		if maxDiff != 0 || !samePlanes(whole.(*image.YCbCr), tiled.(*image.YCbCr)) {
			t.Fatalf("%s: tiled decode differs from the whole-image decode", p)
		}
	}
}

// Files the tiled path does not handle say so (ErrNotTiled), so the caller
// decodes them whole; none panics and none gives an image.
func TestTiledFallsBack(t *testing.T) {
	base := loadFixture(t)
	single, err := os.ReadFile("../testdata/bands.heic")
	if err != nil {
		t.Fatal(err)
	}
	variant := func(f func(*gridSpec)) []byte {
		s := base
		f(&s)
		return s.write()
	}
	cases := map[string][]byte{
		"single image":        single,
		"not HEIF":            []byte("plain text, not an image at all"),
		"alpha plane":         variant(func(s *gridSpec) { s.alpha = true }),
		"tile count":          variant(func(s *gridSpec) { s.refs = 5 }),
		"tiles short of size": variant(func(s *gridSpec) { s.width = 400 }),
		"surplus tile column": variant(func(s *gridSpec) { s.width = 250 }),
		"grid version":        variant(func(s *gridSpec) { s.payload = []byte{1, 0, 1, 2, 1, 45, 0, 199} }),
		"short grid payload":  variant(func(s *gridSpec) { s.payload = []byte{0, 0, 1} }),
		"RGB matrix":          variant(func(s *gridSpec) { s.gridProps = []testProp{{nclxBox(0, true), false}} }),
		"unknown essential":   variant(func(s *gridSpec) { s.gridProps = []testProp{{fullBox("lsel", 0), true}} }),
		"tile transform":      variant(func(s *gridSpec) { s.tileProps = []testProp{{irotBox(1), true}} }),
		"zero clap":           variant(func(s *gridSpec) { s.gridProps = []testProp{{clapBox(0, 1, 0, 1, 0, 1, 0, 1), true}} }),
		"clap denominator 0":  variant(func(s *gridSpec) { s.gridProps = []testProp{{clapBox(100, 0, 100, 1, 0, 1, 0, 1), true}} }),
		// The header's size would be a tile's, not the grid's.
		"grid without ispe": variant(func(s *gridSpec) { s.noGridIspe = true }),
	}
	for name, file := range cases {
		t.Run(name, func(t *testing.T) {
			img, err := DecodeTiled(context.Background(), file)
			if !errors.Is(err, ErrNotTiled) || img != nil {
				t.Fatalf("got %v, %v; want ErrNotTiled", img, err)
			}
		})
	}
	// Tiles narrower than the module's plane layout allows.
	s := base
	s.tileW, s.tileH = 64, 64
	s.width, s.height = 150, 100
	if _, err := DecodeTiled(context.Background(), s.write()); !errors.Is(err, ErrNotTiled) {
		t.Fatalf("64 px tiles: %v, want ErrNotTiled", err)
	}
}

// Damaged grids fail with an error, never a panic or an image: every
// truncation of the file, and a tile whose coded data is garbage.
func TestTiledDamagedInput(t *testing.T) {
	s := loadFixture(t)
	file := s.write()
	for n := 0; n < len(file); n += 1 + n/50 {
		if img, err := DecodeTiled(context.Background(), file[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: decoded %v", n, img.Bounds())
		}
	}
	bad := s
	bad.data = append([][]byte{}, s.data...)
	bad.data[4] = bytes.Repeat([]byte{0, 0, 0, 9, 0x26, 0x01, 0xff, 0x00}, 40)
	img, err := DecodeTiled(context.Background(), bad.write())
	if err == nil {
		t.Fatalf("garbage tile decoded to %v", img.Bounds())
	}
	// The pool recovers: a good file decodes after the failure.
	if _, err := DecodeTiled(context.Background(), file); err != nil {
		t.Fatalf("after a damaged tile: %v", err)
	}
}

// A canceled context stops a tiled decode.
func TestTiledCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := loadFixture(t)
	if _, err := DecodeTiled(ctx, s.write()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// BenchmarkDecodeGrid decodes a 12 MP phone-layout grid (the first HEIC in
// HEADSHOT_HEIC_GRIDS, see TestWriteBenchGrids) whole and tile by tile.
func BenchmarkDecodeGrid(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(os.Getenv("HEADSHOT_HEIC_GRIDS"), "*.heic"))
	if os.Getenv("HEADSHOT_HEIC_GRIDS") == "" || len(paths) == 0 {
		b.Skip("set HEADSHOT_HEIC_GRIDS to a folder of grid HEICs")
	}
	file, err := os.ReadFile(paths[0])
	if err != nil {
		b.Fatal(err)
	}
	if err := Init(); err != nil {
		b.Fatal(err)
	}
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			if _, err := Decode(bytes.NewReader(file)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tiled", func(b *testing.B) {
		for b.Loop() {
			if _, err := DecodeTiled(context.Background(), file); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A region decode decodes only the tiles under the region, wherever the
// transforms move them, and its pixels there are the whole decode's.
func TestTiledRegion(t *testing.T) {
	base := loadFixture(t)
	transforms := map[string][]testProp{
		"plain":          nil,
		"irot 90":        {{irotBox(1), true}},
		"irot 180":       {{irotBox(2), true}},
		"irot 270":       {{irotBox(3), true}},
		"imir 0":         {{imirBox(0), true}},
		"imir 1":         {{imirBox(1), true}},
		"clap offset":    {{clapBox(200, 1, 150, 1, 4, 1, -6, 1), true}},
		"clap irot imir": {{clapBox(250, 1, 180, 1, -3, 1, 3, 1), true}, {irotBox(1), true}, {imirBox(1), true}},
	}
	for name, props := range transforms {
		t.Run(name, func(t *testing.T) {
			s := base
			s.gridProps = props
			file := s.write()
			whole, err := Decode(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			w := whole.(*image.YCbCr)
			b := w.Rect
			g, err := parseGridLayout(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, region := range []image.Rectangle{
				image.Rect(3, 5, 41, 33),                         // a corner
				image.Rect(b.Dx()-37, b.Dy()-29, b.Dx(), b.Dy()), // the opposite corner
				image.Rect(b.Dx()/2-9, b.Dy()/2-7, b.Dx()/2+9, b.Dy()/2+7),
			} {
				if n := len(g.tilesUnder(region)); n == 0 || n >= len(g.tiles) {
					t.Fatalf("%v: %d of %d tiles decoded", region, n, len(g.tiles))
				}
				img, err := DecodeTiledRegion(context.Background(), file, region)
				if err != nil {
					t.Fatal(err)
				}
				p := img.(*image.YCbCr)
				if p.Rect != b {
					t.Fatalf("bounds %v, want %v", p.Rect, b)
				}
				for y := region.Min.Y; y < region.Max.Y; y++ {
					for x := region.Min.X; x < region.Max.X; x++ {
						if p.Y[p.YOffset(x, y)] != w.Y[w.YOffset(x, y)] || p.Cb[p.COffset(x, y)] != w.Cb[w.COffset(x, y)] ||
							p.Cr[p.COffset(x, y)] != w.Cr[w.COffset(x, y)] {
							t.Fatalf("%v: pixel (%d,%d) differs from the whole decode", region, x, y)
						}
					}
				}
			}
		})
	}
}

// Hostile layouts are refused before they cost: an iloc whose extents
// have no length field (65535 entries of 65535 empty extents would spin
// for minutes), and an item whose extents repeat past the file's size
// (copied, they would exhaust memory).
func TestHostileItemLocations(t *testing.T) {
	// iloc version 1, offset/length/base/index sizes 0, 65535 items.
	body := []byte{1, 0, 0, 0, 0x00, 0x00, 0xff, 0xff}
	for range 64 {
		// item id, construction method, data reference index 0, 65535 extents
		body = append(body, 0, 1, 0, 0, 0, 0, 0xff, 0xff)
	}
	err := parseIloc([]box{{typ: "iloc", body: body}}, map[uint32]*item{})
	if !errors.Is(err, ErrNotTiled) || !strings.Contains(err.Error(), "extent lengths") {
		t.Fatalf("iloc without extent lengths: %v, want ErrNotTiled refusing it at once", err)
	}
	file := make([]byte, 1000)
	it := &item{located: true}
	for range 5 {
		it.extents = append(it.extents, [2]uint64{0, 900})
	}
	if d, err := itemData(it, file, nil); !errors.Is(err, ErrNotTiled) || d != nil {
		t.Fatalf("5 extents of 900 bytes in a 1000-byte file: %d bytes, %v; want ErrNotTiled", len(d), err)
	}
}
