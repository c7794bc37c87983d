package imageprep

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hugeHeaders are files of every format whose header claims far more pixels
// than the budget, and nothing (or almost nothing) else.
func hugeHeaders(t *testing.T) map[string][]byte {
	t.Helper()
	le16 := func(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
	le32 := func(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	jpg := cat([]byte{0xFF, 0xD8}, // SOI
		[]byte{0xFF, 0xC0, 0x00, 0x0B, 8, 0xEA, 0x60, 0xEA, 0x60, 1, 1, 0x11, 0}, // SOF0 60000x60000 grey
		[]byte{0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0},                     // SOS: the header ends here
		[]byte{0xFF, 0xD9})

	gif := cat([]byte("GIF89a"), le16(65535), le16(65535), []byte{0x00, 0, 0}, []byte{0x3B})

	vp8x := cat([]byte("VP8X"), le32(10), []byte{0, 0, 0, 0}, le32(16383)[:3], le32(16383)[:3])
	webpX := cat([]byte("RIFF"), le32(4+len(vp8x)), []byte("WEBP"), vp8x)
	vp8l := cat([]byte("VP8L"), le32(5), []byte{0x2f}, le32(16383|16383<<14))
	webpL := cat([]byte("RIFF"), le32(4+len(vp8l)+1), []byte("WEBP"), vp8l, []byte{0})

	bmp := cat([]byte("BM"), le32(54), le32(0), le32(54),
		le32(40), le32(60000), le32(60000), le16(1), le16(24), le32(0), le32(0), le32(2835), le32(2835), le32(0), le32(0))

	entry := func(tag, typ, count, val int) []byte {
		b := cat(le16(tag), le16(typ), le32(count))
		if typ == 3 {
			return cat(b, le16(val), le16(0))
		}
		return cat(b, le32(val))
	}
	tif := cat([]byte("II*\x00"), le32(8), le16(9),
		entry(256, 4, 1, 60000), entry(257, 4, 1, 60000), entry(258, 3, 1, 8), entry(259, 3, 1, 1),
		entry(262, 3, 1, 1), entry(273, 4, 1, 8), entry(277, 3, 1, 1), entry(278, 4, 1, 60000), entry(279, 4, 1, 1),
		le32(0))

	heic, err := os.ReadFile("testdata/bands.heic")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(heic, []byte("ispe"))
	if i < 0 {
		t.Fatal("no ispe box in testdata/bands.heic")
	}
	binary.BigEndian.PutUint32(heic[i+8:], 60000)
	binary.BigEndian.PutUint32(heic[i+12:], 60000)

	return map[string][]byte{
		"bomb.png": pngHeaderOnly(60000, 60000), "bomb.jpg": jpg, "bomb.gif": gif,
		"bomb-vp8x.webp": webpX, "bomb-vp8l.webp": webpL, "bomb.bmp": bmp, "bomb.tif": tif, "bomb.heic": heic,
	}
}

// For every format, a header claiming a huge size is refused as too large
// by Inspect and by Prepare, before any pixel is decoded or allocated.
func TestHugeHeaderRefusedBeforeAllocationEveryFormat(t *testing.T) {
	dir := t.TempDir()
	for name, data := range hugeHeaders(t) {
		p := writeFile(t, dir, name, data)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Inspect(p, 0)
		runtime.ReadMemStats(&after)
		if KindOf(err) != KindTooLarge || !strings.Contains(err.Error(), "megapixel") {
			t.Errorf("%s: Inspect got %v, want a pixel-budget refusal", name, err)
			continue
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 2<<20 {
			t.Errorf("%s: Inspect allocated %d bytes for a refused header", name, d)
		}
		n := decodeCount.Load()
		if _, err := Prepare(t.Context(), p, Options{}); KindOf(err) != KindTooLarge {
			t.Errorf("%s: Prepare got %v", name, err)
		}
		if decodeCount.Load() != n {
			t.Errorf("%s: Prepare decoded a refused file", name)
		}
	}
}

// A real decompression bomb (a valid PNG of 20000x20000 zero pixels that
// compresses to a few hundred KB) is refused by the pixel budget.
func TestDecompressionBombPNGRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 400 MP PNG stream")
	}
	const side = 20000
	var b bytes.Buffer
	pngEncodeHeader(&b, side, side)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, side+1) // filter byte + grey pixels, all zero
	for y := 0; y < side; y++ {
		zw.Write(row)
	}
	zw.Close()
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		b.Write(c)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	if b.Len() > 2<<20 {
		t.Fatalf("bomb is %d bytes; not a bomb", b.Len())
	}
	p := writeFile(t, t.TempDir(), "bomb.png", b.Bytes())
	n := decodeCount.Load()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Prepare(t.Context(), p, Options{})
	runtime.ReadMemStats(&after)
	if KindOf(err) != KindTooLarge || !strings.Contains(err.Error(), "20000x20000") {
		t.Fatalf("got %v", err)
	}
	if decodeCount.Load() != n {
		t.Error("the bomb was decoded")
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Errorf("Prepare allocated %d bytes refusing the bomb", d)
	}
}

