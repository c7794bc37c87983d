package imageprep

import (
	"image"
	"math"
)

// A separable Catmull-Rom resample (imaging.CatmullRom's filter, scaled to
// the reduction) in fixed point, straight from the decoder's planes: a
// YCbCr photo is resampled as its Y, Cb and Cr planes (chroma at its own
// resolution) and converted to RGB only at the output size, so the
// full-size crop is never converted, and no goroutines are started (the
// caller's parallelism is one photo per core).

// plane is one 8-bit channel of an image: the sample at (x, y), in the
// plane's own coordinates, is pix[(y-min.Y)*stride+(x-min.X)*step]; the
// valid samples are those in bounds (reads outside are clamped to it).
type plane struct {
	pix    []uint8
	stride int
	step   int
	min    image.Point
	bounds image.Rectangle
}

// Fixed-point precision: weights have weightBits fractional bits; the
// horizontal pass keeps midBits fractional bits for the vertical one.
const (
	weightBits = 14
	midBits    = 6
)

// taps are the source indexes and weights of one output sample.
type taps struct {
	first int     // first source index (before clamping)
	w     []int32 // weights, summing to 1 << weightBits
}

// filterTaps computes, for n outputs covering source coordinates
// [from, from+length) (pixel edges), the Catmull-Rom taps.
func filterTaps(from, length float64, n int) []taps {
	scale := length / float64(n)
	blur := math.Max(scale, 1) // widen the filter when reducing
	support := 2 * blur
	out := make([]taps, n)
	for i := range out {
		c := from + (float64(i)+0.5)*scale - 0.5 // source pixel-centre coordinate
		lo := int(math.Ceil(c - support))
		hi := int(math.Floor(c + support))
		ws := make([]float64, hi-lo+1)
		sum := 0.0
		for j := lo; j <= hi; j++ {
			v := catmullRom((float64(j) - c) / blur)
			ws[j-lo] = v
			sum += v
		}
		t := taps{first: lo, w: make([]int32, len(ws))}
		isum, big := int32(0), 0
		for k, v := range ws {
			t.w[k] = int32(math.Round(v / sum * (1 << weightBits)))
			isum += t.w[k]
			if ws[k] > ws[big] {
				big = k
			}
		}
		t.w[big] += 1<<weightBits - isum // exact unit gain
		out[i] = t
	}
	return out
}

// catmullRom is the Catmull-Rom cubic (B=0, C=0.5).
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return 1.5*x*x*x - 2.5*x*x + 1
	case x < 2:
		return -0.5*x*x*x + 2.5*x*x - 4*x + 2
	}
	return 0
}

