package face

import (
	"image"
	"testing"
)

// BenchmarkFindFacelessSmall times Find on a 600 x 400 photo without a
// face: every pass runs, the small-face pass (832 px) included.
func BenchmarkFindFacelessSmall(b *testing.B) {
	img := loadPhoto(b, "coffee.jpg")
	benchFind(b, img, img)
}

// BenchmarkFindFacelessLargeCopy times FindCopy on a 416 px copy of a
// faceless large photo, as imageprep hands it over: no small-face pass.
func BenchmarkFindFacelessLargeCopy(b *testing.B) {
	img := loadPhoto(b, "coffee.jpg")
	benchFind(b, scaledCopy(img, 416, 277), nil)
}

// BenchmarkFindSmallFace times Find on a 26 px face in a 480 x 360 photo
// (found by the small-face pass).
func BenchmarkFindSmallFace(b *testing.B) {
	img, _ := smallFaceScene(b, 26)
	benchFind(b, img, img)
}

func benchFind(b *testing.B, img, full image.Image) {
	b.ReportAllocs()
	for b.Loop() {
		FindCopy(img, full)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/find")
}
