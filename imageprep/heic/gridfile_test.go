package heic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// This file writes grid HEIFs for the tests: tiles are single-image HEIFs
// (encoded once by heif-enc, see TestWriteGridFixture), assembled into a
// grid the way an iPhone lays one out (a 'grid' item whose payload sits in
// 'idat', 'dimg' references to 'hvc1' tiles sharing one hvcC, all coded
// data in one 'mdat').

// gridSpec is a grid HEIF to write.
type gridSpec struct {
	rows, cols    int
	width, height int
	tileW, tileH  int
	hvcC          [][]byte // per tile, whole boxes (equal ones are shared)
	data          [][]byte // per tile
	gridProps     []testProp
	tileProps     []testProp // added to every tile
	alpha         bool       // an alpha auxiliary image (tile 0's data) for the grid
	refs          int        // dimg references written (0: one per tile)
	payload       []byte     // the grid payload (nil: from the fields)
	noGridIspe    bool       // the grid item without its own ispe
}

type testProp struct {
	box       []byte
	essential bool
}

func fullBox(typ string, version byte, body ...[]byte) []byte {
	b := []byte{0, 0, 0, 0}
	b = append(b, typ...)
	b = append(b, version, 0, 0, 0)
	for _, p := range body {
		b = append(b, p...)
	}
	binary.BigEndian.PutUint32(b, uint32(len(b)))
	return b
}

func u32s(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, x)
	}
	return b
}

func ispeBox(w, h int) []byte { return fullBox("ispe", 0, u32s(uint32(w), uint32(h))) }

func irotBox(quarters int) []byte {
	return append(binary.BigEndian.AppendUint32(nil, 9), append([]byte("irot"), byte(quarters))...)
}

func imirBox(axis int) []byte {
	return append(binary.BigEndian.AppendUint32(nil, 9), append([]byte("imir"), byte(axis))...)
}

func clapBox(w, wd, h, hd, ho, hod, vo, vod int32) []byte {
	b := append(binary.BigEndian.AppendUint32(nil, 40), "clap"...)
	for _, v := range []int32{w, wd, h, hd, ho, hod, vo, vod} {
		b = binary.BigEndian.AppendUint32(b, uint32(v))
	}
	return b
}

func nclxBox(matrix uint16, full bool) []byte {
	b := append(binary.BigEndian.AppendUint32(nil, 19), "colrnclx"...)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint16(b, 13)
	b = binary.BigEndian.AppendUint16(b, matrix)
	if full {
		return append(b, 0x80)
	}
	return append(b, 0)
}

