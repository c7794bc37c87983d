package heic

import (
	"bytes"
	"errors"
	"image"
	"os"
	"testing"
)

func TestDecodeTestFile(t *testing.T) {
	data, err := os.ReadFile("../testdata/bands.heic")
	if err != nil {
		t.Fatal(err)
	}
	img, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	y, ok := img.(*image.YCbCr)
	if !ok || y.Rect != image.Rect(0, 0, 192, 128) {
		t.Fatalf("got %T %v, want a 192x128 YCbCr", img, img.Bounds())
	}
	if len(y.Y) < y.YStride*128 || len(y.Cb) < y.CStride*((128+1)/2) {
		t.Fatalf("planes too short: Y %d (stride %d), Cb %d (stride %d)", len(y.Y), y.YStride, len(y.Cb), y.CStride)
	}
	// A second decode gets its own pixels (the first instance's memory is gone).
	img2, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if &img2.(*image.YCbCr).Y[0] == &y.Y[0] {
		t.Fatal("two decodes share their pixels")
	}
}

func TestDecodeRefusesBadInput(t *testing.T) {
	data, err := os.ReadFile("../testdata/bands.heic")
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"empty":     nil,
		"not heic":  []byte("plain text, not an image at all"),
		"truncated": data[:len(data)/2],
	} {
		if _, err := Decode(bytes.NewReader(in)); !errors.Is(err, ErrDecode) {
			t.Errorf("%s: err %v, want ErrDecode", name, err)
		}
	}
}
