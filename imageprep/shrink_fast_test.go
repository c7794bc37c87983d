package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math/rand"
	"testing"
)

// shrinkYCbCr (a band summed per source column, then per output column)
// gives exactly the bytes of the straightforward version it was
// written from, for every subsampling ratio, sub-images and regions with
// offsets, and the reductions the detector's copy uses.
func TestShrinkYCbCrMatchesStraightforward(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410}
	for i := 0; i < 40; i++ {
		ratio := ratios[i%len(ratios)]
		W, H := 50+rng.Intn(400), 50+rng.Intn(400)
		img := randomYCbCr(rng, W, H, ratio)
		if i%3 == 1 {
			img = img.SubImage(image.Rect(3, 5, W-1, H-2)).(*image.YCbCr)
		}
		b := img.Bounds()
		r := b
		if i%2 == 1 {
			r = image.Rect(b.Min.X+rng.Intn(b.Dx()/3), b.Min.Y+rng.Intn(b.Dy()/3), b.Max.X-rng.Intn(b.Dx()/3), b.Max.Y-rng.Intn(b.Dy()/3))
		}
		w, h := max(1, r.Dx()*(1+rng.Intn(9))/10), max(1, r.Dy()*(1+rng.Intn(9))/10)
		xs, ys := make([]int, w+1), make([]int, h+1)
		for x := range xs {
			xs[x] = r.Min.X + x*r.Dx()/w
		}
		for y := range ys {
			ys[y] = r.Min.Y + y*r.Dy()/h
		}
		got, want := image.NewNRGBA(image.Rect(0, 0, w, h)), image.NewNRGBA(image.Rect(0, 0, w, h))
		shrinkYCbCr(img, xs, ys, got)
		shrinkYCbCrRef(img, xs, ys, want)
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%s", fmt.Sprintf("#%d %v %v region %v -> %dx%d: pixels differ", i, ratio, b, r, w, h))
		}
	}
}

// shrinkYCbCrRef is the straightforward block average shrinkYCbCr was
// written from (a scatter-add per source pixel into its output column).
func shrinkYCbCrRef(src *image.YCbCr, xs, ys []int, out *image.NRGBA) {
	w, h := len(xs)-1, len(ys)-1
	// Per source column of the region: its output column, and its chroma
	// column's offset within a chroma row.
	x0, x1 := xs[0], xs[w]
	col := make([]int32, x1-x0)
	cx := make([]int, x1-x0)
	for ox := 0; ox < w; ox++ {
		for x := xs[ox]; x < xs[ox+1]; x++ {
			col[x-x0] = int32(ox)
		}
	}
	base := src.COffset(src.Rect.Min.X, src.Rect.Min.Y)
	for x := x0; x < x1; x++ {
		cx[x-x0] = src.COffset(x, src.Rect.Min.Y) - base
	}
	// Row sums of a band of source rows per output column, then averaged.
	sy, scb, scr := make([]int32, w), make([]int32, w), make([]int32, w)
	for oy := 0; oy < h; oy++ {
		clear(sy)
		clear(scb)
		clear(scr)
		for y := ys[oy]; y < ys[oy+1]; y++ {
			yrow := src.Y[src.YOffset(x0, y):]
			crow := src.COffset(src.Rect.Min.X, y)
			cb, cr := src.Cb[crow:], src.Cr[crow:]
			for i, o := range col {
				sy[o] += int32(yrow[i])
				scb[o] += int32(cb[cx[i]])
				scr[o] += int32(cr[cx[i]])
			}
		}
		row := out.Pix[oy*out.Stride:]
		rows := int32(ys[oy+1] - ys[oy])
		for ox := 0; ox < w; ox++ {
			n := rows * int32(xs[ox+1]-xs[ox])
			rr, gg, bb := color.YCbCrToRGB(uint8(sy[ox]/n), uint8(scb[ox]/n), uint8(scr[ox]/n))
			p := row[4*ox : 4*ox+4 : 4*ox+4]
			p[0], p[1], p[2], p[3] = rr, gg, bb, 255
		}
	}
}

