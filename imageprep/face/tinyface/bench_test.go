package tinyface

import (
	"image"
	"image/color"
	"testing"
)

// benchImage is a 4:3 colour image with smooth content.
func benchImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	return img
}

func BenchmarkDetect(b *testing.B) {
	img := benchImage(640, 480)
	for _, s := range []int{224, 320, 416} {
		b.Run(itoa(s), func(b *testing.B) {
			for b.Loop() {
				if _, err := Default().Detect(img, Options{InputSize: s}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
