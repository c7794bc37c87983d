package imageprep

import (
	"image"
	"image/color"

	"github.com/disintegration/imaging"

	"headshot/imageprep/internal/par"
)

// areaShrink averages region r of img down to w x h: every source pixel
// counts once, in the output pixel whose block holds it (a box filter, the
// "block shrink" libvips uses before its final resample). It reads the
// decoder's own pixel layout, so a YCbCr JPEG is never converted to RGB at
// full size. ok is false for pixel types without a fast path (and when
// asked to enlarge): callers then resample with imaging.
func areaShrink(img image.Image, r image.Rectangle, w, h int) (out *image.NRGBA, ok bool) {
	r = r.Intersect(img.Bounds())
	if w <= 0 || h <= 0 || r.Dx() < w || r.Dy() < h {
		return nil, false
	}
	// Block edges: output column x covers source columns xs[x] .. xs[x+1]-1.
	xs := make([]int, w+1)
	for x := range xs {
		xs[x] = r.Min.X + x*r.Dx()/w
	}
	ys := make([]int, h+1)
	for y := range ys {
		ys[y] = r.Min.Y + y*r.Dy()/h
	}
	out = image.NewNRGBA(image.Rect(0, 0, w, h))
	switch src := img.(type) {
	case *image.YCbCr:
		shrinkYCbCr(src, xs, ys, out)
	case *image.RGBA:
		shrinkRGBA(src.Pix, src.Stride, src.Rect.Min, xs, ys, out)
	case *image.NRGBA:
		shrinkRGBA(src.Pix, src.Stride, src.Rect.Min, xs, ys, out)
	case *image.Gray:
		shrinkGray(src, xs, ys, out)
	default:
		return nil, false
	}
	return out, true
}

func shrinkYCbCr(src *image.YCbCr, xs, ys []int, out *image.NRGBA) {
	w, h := len(xs)-1, len(ys)-1
	// Per source column of the region: its chroma column's offset within
	// a chroma row.
	x0, x1 := xs[0], xs[w]
	cx := make([]int, x1-x0)
	base := src.COffset(src.Rect.Min.X, src.Rect.Min.Y)
	for x := x0; x < x1; x++ {
		cx[x-x0] = src.COffset(x, src.Rect.Min.Y) - base
	}
	// The chroma columns the region reads: [c0, c1) of a chroma row.
	c0, c1 := cx[0], cx[len(cx)-1]+1
	// A band of source rows is summed per source column first (vy, and
	// per chroma column vcb, vcr: a chroma sample counts once per luma
	// row it serves), then per output column; the sums are exact
	// integers, so this is the per-pixel average in another order.
	// Output rows in chunks (package par: a helper takes some when a core
	// is idle), each worker with its own sums.
	par.For(h, (h+7)/8, func(_, lo, hi int) {
		vy := make([]int32, x1-x0)
		vcb, vcr := make([]int32, c1-c0), make([]int32, c1-c0)
		for oy := lo; oy < hi; oy++ {
			clear(vy)
			clear(vcb)
			clear(vcr)
			for y := ys[oy]; y < ys[oy+1]; y++ {
				addRow(vy, src.Y[src.YOffset(x0, y):][:len(vy)])
				crow := src.COffset(src.Rect.Min.X, y)
				addRow(vcb, src.Cb[crow+c0:][:len(vcb)])
				addRow(vcr, src.Cr[crow+c0:][:len(vcr)])
			}
			row := out.Pix[oy*out.Stride:]
			rows := int32(ys[oy+1] - ys[oy])
			var lastN, m uint64 // n and its reciprocal (see divU)
			for ox := 0; ox < w; ox++ {
				var sy, scb, scr int32
				for i := xs[ox] - x0; i < xs[ox+1]-x0; i++ {
					sy += vy[i]
					scb += vcb[cx[i]-c0]
					scr += vcr[cx[i]-c0]
				}
				n := uint64(rows * int32(xs[ox+1]-xs[ox]))
				if n != lastN {
					lastN, m = n, recip(n)
				}
				rr, gg, bb := color.YCbCrToRGB(divU(sy, n, m), divU(scb, n, m), divU(scr, n, m))
				p := row[4*ox : 4*ox+4 : 4*ox+4]
				p[0], p[1], p[2], p[3] = rr, gg, bb, 255
			}
		}
	})
}

