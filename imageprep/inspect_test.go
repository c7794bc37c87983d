package imageprep

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image/gif"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name string
		head string
		want Format
		kind Kind
	}{
		{"jpeg", "\xff\xd8\xff\xe0", JPEG, 0},
		{"png", "\x89PNG\r\n\x1a\n\x00", PNG, 0},
		{"gif", "GIF89a\x01\x00", GIF, 0},
		{"webp", "RIFF\x10\x00\x00\x00WEBPVP8 ", WebP, 0},
		{"tiff-le", "II*\x00\x08\x00\x00\x00", TIFF, 0},
		{"tiff-be", "MM\x00*\x00\x00\x00\x08", TIFF, 0},
		{"bmp", "BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00", BMP, 0},
		{"heic", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", HEIC, 0},
		{"heix", "\x00\x00\x00\x14ftypheix\x00\x00\x00\x00mif1", HEIC, 0},
		{"mif1", "\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", HEIC, 0},
		{"msf1", "\x00\x00\x00\x18ftypmsf1\x00\x00\x00\x00msf1hevc", HEIC, 0},
		{"avif", "\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif", "", KindUnsupported},
		{"mif1-avif", "\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1avif", "", KindUnsupported},
		{"mp4", "\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomavc1", "", KindNotImage},
		{"pdf", "%PDF-1.7\n", "", KindUnsupported},
		{"text", "Name,Email\nJo,jo@example.com\n", "", KindNotImage},
		{"binary", "\x00\x01\x02\x03\x04\x05", "", KindNotImage},
		{"empty", "", "", KindNotImage},
	} {
		f, k, why := sniff([]byte(c.head))
		if f != c.want || k != c.kind {
			t.Errorf("%s: sniff = %q, %v (%s); want %q, %v", c.name, f, k, why, c.want, c.kind)
		}
		if k != 0 && why == "" {
			t.Errorf("%s: refusal without a reason", c.name)
		}
	}
}

func TestInspectFormats(t *testing.T) {
	dir := t.TempDir()
	img := quadrants(40, 30)
	var gb, bb, tb bytes.Buffer
	if err := gif.Encode(&gb, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := bmp.Encode(&bb, img); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&tb, img, nil); err != nil {
		t.Fatal(err)
	}
	heic, err := os.ReadFile("testdata/bands.heic")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		f    Format
		w, h int
	}{
		{"a.jpg", jpegBytes(t, img, 90), JPEG, 40, 30},
		{"a.png", pngBytes(t, img), PNG, 40, 30},
		{"a.gif", gb.Bytes(), GIF, 40, 30},
		{"a.bmp", bb.Bytes(), BMP, 40, 30},
		{"a.tif", tb.Bytes(), TIFF, 40, 30},
		{"a.webp", webpLossless(t), WebP, 40, 30},
		{"a.heic", heic, HEIC, 192, 128},
		// the extension lies: content decides
		{"really-png.jpg", pngBytes(t, img), PNG, 40, 30},
	} {
		p := writeFile(t, dir, c.name, c.data)
		src, err := Inspect(p, 0)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if src.Format != c.f || src.Width != c.w || src.Height != c.h || src.Orientation != 1 || src.Bytes != int64(len(c.data)) {
			t.Errorf("%s: got %+v, want %s %dx%d", c.name, src, c.f, c.w, c.h)
		}
	}
}