// resamplePlanes resamples the source window (x0, y0, w, h) (in the
// planes' coordinates, fractional for subsampled chroma) of each of ps to
// an n x n plane written to dsts[i][y*dstStride+x*dstStep]. The planes
// share one geometry (stride, step, min, bounds: ps[0]'s), so the taps,
// offsets and the intermediate rows are made once for all of them.
//
// The sums are exact integers, so their order does not matter: outputs
// whose taps lie inside the row are summed over a contiguous window,
// unrolled for the usual tap counts (dot), and each output row is summed
// from its rows of the horizontal pass in one go (sumRows).
func resamplePlanes(ps []plane, x0, y0, w, h float64, n int, dsts [][]uint8, dstStride, dstStep int) {
	p := ps[0]
	xt := filterTaps(x0, w, n)
	yt := filterTaps(y0, h, n)
	// Source rows the vertical taps read, clamped to the plane.
	rowLo, rowHi := yt[0].first, yt[n-1].first+len(yt[n-1].w)-1
	rowLo = max(rowLo, p.bounds.Min.Y)
	rowHi = min(rowHi, p.bounds.Max.Y-1)
	// Horizontal taps flattened to K per output (zero weights pad), with
	// byte offsets into a row, clamped to the plane. inside[i] says that
	// output i's K taps are the contiguous samples from xo[i*K] on.
	K := 0
	for _, t := range xt {
		K = max(K, len(t.w))
	}
	xo, xw := make([]int, n*K), make([]int32, n*K)
	inside := make([]bool, n)
	for i, t := range xt {
		for k := range K {
			x := min(max(t.first+min(k, len(t.w)-1), p.bounds.Min.X), p.bounds.Max.X-1)
			xo[i*K+k] = (x - p.min.X) * p.step
			if k < len(t.w) {
				xw[i*K+k] = t.w[k]
			}
		}
		inside[i] = p.step == 1 && t.first >= p.bounds.Min.X && t.first+K <= p.bounds.Max.X
	}
	// The AVX2 horizontal kernel (hdot8) reads eight samples from each
	// output's first tap, with its weights as 16 bits (zero past its taps).
	var offs []int32
	var w16 []int16
	useH := haveResampleAsm && K <= 8
	if useH {
		offs, w16 = make([]int32, n), make([]int16, n*8)
		for i := range n {
			offs[i] = int32(xo[i*K])
			for k, wk := range xw[i*K : (i+1)*K] {
				if wk < math.MinInt16 || wk > math.MaxInt16 {
					useH = false
				}
				w16[i*8+k] = int16(wk)
			}
		}
	}
	// The horizontal pass's output, with midBits fractional bits: at most
	// about 255 * 1.1 (Catmull-Rom overshoots) * 64, so 16 bits hold it.
	mid := make([]int16, (rowHi-rowLo+1)*n)
	const shift = weightBits + midBits
	rows := make([][]int16, 0, 16)
	line := make([]uint8, n)
	for pi, pl := range ps {
		// Outputs [hLo, hHi) go through hdot8: taps inside the row, and
		// eight samples readable from the first in every row used.
		hLo, hHi := 0, 0
		if useH {
			minLen := len(pl.pix) - (rowHi-p.min.Y)*p.stride
			for hLo < n && !inside[hLo] {
				hLo++
			}
			hHi = hLo
			for hHi < n && inside[hHi] && int(offs[hHi])+8 <= minLen {
				hHi++
			}
		}
		for y := rowLo; y <= rowHi; y++ {
			row := pl.pix[(y-p.min.Y)*p.stride:]
			out := mid[(y-rowLo)*n : (y-rowLo+1)*n]
			if hHi > hLo {
				hdot8(&row[0], &offs[hLo], &w16[hLo*8], hHi-hLo, &out[hLo])
			}
			for i := 0; i < n; i++ {
				if i == hLo && hHi > hLo {
					i = hHi - 1 // done by hdot8
					continue
				}
				ws := xw[i*K : (i+1)*K : (i+1)*K]
				var sum int32
				if inside[i] {
					sum = dot(ws, row[xo[i*K]:])
				} else {
					o := xo[i*K : (i+1)*K : (i+1)*K]
					for k, wk := range ws {
						sum += wk * int32(row[o[k]])
					}
				}
				out[i] = int16((sum + 1<<(weightBits-midBits-1)) >> (weightBits - midBits))
			}
		}
		for oy, t := range yt {
			rows = rows[:0]
			for k := range t.w {
				y := min(max(t.first+k, rowLo), rowHi)
				rows = append(rows, mid[(y-rowLo)*n:(y-rowLo+1)*n])
			}
			sumRows(dsts[pi][oy*dstStride:], dstStep, t.w, rows, n, shift, line)
		}
	}
}