// addRow adds the bytes of src to acc (as long as src).
func addRow(acc []int32, src []uint8) {
	n := len(src)
	acc = acc[:n]
	i := 0
	if haveResampleAsm && n >= 8 {
		i = n &^ 7
		addRowU8(&acc[0], &src[0], i)
	}
	for ; i < n; i++ {
		acc[i] += int32(src[i])
	}
}

// recip is ceil(2^32 / n) for divU (0 when n is too large for it).
func recip(n uint64) uint64 {
	if n == 0 || n >= recipMax {
		return 0
	}
	return (1<<32 + n - 1) / n
}

// recipMax bounds the divisors divU multiplies by: for x <= 255 n the
// product rounds down to x / n exactly while x < 2^32 / n, that is for n
// below 4096 (TestDivUExact checks every x for every n up to it).
const recipMax = 4096

// divU is the mean sum / n of samples 0..255 (sum <= 255 n) as a byte:
// sum * m >> 32 with m = recip(n), which is the integer division, or the
// division itself when m is 0.
func divU(sum int32, n, m uint64) uint8 {
	if m == 0 {
		return uint8(uint64(sum) / n)
	}
	return uint8(uint64(sum) * m >> 32)
}

// shrinkRGBA averages 4-byte pixels (RGBA or NRGBA: headshot's decodes are
// opaque by then, alpha flattened onto white): as shrinkYCbCr, a band of
// rows summed per source byte first, then per output pixel; the sums are
// exact, so this is the per-pixel average in another order.
func shrinkRGBA(pix []uint8, stride int, min image.Point, xs, ys []int, out *image.NRGBA) {
	w, h := len(xs)-1, len(ys)-1
	x0, x1 := xs[0], xs[w]
	v := make([]int32, 4*(x1-x0))
	for oy := 0; oy < h; oy++ {
		clear(v)
		for y := ys[oy]; y < ys[oy+1]; y++ {
			i := (y-min.Y)*stride + (x0-min.X)*4
			addRow(v, pix[i:i+len(v)])
		}
		row := out.Pix[oy*out.Stride:]
		rows := int32(ys[oy+1] - ys[oy])
		var lastN, m uint64
		for ox := 0; ox < w; ox++ {
			var s0, s1, s2, s3 int32
			for i := 4 * (xs[ox] - x0); i < 4*(xs[ox+1]-x0); i += 4 {
				q := v[i : i+4 : i+4]
				s0 += q[0]
				s1 += q[1]
				s2 += q[2]
				s3 += q[3]
			}
			n := uint64(rows * int32(xs[ox+1]-xs[ox]))
			if n != lastN {
				lastN, m = n, recip(n)
			}
			p := row[4*ox : 4*ox+4 : 4*ox+4]
			p[0], p[1], p[2], p[3] = divU(s0, n, m), divU(s1, n, m), divU(s2, n, m), divU(s3, n, m)
		}
	}
}

func shrinkGray(src *image.Gray, xs, ys []int, out *image.NRGBA) {
	w, h := len(xs)-1, len(ys)-1
	for oy := 0; oy < h; oy++ {
		row := out.Pix[oy*out.Stride:]
		for ox := 0; ox < w; ox++ {
			s, n := 0, 0
			for y := ys[oy]; y < ys[oy+1]; y++ {
				i := src.PixOffset(xs[ox], y)
				for x := xs[ox]; x < xs[ox+1]; x++ {
					s += int(src.Pix[i])
					i++
					n++
				}
			}
			v := uint8(s / n)
			p := row[4*ox : 4*ox+4 : 4*ox+4]
			p[0], p[1], p[2], p[3] = v, v, v, 255
		}
	}
}

// shrinkTo is img with its long side at most side (area average), or img.
func shrinkTo(img image.Image, side int) image.Image {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	if long <= side {
		return img
	}
	w := max(b.Dx()*side/long, 1)
	h := max(b.Dy()*side/long, 1)
	if out, ok := areaShrink(img, b, w, h); ok {
		return out
	}
	return imaging.Resize(img, w, h, imaging.Box)
}