// write assembles the file: grid item 1, tiles 2.., alpha after them.
func (s gridSpec) write() []byte {
	var w boxWriter
	w.open("ftyp")
	w.raw([]byte("heic"))
	w.u32(0)
	w.raw([]byte("mif1heic"))
	w.close()

	n := len(s.data)
	payload := s.payload
	if payload == nil {
		payload = []byte{0, 1, byte(s.rows - 1), byte(s.cols - 1)}
		payload = append(payload, u32s(uint32(s.width), uint32(s.height))...)
	}
	alphaID := uint16(n + 2)

	w.openFull("meta", 0, 0)
	w.openFull("hdlr", 0, 0)
	w.u32(0)
	w.raw([]byte("pict"))
	w.raw(make([]byte, 13))
	w.close()
	w.openFull("pitm", 0, 0)
	w.u16(1)
	w.close()
	w.openFull("iinf", 0, 0)
	items := n + 1
	if s.alpha {
		items++
	}
	w.u16(uint16(items))
	infe := func(id uint16, typ string) {
		hidden := uint32(0)
		if id != 1 {
			hidden = 1 // tiles and alpha are not images of their own
		}
		w.openFull("infe", 2, hidden)
		w.u16(id)
		w.u16(0)
		w.raw([]byte(typ))
		w.u8(0)
		w.close()
	}
	infe(1, "grid")
	for i := 0; i < n; i++ {
		infe(uint16(i+2), "hvc1")
	}
	if s.alpha {
		infe(alphaID, "hvc1")
	}
	w.close()
	w.openFull("iref", 0, 0)
	w.open("dimg")
	w.u16(1)
	refs := s.refs
	if refs == 0 {
		refs = n
	}
	w.u16(uint16(refs))
	for i := 0; i < refs; i++ {
		w.u16(uint16(i%n + 2))
	}
	w.close()
	if s.alpha {
		w.open("auxl")
		w.u16(alphaID)
		w.u16(1)
		w.u16(1)
		w.close()
	}
	w.close()

	// iloc v1: grid payload in idat, tiles in mdat (offsets patched).
	w.openFull("iloc", 1, 0)
	w.u8(0x44)
	w.u8(0)
	w.u16(uint16(items))
	w.u16(1)
	w.u16(1) // construction method 1: idat
	w.u16(0)
	w.u16(1)
	w.u32(0)
	w.u32(uint32(len(payload)))
	var patch []int
	tileData := s.data
	if s.alpha {
		tileData = append(append([][]byte{}, s.data...), s.data[0])
	}
	for i, d := range tileData {
		w.u16(uint16(i + 2))
		w.u16(0)
		w.u16(0)
		w.u16(1)
		patch = append(patch, len(w.buf))
		w.u32(0)
		w.u32(uint32(len(d)))
	}
	w.close()

	// Properties: hvcC boxes (deduplicated), tile ispe, grid ispe, extras.
	var props [][]byte
	index := func(b []byte) int {
		for i, p := range props {
			if bytes.Equal(p, b) {
				return i + 1
			}
		}
		props = append(props, b)
		return len(props)
	}
	type assoc struct {
		idx       int
		essential bool
	}
	tileAssoc := make([][]assoc, len(tileData))
	for i := range tileData {
		tileAssoc[i] = append(tileAssoc[i], assoc{index(s.hvcC[i%n]), true}, assoc{index(ispeBox(s.tileW, s.tileH)), false})
		for _, p := range s.tileProps {
			tileAssoc[i] = append(tileAssoc[i], assoc{index(p.box), p.essential})
		}
	}
	if s.alpha {
		auxC := fullBox("auxC", 0, []byte("urn:mpeg:hevc:2015:auxid:1\x00"))
		tileAssoc[n] = append(tileAssoc[n], assoc{index(auxC), true})
	}
	gridAssoc := []assoc{{index(ispeBox(s.width, s.height)), false}}
	if s.noGridIspe {
		gridAssoc = nil
	}
	for _, p := range s.gridProps {
		gridAssoc = append(gridAssoc, assoc{index(p.box), p.essential})
	}
	w.open("iprp")
	w.open("ipco")
	for _, p := range props {
		w.raw(p)
	}
	w.close()
	w.openFull("ipma", 0, 0)
	w.u32(uint32(items))
	entry := func(id uint16, as []assoc) {
		w.u16(id)
		w.u8(uint8(len(as)))
		for _, a := range as {
			v := uint8(a.idx)
			if a.essential {
				v |= 0x80
			}
			w.u8(v)
		}
	}
	entry(1, gridAssoc)
	for i := range tileData {
		entry(uint16(i+2), tileAssoc[i])
	}
	w.close()
	w.close()
	w.open("idat")
	w.raw(payload)
	w.close()
	w.close() // meta

	w.open("mdat")
	for i, d := range tileData {
		binary.BigEndian.PutUint32(w.buf[patch[i]:], uint32(len(w.buf)))
		w.raw(d)
	}
	w.close()
	return w.buf
}

