package demo

import (
	"bytes"
	"encoding/binary"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteSamplesDecode(t *testing.T) {
	dir := t.TempDir()
	// The demo's big sample is 24 MP (TestDefaultBigIs24MP); a smaller one
	// takes the same code path at a size the race detector can afford.
	samples, err := WriteSamples(dir, SampleOptions{BigWidth: 1500, BigHeight: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) < 10 {
		t.Fatalf("only %d samples", len(samples))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(samples) {
		t.Fatalf("%d files for %d samples", len(entries), len(samples))
	}
	seen := map[string]bool{}
	for _, s := range samples {
		data, err := os.ReadFile(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s does not decode: %v", s.Path, err)
		}
		if !strings.HasPrefix(filepath.Base(s.Path), s.Person+".") {
			t.Fatalf("%s not named after %s", s.Path, s.Person)
		}
		seen[s.Person] = true
		switch s.Person {
		case "mei.tanaka@example.com":
			if b := img.Bounds(); b.Dx() != 1500 || b.Dy() != 1000 {
				t.Fatalf("big sample is %v", b)
			}
		case "lukas.berg@example.com":
			if format != "png" {
				t.Fatalf("transparent sample is %s", format)
			}
			if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
				t.Fatal("corner not transparent")
			}
		case "omar.haddad@example.com":
			if b := img.Bounds(); b.Dx() <= b.Dy() {
				t.Fatalf("sideways sample is stored %v (want landscape pixels)", b)
			}
			if o := orientation(t, data); o != 6 {
				t.Fatalf("orientation %d, want 6", o)
			}
		}
	}
	for _, p := range []string{UnknownPerson, ZoomRejected} {
		if !seen[p] {
			t.Fatalf("no sample for %s", p)
		}
	}
}

func TestDefaultBigIs24MP(t *testing.T) {
	o := SampleOptions{}.withDefaults()
	if o.BigWidth*o.BigHeight < 24_000_000 {
		t.Fatalf("default big sample %dx%d", o.BigWidth, o.BigHeight)
	}
}

// orientation reads the Orientation tag the way a strict reader would: the
// first APP1 Exif segment, its TIFF header and IFD0.
func orientation(t *testing.T, data []byte) int {
	t.Helper()
	if data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF || data[3] != 0xE1 {
		t.Fatalf("no APP1 after SOI: % x", data[:4])
	}
	n := int(binary.BigEndian.Uint16(data[4:6]))
	seg := data[6 : 4+n]
	if string(seg[:6]) != "Exif\x00\x00" {
		t.Fatalf("APP1 is not Exif")
	}
	tiff := seg[6:]
	if string(tiff[:4]) != "MM\x00\x2a" {
		t.Fatal("bad TIFF header")
	}
	ifd := int(binary.BigEndian.Uint32(tiff[4:8]))
	count := int(binary.BigEndian.Uint16(tiff[ifd:]))
	for i := 0; i < count; i++ {
		e := tiff[ifd+2+12*i:]
		if binary.BigEndian.Uint16(e) == 0x0112 {
			return int(binary.BigEndian.Uint16(e[8:]))
		}
	}
	return 0
}
