package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"sync"
	"testing"
)

// phonePhoto is a 4000x3000 4:2:0 JPEG at quality 92 with sensor-like
// noise, so its entropy-coded data is as dense as a phone photo's.
var phonePhoto = sync.OnceValue(func() []byte {
	const w, h = 4000, 3000
	base := photoLike(w/8, h/8)
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(99)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := base.RGBAAt(x/8, y/8)
			seed = seed*1664525 + 1013904223
			n := int(seed>>26) - 32
			yy, _, _ := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[y*m.YStride+x] = clamp8(int(yy) + n/2)
		}
	}
	for y := 0; y < h/2; y++ {
		for x := 0; x < w/2; x++ {
			c := base.RGBAAt(x/4, y/4)
			_, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Cb[y*m.CStride+x], m.Cr[y*m.CStride+x] = cb, cr
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// BenchmarkDecode12MP decodes a 12 MP phone-like JPEG at each scale, and
// with image/jpeg for comparison.
func BenchmarkDecode12MP(b *testing.B) {
	data := phonePhoto()
	b.Run("image-jpeg", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, denom := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("1:%d", denom), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				if _, err := Decode(bytes.NewReader(data), denom); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