// dot is the sum of w[k] * s[k] over w (s has at least len(w) samples).
func dot(w []int32, s []uint8) int32 {
	switch len(w) {
	case 4:
		s := s[:4:4]
		return w[0]*int32(s[0]) + w[1]*int32(s[1]) + w[2]*int32(s[2]) + w[3]*int32(s[3])
	case 5:
		s := s[:5:5]
		return w[0]*int32(s[0]) + w[1]*int32(s[1]) + w[2]*int32(s[2]) + w[3]*int32(s[3]) + w[4]*int32(s[4])
	case 6:
		s := s[:6:6]
		return w[0]*int32(s[0]) + w[1]*int32(s[1]) + w[2]*int32(s[2]) + w[3]*int32(s[3]) + w[4]*int32(s[4]) + w[5]*int32(s[5])
	case 7:
		s := s[:7:7]
		return w[0]*int32(s[0]) + w[1]*int32(s[1]) + w[2]*int32(s[2]) + w[3]*int32(s[3]) + w[4]*int32(s[4]) + w[5]*int32(s[5]) + w[6]*int32(s[6])
	case 8:
		s := s[:8:8]
		return w[0]*int32(s[0]) + w[1]*int32(s[1]) + w[2]*int32(s[2]) + w[3]*int32(s[3]) + w[4]*int32(s[4]) + w[5]*int32(s[5]) + w[6]*int32(s[6]) + w[7]*int32(s[7])
	}
	s = s[:len(w)]
	var sum int32
	for k, wk := range w {
		sum += wk * int32(s[k])
	}
	return sum
}

// sumRows writes the n outputs of one row of the vertical pass to
// o[x*step]: the sum of w[k] * rows[k][x], rounded off by shift bits and
// clamped to 0..255. line is scratch room for n outputs.
func sumRows(o []uint8, step int, w []int32, rows [][]int16, n int, shift uint, line []uint8) {
	round := int32(1) << (shift - 1)
	put := func(x int, a int32) {
		o[x*step] = uint8(min(max((a+round)>>shift, 0), 255))
	}
	x0 := 0
	if haveResampleAsm && len(w) <= 8 && n >= 8 {
		// Eight outputs at a time in vsumRows8, the rest below.
		var ptrs [8]*int16
		for k := range w {
			ptrs[k] = &rows[k][0]
		}
		x0 = n &^ 7
		dst := line[:x0]
		if step == 1 {
			dst = o[:x0]
		}
		vsumRows8(&ptrs[0], &w[0], len(w), x0, &dst[0], int(round), int(shift))
		if step != 1 {
			for x, v := range dst {
				o[x*step] = v
			}
		}
	}
	switch len(w) {
	case 4:
		r0, r1, r2, r3 := rows[0][x0:n], rows[1][x0:n], rows[2][x0:n], rows[3][x0:n]
		w0, w1, w2, w3 := w[0], w[1], w[2], w[3]
		for x := range r0 {
			put(x0+x, w0*int32(r0[x])+w1*int32(r1[x])+w2*int32(r2[x])+w3*int32(r3[x]))
		}
		return
	case 5:
		r0, r1, r2, r3, r4 := rows[0][x0:n], rows[1][x0:n], rows[2][x0:n], rows[3][x0:n], rows[4][x0:n]
		w0, w1, w2, w3, w4 := w[0], w[1], w[2], w[3], w[4]
		for x := range r0 {
			put(x0+x, w0*int32(r0[x])+w1*int32(r1[x])+w2*int32(r2[x])+w3*int32(r3[x])+w4*int32(r4[x]))
		}
		return
	case 6:
		r0, r1, r2, r3, r4, r5 := rows[0][x0:n], rows[1][x0:n], rows[2][x0:n], rows[3][x0:n], rows[4][x0:n], rows[5][x0:n]
		w0, w1, w2, w3, w4, w5 := w[0], w[1], w[2], w[3], w[4], w[5]
		for x := range r0 {
			put(x0+x, w0*int32(r0[x])+w1*int32(r1[x])+w2*int32(r2[x])+w3*int32(r3[x])+w4*int32(r4[x])+w5*int32(r5[x]))
		}
		return
	}
	acc := make([]int32, n-x0)
	for k, wk := range w {
		for x, v := range rows[k][x0:n] {
			acc[x] += wk * int32(v)
		}
	}
	for x, a := range acc {
		put(x0+x, a)
	}
}

