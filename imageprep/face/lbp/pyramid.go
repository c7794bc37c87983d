package lbp

import (
	"image"
	"math"
)

// resizeLinear scales a packed grey image src (sw x sh) to dst (dw x dh)
// exactly as OpenCV 4's cv::resize with INTER_LINEAR_EXACT does for 8-bit
// images, which is what CascadeClassifier uses to build its pyramid:
// pixel-centre aligned taps computed in double precision, 8-bit
// fixed-point weights (rounded half to even), a horizontal pass kept in
// 8.8 fixed point, and a vertical pass rounded once at the end. Samples
// left or right of the source (and rows above or below it) repeat the
// edge pixel.
func resizeLinear(src []uint8, sw, sh int, dst []uint8, dw, dh int) {
	xo, xc, minX, maxX := linearTaps(sw, dw)
	yo, yc, minY, maxY := linearTaps(sh, dh)
	// hline interpolates source row r horizontally into out (8.8 fixed).
	hline := func(r int, out []uint32) {
		row := src[r*sw : r*sw+sw]
		for x := range dw {
			switch {
			case x < minX:
				out[x] = uint32(row[0]) << 8
			case x >= maxX:
				out[x] = uint32(row[sw-1]) << 8
			default:
				o := xo[x]
				out[x] = uint32(row[o])*xc[x][0] + uint32(row[o+1])*xc[x][1]
			}
		}
	}
	lines := [2][]uint32{make([]uint32, dw), make([]uint32, dw)}
	have := [2]int{-1, -1} // source row held in each line buffer
	line := func(k, r int) []uint32 {
		if have[k] != r {
			// Reuse the other buffer's row when the window slides by one.
			if have[1-k] == r {
				lines[0], lines[1] = lines[1], lines[0]
				have[0], have[1] = have[1], have[0]
				if have[k] == r {
					return lines[k]
				}
			}
			hline(r, lines[k])
			have[k] = r
		}
		return lines[k]
	}
	for y := range dh {
		out := dst[y*dw : y*dw+dw]
		if y < minY || y >= maxY {
			r := 0
			if y >= maxY {
				r = sh - 1
			}
			l := line(0, r)
			for x := range out {
				out[x] = uint8((l[x] + 1<<7) >> 8)
			}
			continue
		}
		l0, l1 := line(0, yo[y]), line(1, yo[y]+1)
		c0, c1 := yc[y][0], yc[y][1]
		for x := range out {
			out[x] = uint8(min((l0[x]*c0+l1[x]*c1+1<<15)>>16, 255))
		}
	}
}

// linearTaps computes, for each of n destination samples over a source of
// size srcN, the first source sample and the two 8-bit weights, plus the
// range [lo, hi) of destination samples that need interpolation (below lo
// the first source sample is repeated, from hi on the last), as OpenCV's
// interpolationLinear::getCoeffs does.
func linearTaps(srcN, n int) (ofs []int, coef [][2]uint32, lo, hi int) {
	ofs, coef = make([]int, n), make([][2]uint32, n)
	lo, hi = 0, n
	scale := 1 / (float64(n) / float64(srcN))
	for d := range n {
		f := float64(scale*(float64(d)+0.5)) - 0.5
		i := int(math.Floor(f))
		switch {
		case i < 0 || srcN <= 1:
			lo = max(lo, d+1)
		case i < srcN-1:
			c1 := uint32(math.RoundToEven(float64(f-float64(i)) * 256))
			ofs[d], coef[d] = i, [2]uint32{256 - c1, c1}
		default:
			ofs[d] = srcN - 1
			hi = min(hi, d)
		}
	}
	return ofs, coef, lo, hi
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
