package lbp

import (
	"image"
	"testing"
)

// BenchmarkDetect600 times one default detection on a 512x600 portrait
// (the working resolution: no pre-shrink) and reports ms per detection.
func BenchmarkDetect600(b *testing.B) {
	img := loadPhoto(b, "grace_hopper.jpg")
	if img.Bounds().Dy() != 600 {
		b.Fatalf("want a 600 px photo, got %v", img.Bounds())
	}
	benchDetect(b, img)
}

// BenchmarkDetect12MP times a detection on a 4000x3000 frame, where the
// box pre-shrink to 600 px dominates.
func BenchmarkDetect12MP(b *testing.B) {
	src := loadPhoto(b, "grace_hopper.jpg")
	big := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for i := range big.Cb {
		big.Cb[i], big.Cr[i] = 128, 128
	}
	drawScaled(big, image.Rect(1200, 400, 2800, 2275), src)
	benchDetect(b, big)
}

func benchDetect(b *testing.B, img image.Image) {
	d := Default()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d.Detect(img, Params{})
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/detect")
}

// BenchmarkDetect600MinFace times the same photo when faces smaller than
// an eighth of the shorter side are not wanted (Params.MinSize), which
// skips the largest pyramid levels.
func BenchmarkDetect600MinFace(b *testing.B) {
	img := loadPhoto(b, "grace_hopper.jpg")
	p := Params{MinSize: img.Bounds().Dx() / 8}
	d := Default()
	b.ReportAllocs()
	for b.Loop() {
		d.Detect(img, p)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/detect")
}