// singleImage returns the primary item's hvcC box and coded data of a
// single-image HEIF (as heif-enc writes it).
func singleImage(file []byte) (hvcC, data []byte, err error) {
	top, err := parseBoxes(file)
	if err != nil {
		return nil, nil, err
	}
	meta, ok := findBox(top, "meta")
	if !ok {
		return nil, nil, fmt.Errorf("no meta")
	}
	mb, err := parseBoxes(meta.body[4:])
	if err != nil {
		return nil, nil, err
	}
	primary, err := parsePitm(mb)
	if err != nil {
		return nil, nil, err
	}
	items, err := parseIinf(mb)
	if err != nil {
		return nil, nil, err
	}
	if err := parseIloc(mb, items); err != nil {
		return nil, nil, err
	}
	if err := parseIprp(mb, items); err != nil {
		return nil, nil, err
	}
	it := items[primary]
	if it == nil || it.typ != "hvc1" {
		return nil, nil, fmt.Errorf("primary is not hvc1")
	}
	for _, p := range it.props {
		if p.typ == "hvcC" {
			hvcC = p.raw
		}
	}
	data, err = itemData(it, file, nil)
	return hvcC, data, err
}

// encodeGrid cuts img into tiles (edge pixels repeated past the image),
// encodes each with heif-enc and assembles the grid.
func encodeGrid(tb testing.TB, img image.Image, tileW, tileH int, encOpts ...string) gridSpec {
	tb.Helper()
	enc, err := exec.LookPath("heif-enc")
	if err != nil {
		tb.Skip("heif-enc not installed (apt-get install libheif-examples)")
	}
	b := img.Bounds()
	s := gridSpec{width: b.Dx(), height: b.Dy(), tileW: tileW, tileH: tileH,
		cols: (b.Dx() + tileW - 1) / tileW, rows: (b.Dy() + tileH - 1) / tileH}
	dir := tb.TempDir()
	for r := 0; r < s.rows; r++ {
		for c := 0; c < s.cols; c++ {
			t := image.NewNRGBA(image.Rect(0, 0, tileW, tileH))
			for y := 0; y < tileH; y++ {
				for x := 0; x < tileW; x++ {
					sx := min(b.Min.X+c*tileW+x, b.Max.X-1)
					sy := min(b.Min.Y+r*tileH+y, b.Max.Y-1)
					t.Set(x, y, img.At(sx, sy))
				}
			}
			pngPath := filepath.Join(dir, fmt.Sprintf("t%d-%d.png", r, c))
			f, err := os.Create(pngPath)
			if err != nil {
				tb.Fatal(err)
			}
			if err := png.Encode(f, t); err != nil {
				tb.Fatal(err)
			}
			f.Close()
			out := filepath.Join(dir, fmt.Sprintf("t%d-%d.heic", r, c))
			if msg, err := exec.Command(enc, append(encOpts, "-o", out, pngPath)...).CombinedOutput(); err != nil {
				tb.Fatalf("heif-enc: %v: %s", err, msg)
			}
			file, err := os.ReadFile(out)
			if err != nil {
				tb.Fatal(err)
			}
			hvcC, data, err := singleImage(file)
			if err != nil {
				tb.Fatalf("tile %d,%d: %v", r, c, err)
			}
			s.hvcC = append(s.hvcC, hvcC)
			s.data = append(s.data, data)
		}
	}
	return s
}