// divU with recip(n) is the integer division for every mean it can be
// asked for (sums 0..255 n), every n below recipMax and a few above. Both
// sides are non-decreasing in the sum and the division steps only at
// multiples of n, so agreeing at every k n - 1 and k n proves them equal
// everywhere.
func TestDivUExact(t *testing.T) {
	for n := uint64(1); n < recipMax+3; n++ {
		m := recip(n)
		if n >= recipMax && m != 0 {
			t.Fatalf("recip(%d) = %d, want 0 (the division)", n, m)
		}
		for k := uint64(0); k <= 255; k++ {
			for _, sum := range []uint64{k*n - min(k, 1), k * n} {
				if got, want := divU(int32(sum), n, m), uint8(sum/n); got != want {
					t.Fatalf("divU(%d, %d) = %d, want %d", sum, n, got, want)
				}
			}
		}
	}
}

// addRow adds every byte, on the kernel's multiples of 8 and the rest.
func TestAddRow(t *testing.T) {
	for n := 0; n < 40; n++ {
		acc, src := make([]int32, n), make([]uint8, n)
		for i := range src {
			src[i] = uint8(250 - 7*i)
			acc[i] = int32(1000 * i)
		}
		addRow(acc, src)
		for i := range acc {
			if want := int32(1000*i) + int32(uint8(250-7*i)); acc[i] != want {
				t.Fatalf("n %d: acc[%d] = %d, want %d", n, i, acc[i], want)
			}
		}
	}
}

// shrinkRGBAStraightforward is shrinkRGBA as it was written first: every
// output pixel sums its block of source pixels.
func shrinkRGBAStraightforward(pix []uint8, stride int, min image.Point, xs, ys []int, out *image.NRGBA) {
	w, h := len(xs)-1, len(ys)-1
	for oy := 0; oy < h; oy++ {
		row := out.Pix[oy*out.Stride:]
		for ox := 0; ox < w; ox++ {
			var s [4]int
			n := 0
			for y := ys[oy]; y < ys[oy+1]; y++ {
				i := (y-min.Y)*stride + (xs[ox]-min.X)*4
				for x := xs[ox]; x < xs[ox+1]; x++ {
					s[0] += int(pix[i])
					s[1] += int(pix[i+1])
					s[2] += int(pix[i+2])
					s[3] += int(pix[i+3])
					i += 4
					n++
				}
			}
			p := row[4*ox : 4*ox+4 : 4*ox+4]
			p[0], p[1], p[2], p[3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), uint8(s[3]/n)
		}
	}
}

// shrinkRGBA (band sums, reciprocal division) gives exactly the bytes of
// the straightforward version, on sub-images and regions with offsets,
// for reductions from just under 1x to 10x.
func TestShrinkRGBAMatchesStraightforward(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	for i := 0; i < 40; i++ {
		W, H := 30+rng.Intn(400), 30+rng.Intn(400)
		img := image.NewNRGBA(image.Rect(0, 0, W, H))
		rng.Read(img.Pix)
		var src *image.NRGBA = img
		if i%3 == 1 {
			src = img.SubImage(image.Rect(3, 5, W-1, H-2)).(*image.NRGBA)
		}
		r := src.Bounds()
		if i%2 == 1 {
			r = image.Rect(r.Min.X+rng.Intn(r.Dx()/3), r.Min.Y+rng.Intn(r.Dy()/3), r.Max.X-rng.Intn(r.Dx()/3), r.Max.Y-rng.Intn(r.Dy()/3))
		}
		w, h := max(1, r.Dx()*(1+rng.Intn(9))/10), max(1, r.Dy()*(1+rng.Intn(9))/10)
		xs, ys := make([]int, w+1), make([]int, h+1)
		for x := range xs {
			xs[x] = r.Min.X + x*r.Dx()/w
		}
		for y := range ys {
			ys[y] = r.Min.Y + y*r.Dy()/h
		}
		got, want := image.NewNRGBA(image.Rect(0, 0, w, h)), image.NewNRGBA(image.Rect(0, 0, w, h))
		shrinkRGBA(src.Pix, src.Stride, src.Rect.Min, xs, ys, got)
		shrinkRGBAStraightforward(src.Pix, src.Stride, src.Rect.Min, xs, ys, want)
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("case %d: %dx%d region %v -> %dx%d differs", i, W, H, r, w, h)
		}
	}
}