// webpLossless is the 40x30 quadrant pattern as lossless WebP (made once
// with vips: x/image has no WebP encoder).
func webpLossless(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/quadrants.webp")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestInspectOrientation(t *testing.T) {
	dir := t.TempDir()
	up := quadrants(40, 30)
	for o := 1; o <= 8; o++ {
		p := writeFile(t, dir, "o.jpg", jpegWithExif(t, storeForOrientation(up, o), o, 90))
		src, err := Inspect(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if src.Orientation != o || src.Width != 40 || src.Height != 30 {
			t.Errorf("orientation %d: got orientation %d, %dx%d; want 40x30", o, src.Orientation, src.Width, src.Height)
		}
	}
	// EXIF without an Orientation tag, and a bogus value, mean upright.
	p := writeFile(t, dir, "none.jpg", jpegWithExif(t, up, 0, 90))
	if src, err := Inspect(p, 0); err != nil || src.Orientation != 1 {
		t.Errorf("no tag: %+v %v", src, err)
	}
	p = writeFile(t, dir, "bogus.jpg", jpegWithExif(t, up, 9, 90))
	if src, err := Inspect(p, 0); err != nil || src.Orientation != 1 {
		t.Errorf("bogus tag: %+v %v", src, err)
	}
}

func TestInspectRefusals(t *testing.T) {
	dir := t.TempDir()
	good := jpegBytes(t, quadrants(64, 64), 90)
	cases := []struct {
		name string
		data []byte
		kind Kind
	}{
		{"empty.jpg", nil, KindEmpty},
		{"notes.jpg", []byte("These are the notes for the staff photo day.\n"), KindNotImage},
		{"header-cut.jpg", good[:40], KindTruncated},
		{"sig-cut.png", []byte("\x89PN"), KindTruncated},
		{"garbage.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0xAB}, 64)...), KindCorrupt},
		{"bomb.png", pngHeaderOnly(60000, 60000), KindTooLarge},
		{"movie.heic", []byte("\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif"), KindUnsupported},
	}
	for _, c := range cases {
		p := writeFile(t, dir, c.name, c.data)
		_, err := Inspect(p, 0)
		if KindOf(err) != c.kind {
			t.Errorf("%s: got %v (kind %v), want kind %v", c.name, err, KindOf(err), c.kind)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, c.name+": ") || strings.Contains(msg, "\n") {
			t.Errorf("%s: message %q should be one line naming the file", c.name, msg)
		}
	}
	if _, err := Inspect(filepath.Join(dir, "missing.jpg"), 0); KindOf(err) != KindUnreadable || !strings.Contains(err.Error(), "missing.jpg") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Inspect(dir, 0); KindOf(err) != KindUnreadable {
		t.Errorf("folder: %v", err)
	}
	if os.Getuid() != 0 {
		p := writeFile(t, dir, "locked.jpg", good)
		os.Chmod(p, 0)
		if _, err := Inspect(p, 0); KindOf(err) != KindUnreadable {
			t.Errorf("unreadable: %v", err)
		}
	}
	// A small budget refuses an ordinary photo too.
	p := writeFile(t, dir, "ok.jpg", good)
	if _, err := Inspect(p, 1000); KindOf(err) != KindTooLarge {
		t.Errorf("budget 1000 px: %v", err)
	}
}

// pngHeaderOnly is a PNG signature and IHDR claiming w x h, and nothing else.
func pngHeaderOnly(w, h int) []byte {
	var b bytes.Buffer
	pngEncodeHeader(&b, w, h)
	return b.Bytes()
}

func TestInspectHugeHeaderDoesNotAllocate(t *testing.T) {
	p := writeFile(t, t.TempDir(), "bomb.png", pngHeaderOnly(60000, 60000))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Inspect(p, 0)
	runtime.ReadMemStats(&after)
	if KindOf(err) != KindTooLarge || !strings.Contains(err.Error(), "60000x60000") {
		t.Fatalf("got %v", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("Inspect allocated %d bytes for a refused header", d)
	}
	// decode must not be reached: Prepare refuses at the same point.
	n := decodeCount.Load()
	if _, err := Prepare(t.Context(), p, Options{}); KindOf(err) != KindTooLarge {
		t.Errorf("Prepare: %v", err)
	}
	if decodeCount.Load() != n {
		t.Error("Prepare decoded a refused bomb")
	}
}

func TestPNGAndWebPExifOrientation(t *testing.T) {
	// PNG with an eXIf chunk (orientation 6) before IDAT.
	up := quadrants(40, 30)
	raw := pngBytes(t, storeForOrientation(up, 6))
	tiffBlock := exifTIFF(6)
	chunk := make([]byte, 8, 8+len(tiffBlock)+4)
	binary.BigEndian.PutUint32(chunk[0:4], uint32(len(tiffBlock)))
	copy(chunk[4:8], "eXIf")
	chunk = append(chunk, tiffBlock...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	ihdrEnd := 8 + 8 + 13 + 4
	withExif := append(append(append([]byte{}, raw[:ihdrEnd]...), chunk...), raw[ihdrEnd:]...)
	p := writeFile(t, t.TempDir(), "o6.png", withExif)
	src, err := Inspect(p, 0)
	if err != nil || src.Orientation != 6 || src.Width != 40 || src.Height != 30 {
		t.Fatalf("png eXIf: %+v %v", src, err)
	}
	img, _, err := defaultDecoder.decode(p, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkQuadrants(t, "png eXIf 6", img, 0)
	// WebP EXIF chunk parsing (the chunk walk itself).
	webp := []byte("RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	ex := append([]byte("EXIF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(ex[4:], uint32(len(tiffBlock)))
	ex = append(ex, tiffBlock...)
	webp = append(webp, ex...)
	if o := webpOrientation(bytesReaderAt(webp), int64(len(webp))); o != 6 {
		t.Errorf("webp EXIF orientation: %d", o)
	}
}

func TestHeifHeaderTransforms(t *testing.T) {
	box := func(typ string, body ...[]byte) []byte {
		var b []byte
		for _, x := range body {
			b = append(b, x...)
		}
		out := binary.BigEndian.AppendUint32(nil, uint32(8+len(b)))
		return append(append(out, typ...), b...)
	}
	ispe := box("ispe", []byte{0, 0, 0, 0}, binary.BigEndian.AppendUint32(nil, 4032), binary.BigEndian.AppendUint32(nil, 3024))
	irot := box("irot", []byte{1}) // a quarter turn anticlockwise
	ipco := box("ipco", ispe, irot)
	// ipma v0: one item (ID 1) with properties 1 and 2.
	ipma := box("ipma", []byte{0, 0, 0, 0}, []byte{0, 0, 0, 1}, []byte{0, 1, 2, 0x81, 0x02})
	pitm := box("pitm", []byte{0, 0, 0, 0, 0, 1})
	meta := box("meta", []byte{0, 0, 0, 0}, pitm, box("iprp", ipco, ipma))
	file := append(box("ftyp", []byte("heic\x00\x00\x00\x00mif1heic")), meta...)
	info, err := readHeifInfo(bytesReaderAt(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := info.orientedSize(); w != 3024 || h != 4032 || info.exifOrientation() != 8 {
		t.Errorf("got %dx%d orientation %d", w, h, info.exifOrientation())
	}
	// A clean aperture crops before the rotation.
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	clap := box("clap", u32(4000), u32(1), u32(3000), u32(1), u32(0), u32(1), u32(0), u32(1))
	ipco2 := box("ipco", ispe, irot, clap)
	ipma2 := box("ipma", []byte{0, 0, 0, 0}, []byte{0, 0, 0, 1}, []byte{0, 1, 3, 0x81, 0x83, 0x02})
	file2 := append(box("ftyp", []byte("heic\x00\x00\x00\x00mif1heic")), box("meta", []byte{0, 0, 0, 0}, pitm, box("iprp", ipco2, ipma2))...)
	if info, err := readHeifInfo(bytesReaderAt(file2), int64(len(file2))); err != nil {
		t.Error(err)
	} else if w, h := info.orientedSize(); w != 3000 || h != 4000 {
		t.Errorf("with clap: %dx%d, want 3000x4000", w, h)
	}
	// Cut anywhere, the parser refuses without panicking.
	for n := 0; n < len(file); n++ {
		readHeifInfo(bytesReaderAt(file[:n]), int64(n))
	}
}

func TestTinyHEICIsRefusedNotGarbled(t *testing.T) {
	src := Source{Path: "tiny.heic", Format: HEIC, Width: 64, Height: 48, Orientation: 1}
	data, _ := os.ReadFile("testdata/bands.heic")
	if _, _, err := defaultDecoder.decodeBytes(t.Context(), "tiny.heic", data, src, 0); KindOf(err) != KindUnsupported {
		t.Errorf("got %v", err)
	}
}

func TestInspectRefusesHugeFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.jpg")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(jpegBytes(t, quadrants(8, 8), 80))
	f.Truncate(MaxFileBytes + 1) // sparse: no disk used
	f.Close()
	if _, err := Inspect(p, 0); KindOf(err) != KindFileTooLarge || !strings.Contains(err.Error(), "file too large: the file is") || strings.Contains(err.Error(), "pixels") {
		t.Errorf("got %v", err)
	}
}