// resampleCrop resamples crop (in img's coordinates) of img to an n x n
// NRGBA with the Catmull-Rom filter. ok is false for image types without
// planes (the caller then uses imaging).
func resampleCrop(img image.Image, crop image.Rectangle, n int) (out *image.NRGBA, ok bool) {
	fx, fy := float64(crop.Min.X), float64(crop.Min.Y)
	fw, fh := float64(crop.Dx()), float64(crop.Dy())
	out = image.NewNRGBA(image.Rect(0, 0, n, n))
	switch m := img.(type) {
	case *image.YCbCr:
		sx, sy := chromaFactors(m.SubsampleRatio)
		if sx == 0 {
			return nil, false
		}
		yp := plane{pix: m.Y, stride: m.YStride, step: 1, min: m.Rect.Min, bounds: m.Rect}
		cmin := image.Pt(m.Rect.Min.X/sx, m.Rect.Min.Y/sy)
		cb := image.Rectangle{Min: cmin, Max: image.Pt((m.Rect.Max.X+sx-1)/sx, (m.Rect.Max.Y+sy-1)/sy)}
		cbp := plane{pix: m.Cb, stride: m.CStride, step: 1, min: cmin, bounds: cb}
		crp := plane{pix: m.Cr, stride: m.CStride, step: 1, min: cmin, bounds: cb}
		// Y into R, Cb into G, Cr into B; converted in place below.
		resamplePlanes([]plane{yp}, fx, fy, fw, fh, n, [][]uint8{out.Pix[0:]}, out.Stride, 4)
		cx, cy, cw, ch := fx/float64(sx), fy/float64(sy), fw/float64(sx), fh/float64(sy)
		resamplePlanes([]plane{cbp, crp}, cx, cy, cw, ch, n, [][]uint8{out.Pix[1:], out.Pix[2:]}, out.Stride, 4)
		yccToRGBA(out.Pix)
	case *image.Gray:
		gp := plane{pix: m.Pix, stride: m.Stride, step: 1, min: m.Rect.Min, bounds: m.Rect}
		resamplePlanes([]plane{gp}, fx, fy, fw, fh, n, [][]uint8{out.Pix[0:]}, out.Stride, 4)
		for i := 0; i < len(out.Pix); i += 4 {
			out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = out.Pix[i], out.Pix[i], 255
		}
	case *image.NRGBA, *image.RGBA:
		// Opaque by now (alpha flattened onto white): R, G, B.
		var pix []uint8
		var stride int
		var r image.Rectangle
		if nr, ok := m.(*image.NRGBA); ok {
			pix, stride, r = nr.Pix, nr.Stride, nr.Rect
		} else {
			rg := m.(*image.RGBA)
			pix, stride, r = rg.Pix, rg.Stride, rg.Rect
		}
		ps := make([]plane, 3)
		for c := range ps {
			ps[c] = plane{pix: pix[c:], stride: stride, step: 4, min: r.Min, bounds: r}
		}
		resamplePlanes(ps, fx, fy, fw, fh, n, [][]uint8{out.Pix[0:], out.Pix[1:], out.Pix[2:]}, out.Stride, 4)
		for i := 3; i < len(out.Pix); i += 4 {
			out.Pix[i] = 255
		}
	default:
		return nil, false
	}
	return out, true
}

// yccToRGBA converts pix, 4 bytes a pixel holding Y, Cb, Cr and anything,
// to opaque RGBA in place, with color.YCbCrToRGB's arithmetic written out
// (the call per pixel was a quarter of resampleCrop's time).
func yccToRGBA(pix []uint8) {
	for i := 0; i+4 <= len(pix); i += 4 {
		p := pix[i : i+4 : i+4]
		yy1 := int32(p[0]) * 0x10101
		cb1, cr1 := int32(p[1])-128, int32(p[2])-128
		p[0], p[1], p[2], p[3] = clampYCC(yy1+91881*cr1), clampYCC(yy1-22554*cb1-46802*cr1), clampYCC(yy1+116130*cb1), 255
	}
}

// clampYCC is v >> 16 clamped to 0..255, as color.YCbCrToRGB does it.
func clampYCC(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// chromaFactors is the horizontal and vertical chroma subsampling of r
// (0, 0 for an unknown ratio).
func chromaFactors(r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 0, 0
}
