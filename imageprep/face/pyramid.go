package face

import (
	"image"
	"math"
)

// resizeLinear scales a packed grey image src (sw x sh) to dst (dw x dh)
// with pixel-centre-aligned bilinear interpolation, as OpenCV's
// INTER_LINEAR resize does (11-bit fixed-point weights).
func resizeLinear(src []uint8, sw, sh int, dst []uint8, dw, dh int) {
	const bits = 11
	const one = 1 << bits
	xs := make([]int, dw)
	xw := make([]int32, dw)
	fx := float64(sw) / float64(dw)
	for x := range dw {
		xs[x], xw[x] = linearTap(float64(x), fx, sw, one)
	}
	fy := float64(sh) / float64(dh)
	for y := range dh {
		y0, wy := linearTap(float64(y), fy, sh, one)
		y1 := min(y0+1, sh-1)
		r0 := src[y0*sw : y0*sw+sw]
		r1 := src[y1*sw : y1*sw+sw]
		out := dst[y*dw : y*dw+dw]
		for x := range dw {
			x0 := xs[x]
			x1 := min(x0+1, sw-1)
			w := xw[x]
			top := int32(r0[x0])*(one-w) + int32(r0[x1])*w
			bot := int32(r1[x0])*(one-w) + int32(r1[x1])*w
			v := (int64(top)*int64(one-wy) + int64(bot)*int64(wy) + 1<<(2*bits-1)) >> (2 * bits)
			out[x] = uint8(v)
		}
	}
}

// linearTap maps destination coordinate d to its left source sample and
// the fixed-point weight of the right one.
func linearTap(d, ratio float64, n int, one int32) (int, int32) {
	s := (d+0.5)*ratio - 0.5
	i := int(math.Floor(s))
	f := s - float64(i)
	if i < 0 {
		return 0, 0
	}
	if i >= n-1 {
		return n - 1, 0
	}
	return i, int32(math.Round(f * float64(one)))
}

// scan runs the cascade over an image pyramid of grey (w x h), OpenCV
// detectMultiScale style: the image is scaled down by successive powers of
// scaleFactor and the fixed-size window slides over each level (step 2
// below scale 2, else 1; one extra step after a first-stage rejection).
// Hits are returned in grey's coordinates, before grouping.
func (c *cascade) scan(grey []uint8, w, h int, minSize, maxSize int, scaleFactor float64) []image.Rectangle {
	t := &integral{stride: w + 1, sum: make([]int32, (w+1)*(h+1))}
	cc := c.compile(t.stride)
	level := make([]uint8, w*h)
	var hits []image.Rectangle
	for factor := 1.0; ; factor *= scaleFactor {
		winW := int(math.Round(float64(c.width) * factor))
		winH := int(math.Round(float64(c.height) * factor))
		if maxSize > 0 && (winW > maxSize || winH > maxSize) {
			break
		}
		lw := int(math.Round(float64(w) / factor))
		lh := int(math.Round(float64(h) / factor))
		if lw-c.width+1 <= 0 || lh-c.height+1 <= 0 {
			break
		}
		if winW < minSize || winH < minSize {
			continue
		}
		if lw == w && lh == h {
			t.compute(grey, w, h)
		} else {
			resizeLinear(grey, w, h, level[:lw*lh], lw, lh)
			t.compute(level[:lw*lh], lw, lh)
		}
		step := 2
		if factor >= 2 {
			step = 1
		}
		for y := 0; y <= lh-c.height; y += step {
			for x := 0; x <= lw-c.width; x += step {
				res := cc.run(t.sum, y*t.stride+x)
				if res > 0 {
					rx := int(math.Round(float64(x) * factor))
					ry := int(math.Round(float64(y) * factor))
					hits = append(hits, image.Rect(rx, ry, rx+winW, ry+winH))
				}
				if res == 0 {
					x += step
				}
			}
		}
	}
	return hits
}