// A source photo is opened read-only and never written: preparing a 0444
// file works and leaves its bytes and its modification time as they were.
func TestSourceNeverWritten(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"jane.doe@example.com.jpg": jpegWithExif(t, quadrants(240, 180), 6, 90),
		"john.png":                 pngBytes(t, quadrants(180, 240)),
	} {
		p := writeFile(t, dir, name, data)
		old := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o444); err != nil {
			t.Fatal(err)
		}
		st0, _ := os.Stat(p)
		res, err := Prepare(t.Context(), p, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res == nil {
			t.Fatalf("%s: no result", name)
		}
		got, _ := os.ReadFile(p)
		st1, _ := os.Stat(p)
		if !bytes.Equal(got, data) {
			t.Errorf("%s: source bytes changed", name)
		}
		if !st1.ModTime().Equal(st0.ModTime()) || st1.Mode() != st0.Mode() || st1.Size() != st0.Size() {
			t.Errorf("%s: source metadata changed: %v %v -> %v %v", name, st0.ModTime(), st0.Mode(), st1.ModTime(), st1.Mode())
		}
		entries, _ := os.ReadDir(filepath.Dir(p))
		for _, e := range entries {
			if _, ok := map[string][]byte{"jane.doe@example.com.jpg": nil, "john.png": nil}[e.Name()]; !ok {
				t.Errorf("Prepare left %s next to the sources", e.Name())
			}
		}
	}
}

// A FIFO named like a photo is refused at once instead of blocking the
// preparation until something writes to it; so is a FIFO crop sidecar.
func TestFIFOPhotoAndSidecarRefusedWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "jane.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 2)
	go func() { _, err := Inspect(fifo, 0); done <- err }()
	photo := writeFile(t, dir, "john.jpg", jpegBytes(t, quadrants(64, 64), 90))
	if err := syscall.Mkfifo(photo+".crop", 0o644); err != nil {
		t.Fatal(err)
	}
	go func() { _, err := ReadSidecar(photo); done <- err }()
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if err == nil {
				t.Error("a FIFO was accepted")
			}
		case <-time.After(5 * time.Second):
			// Unblock the stuck open so the test can end.
			for _, p := range []string{fifo, photo + ".crop"} {
				if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
			}
			t.Fatal("opening a FIFO blocked")
		}
	}
}

// A sidecar that is a link to an endless device is refused after reading a
// few bytes, not read until memory runs out.
func TestSidecarLinkedToDeviceBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir := t.TempDir()
	photo := writeFile(t, dir, "jo.jpg", jpegBytes(t, quadrants(64, 64), 90))
	if err := os.Symlink("/dev/zero", photo+".crop"); err != nil {
		t.Skip(err)
	}
	if _, err := ReadSidecar(photo); err == nil {
		t.Fatal("an endless sidecar was accepted")
	}
	if err := os.Remove(photo + ".crop"); err != nil {
		t.Fatal(err)
	}
	// A regular but huge sidecar is refused after 257 bytes.
	writeFile(t, dir, "jo.jpg.crop", bytes.Repeat([]byte("9"), 50<<20))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadSidecar(photo)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "jo.jpg.crop") {
		t.Fatalf("got %v", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("reading a 50 MB sidecar allocated %d bytes", d)
	}
}

// A photo that grew after Inspect (swapped for a bigger file) is refused
// without reading all of it.
func TestReadAllStopsAfterTheInspectedSize(t *testing.T) {
	p := writeFile(t, t.TempDir(), "grown.jpg", make([]byte, 64<<20))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := readAll(p, 1000)
	runtime.ReadMemStats(&after)
	if KindOf(err) != KindUnreadable {
		t.Fatalf("got %v", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("readAll read %d bytes of a file inspected at 1000", d)
	}
}