// fixturePattern is the committed grid's picture: colour gradients, a
// circle and stripes, different in every tile so a misplaced tile shows.
func fixturePattern(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255}
			if dx, dy := x-w/3, y-h/2; dx*dx+dy*dy < (h/3)*(h/3) {
				c = color.NRGBA{230, 40, 60, 255}
			}
			if x > 2*w/3 && (y/7)%2 == 0 {
				c = color.NRGBA{20, 60, 220, 255}
			}
			if (x/5+y/9)%11 == 0 {
				c = color.NRGBA{250, 250, 250, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

const (
	fixturePath        = "testdata/grid-300x198.heic"
	fixture444Path     = "testdata/grid-444.heic"
	fixtureW, fixtureH = 300, 198
	fixtureTile        = 128
)

// TestWriteGridFixture (re)writes the committed grid fixtures: 3x2 tiles
// of 128x128 (4:2:0, as phones write) with a 300x198 output, so the last
// column and row of tiles are cut; and a 2x1 grid of 4:4:4 tiles. Run
// once, with heif-enc (Debian libheif-examples 1.15.1) installed:
//
//	HEADSHOT_WRITE_HEIC_FIXTURE=1 go test -run TestWriteGridFixture ./imageprep/heic/
func TestWriteGridFixture(t *testing.T) {
	if os.Getenv("HEADSHOT_WRITE_HEIC_FIXTURE") == "" {
		t.Skip("set HEADSHOT_WRITE_HEIC_FIXTURE=1 to rewrite " + fixturePath)
	}
	s := encodeGrid(t, fixturePattern(fixtureW, fixtureH), fixtureTile, fixtureTile, "-q", "60", "--no-alpha")
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixturePath, s.write(), 0o644); err != nil {
		t.Fatal(err)
	}
	s = encodeGrid(t, fixturePattern(256, 128), fixtureTile, fixtureTile, "-q", "60", "--no-alpha", "-p", "chroma=444")
	if err := os.WriteFile(fixture444Path, s.write(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadFixture reads the committed grid back as a spec to vary.
func loadFixture(tb testing.TB) gridSpec { return loadGrid(tb, fixturePath) }

func loadGrid(tb testing.TB, path string) gridSpec {
	tb.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := parseGridLayout(file)
	if err != nil {
		tb.Fatal(err)
	}
	s := gridSpec{rows: g.rows, cols: g.cols, width: g.width, height: g.height, tileW: g.tileW, tileH: g.tileH}
	for _, t := range g.tiles {
		s.hvcC = append(s.hvcC, t.hvcC)
		s.data = append(s.data, t.data)
	}
	return s
}

// TestWriteBenchGrids makes phone-like 12 MP grid HEICs for benchmarks
// (not committed): every PNG in SRC (4032x3024) becomes OUT/NAME.heic,
// 8x6 tiles of 512x512 encoded by heif-enc at quality 50 with mild noise
// added (as a sensor's), and a file whose name contains "portrait" gets
// irot 3, as an iPhone stores a portrait photo. Run with
//
//	HEADSHOT_WRITE_BENCH_GRIDS=SRC:OUT go test -run TestWriteBenchGrids -timeout 60m ./imageprep/heic/
func TestWriteBenchGrids(t *testing.T) {
	arg := os.Getenv("HEADSHOT_WRITE_BENCH_GRIDS")
	src, out, ok := strings.Cut(arg, ":")
	if !ok {
		t.Skip("set HEADSHOT_WRITE_BENCH_GRIDS=SRC:OUT")
	}
	paths, _ := filepath.Glob(filepath.Join(src, "*.png"))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		s := encodeGrid(t, noisy{img, 6}, 512, 512, "-q", "50", "--no-alpha")
		if strings.Contains(p, "portrait") {
			s.gridProps = []testProp{{irotBox(3), true}}
		}
		name := strings.TrimSuffix(filepath.Base(p), ".png") + ".heic"
		if err := os.WriteFile(filepath.Join(out, name), s.write(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// noisy adds deterministic noise of up to ±amp levels to an image.
type noisy struct {
	image.Image
	amp int
}

func (n noisy) At(x, y int) color.Color {
	r, g, b, _ := n.Image.At(x, y).RGBA()
	h := uint32(x)*0x9e3779b1 ^ uint32(y)*0x85ebca77
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	d := func(v uint32, k uint32) uint8 {
		return uint8(max(0, min(255, int(v>>8)+int((h>>k)%uint32(2*n.amp+1))-n.amp)))
	}
	return color.NRGBA{d(r, 0), d(g, 8), d(b, 16), 255}
}
