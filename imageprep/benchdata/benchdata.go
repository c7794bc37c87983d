// Package benchdata makes the photos headshot's speed benchmarks prepare:
// phone-sized JPEGs (some with EXIF orientation 6, as a phone held upright
// writes them), PNGs and small JPEGs, generated from one real portrait
// (portrait.jpg: Eileen Collins, NASA, public domain, as shipped in
// scikit-image's data as astronaut.png) upscaled with sensor-like noise so
// they compress, and cost to decode, like camera photos.
//
// Copies of a kind differ only by a comment segment (JPEG) or text chunk
// (PNG): distinct content hashes, so no cache short-cuts a copy, and the
// same decoding work each time.
package benchdata

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync"

	"github.com/disintegration/imaging"
)

//go:embed portrait.jpg
var portraitJPEG []byte

// Kind is one sort of photo in a batch.
type Kind struct {
	Name        string // e.g. "jpeg-12MP"
	Format      string // "jpeg" or "png"
	Width       int    // stored width
	Height      int    // stored height
	Orientation int    // EXIF orientation written into a JPEG; 1 = none
}

// The kinds a batch mixes.
var (
	JPEG12MP        = Kind{"jpeg-12MP", "jpeg", 4000, 3000, 1}
	JPEG12MPRotated = Kind{"jpeg-12MP-rotated", "jpeg", 4000, 3000, 6}
	JPEG24MP        = Kind{"jpeg-24MP", "jpeg", 6000, 4000, 1}
	PNG3MP          = Kind{"png-3MP", "png", 2000, 1500, 1}
	SmallJPEG       = Kind{"jpeg-small", "jpeg", 800, 600, 1}
)

// batchCycle is the mix of a batch, repeated: per 10 photos, five 12 MP
// JPEGs (two of them rotated), three 24 MP JPEGs, one PNG, one small JPEG.
var batchCycle = []Kind{
	JPEG12MP, JPEG24MP, JPEG12MPRotated, JPEG12MP, PNG3MP,
	JPEG24MP, JPEG12MPRotated, JPEG12MP, SmallJPEG, JPEG24MP,
}

// Batch lists the kinds of an n-photo batch.
func Batch(n int) []Kind {
	out := make([]Kind, n)
	for i := range out {
		out[i] = batchCycle[i%len(batchCycle)]
	}
	return out
}

var (
	renderMu sync.Mutex
	rendered = map[Kind][]byte{}
)

// Render returns the encoded photo of kind k (made once per process, then
// shared: callers must not modify it).
func Render(k Kind) ([]byte, error) {
	renderMu.Lock()
	defer renderMu.Unlock()
	if data, ok := rendered[k]; ok {
		return data, nil
	}
	data, err := render(k)
	if err != nil {
		return nil, fmt.Errorf("benchdata: %s: %w", k.Name, err)
	}
	rendered[k] = data
	return data, nil
}

func render(k Kind) ([]byte, error) {
	src, err := jpeg.Decode(bytes.NewReader(portraitJPEG))
	if err != nil {
		return nil, err
	}
	// The upright picture; orientation 6 stores it turned 90° anticlockwise
	// (a viewer turns it clockwise back).
	w, h := k.Width, k.Height
	if k.Orientation >= 5 {
		w, h = h, w
	}
	up := imaging.Fill(src, w, h, imaging.Center, imaging.Linear)
	addNoise(up, 10, uint32(k.Width*31+k.Height))
	img := up
	if k.Orientation == 6 {
		img = imaging.Rotate90(up)
	}
	var buf bytes.Buffer
	switch k.Format {
	case "png":
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case "jpeg":
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
			return nil, err
		}
		data := buf.Bytes()
		if k.Orientation != 1 {
			data = insertAfterSOI(data, exifOrientation(k.Orientation))
		}
		return data, nil
	}
	return nil, fmt.Errorf("unknown format %q", k.Format)
}

// addNoise adds deterministic noise of about ±amp to every channel, like a
// phone sensor's grain: it gives upscaled pixels the entropy of a photo.
func addNoise(m *image.NRGBA, amp int, seed uint32) {
	s := seed | 1
	for i := 0; i < len(m.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			s ^= s << 13
			s ^= s >> 17
			s ^= s << 5
			v := int(m.Pix[i+c]) + int(s%uint32(2*amp+1)) - amp
			m.Pix[i+c] = uint8(min(max(v, 0), 255))
		}
	}
}

// exifOrientation is an APP1 Exif segment holding only the orientation.
func exifOrientation(o int) []byte {
	tiff := []byte{
		'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation, SHORT, 1
		0, 0, 0, 0, // no next IFD
	}
	body := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

func insertAfterSOI(data, seg []byte) []byte {
	out := make([]byte, 0, len(data)+len(seg))
	out = append(out, data[:2]...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

// Variant returns a copy of data (of the given format) that differs from
// every other variant number only by a comment, so its content hash is its
// own while its pixels are the same.
func Variant(data []byte, format string, n int) []byte {
	note := fmt.Sprintf("headshot bench copy %d", n)
	if format == "png" {
		// A tEXt chunk right after IHDR (8-byte signature + 25-byte IHDR).
		body := append([]byte("Comment\x00"), note...)
		chunk := make([]byte, 8, 12+len(body))
		binary.BigEndian.PutUint32(chunk, uint32(len(body)))
		copy(chunk[4:], "tEXt")
		chunk = append(chunk, body...)
		chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
		out := make([]byte, 0, len(data)+len(chunk))
		out = append(out, data[:33]...)
		out = append(out, chunk...)
		return append(out, data[33:]...)
	}
	seg := []byte{0xff, 0xfe, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(note)+2))
	return insertAfterSOI(data, append(seg, note...))
}

// Write renders kind k as variant n into dir and returns the file's path.
func Write(dir string, k Kind, n int) (string, error) {
	data, err := Render(k)
	if err != nil {
		return "", err
	}
	ext := ".jpg"
	if k.Format == "png" {
		ext = ".png"
	}
	path := filepath.Join(dir, fmt.Sprintf("%02d-%s%s", n, k.Name, ext))
	if err := os.WriteFile(path, Variant(data, k.Format, n), 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// WriteBatch writes an n-photo batch into dir and returns the paths.
func WriteBatch(dir string, n int) ([]string, error) {
	var paths []string
	for i, k := range Batch(n) {
		p, err := Write(dir, k, i)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
