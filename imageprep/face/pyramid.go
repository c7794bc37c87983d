package face

import (
	"image"
	"math"
)

// resizeLinear scales a packed grey image src (sw x sh) to dst (dw x dh)
// exactly as OpenCV 4's cv::resize with INTER_LINEAR does for 8-bit images
// on x86 and ARM (the pyramid detectMultiScale builds): pixel-centre
// aligned taps, weights rounded to 11-bit fixed point, and the vertical
// pass's truncating arithmetic. Matching it bit for bit keeps the raw hits
// identical to OpenCV's on the same grey image.
func resizeLinear(src []uint8, sw, sh int, dst []uint8, dw, dh int) {
	xs := make([]int, dw)
	xa := make([][2]int32, dw)
	sx := 1 / (float64(dw) / float64(sw)) // OpenCV's scale_x = 1/inv_scale_x
	for x := range dw {
		i, f := linearTap(x, sx)
		switch {
		case i < 0:
			i, f = 0, 0
		case i >= sw-1:
			i, f = sw-1, 0
		}
		xs[x], xa[x] = i, linearWeights(f)
	}
	sy := 1 / (float64(dh) / float64(sh))
	rows := [2][]int32{make([]int32, dw), make([]int32, dw)}
	hpass := func(r int, out []int32) {
		row := src[r*sw : r*sw+sw]
		for x := range dw {
			i := xs[x]
			if i == sw-1 {
				out[x] = int32(row[i]) * 2048
				continue
			}
			out[x] = int32(row[i])*xa[x][0] + int32(row[i+1])*xa[x][1]
		}
	}
	for y := range dh {
		i, f := linearTap(y, sy)
		b := linearWeights(f)
		r0 := min(max(i, 0), sh-1)
		r1 := min(max(i+1, 0), sh-1)
		hpass(r0, rows[0])
		hpass(r1, rows[1])
		s0, s1 := rows[0], rows[1]
		out := dst[y*dw : y*dw+dw]
		for x := range out {
			out[x] = linearMix(s0[x], s1[x], b)
		}
	}
}

// linearMix is the vertical blend of two horizontally interpolated rows,
// with OpenCV's rounding (VResizeLinear<uchar, int, short, ...>, SIMD and
// scalar alike): each term keeps the top 16 bits of (S>>4)*beta, then a
// rounding shift by 2.
func linearMix(s0, s1 int32, b [2]int32) uint8 {
	v := ((s0>>4)*b[0]>>16 + (s1>>4)*b[1]>>16 + 2) >> 2
	return uint8(min(max(v, 0), 255))
}

// linearTap maps destination coordinate d to its first source sample and
// the fractional position, in float32 as OpenCV computes it.
func linearTap(d int, scale float64) (int, float32) {
	f := float32((float64(d)+0.5)*scale - 0.5)
	i := int(math.Floor(float64(f)))
	return i, f - float32(i)
}

// linearWeights are the two 11-bit fixed-point weights of fraction f,
// each rounded half to even like OpenCV's saturate_cast<short>.
func linearWeights(f float32) [2]int32 {
	return [2]int32{
		int32(math.RoundToEven(float64((1 - f) * 2048))),
		int32(math.RoundToEven(float64(f * 2048))),
	}
}

// scan runs the cascade over an image pyramid of grey (w x h) the way
// OpenCV 4's CascadeClassifier::detectMultiScaleNoGrouping does: scale
// factors are successive powers of scaleFactor (kept as float32, as
// OpenCV does), each level is the image resized to round(size/scale), and
// the fixed-size window slides over it with a step of 2 below scale 2 and
// 1 from there, plus one extra step after a first-stage rejection. Levels
// stop once the window, scaled back, would exceed the image or maxSize;
// minSize skips levels. Hits are returned in grey's coordinates, before
// grouping.
func (c *cascade) scan(grey []uint8, w, h int, minSize, maxSize int, scaleFactor float64) []image.Rectangle {
	t := &integral{stride: w + 1, sum: make([]int32, (w+1)*(h+1))}
	cc := c.compile(t.stride)
	level := make([]uint8, w*h)
	var hits []image.Rectangle
	for factor := 1.0; ; factor *= scaleFactor {
		winW := int(math.RoundToEven(float64(c.width) * factor))
		winH := int(math.RoundToEven(float64(c.height) * factor))
		if winW > w || winH > h || maxSize > 0 && (winW > maxSize || winH > maxSize) {
			break
		}
		if winW < minSize || winH < minSize {
			continue
		}
		sc := float32(factor)
		lw := roundf(float32(w) / sc)
		lh := roundf(float32(h) / sc)
		if lw < c.width || lh < c.height {
			continue
		}
		if lw == w && lh == h {
			t.compute(grey, w, h)
		} else {
			resizeLinear(grey, w, h, level[:lw*lh], lw, lh)
			t.compute(level[:lw*lh], lw, lh)
		}
		step := 2
		if sc >= 2 {
			step = 1
		}
		// The reported window size uses the float32 scale, as OpenCV's
		// invoker does.
		rw, rh := roundf(float32(c.width)*sc), roundf(float32(c.height)*sc)
		for y := 0; y <= lh-c.height; y += step {
			for x := 0; x <= lw-c.width; x += step {
				res := cc.run(t.sum, y*t.stride+x)
				if res > 0 {
					rx, ry := roundf(float32(x)*sc), roundf(float32(y)*sc)
					hits = append(hits, image.Rect(rx, ry, rx+rw, ry+rh))
				}
				if res == 0 {
					x += step
				}
			}
		}
	}
	return hits
}

// roundf is OpenCV's cvRound for a float: nearest, ties to even.
func roundf(v float32) int { return int(math.RoundToEven(float64(v))) }
