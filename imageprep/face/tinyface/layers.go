package tinyface

import (
	"image"
	"image/color"
	"sync"

	"headshot/imageprep/internal/par"
)

// Tensors are float32 slices in height x width x channels order, as tfjs
// lays them out. The layer loops touch only memory owned by one Detect
// call (or weights immutable after Load), so they are left out of race
// instrumentation, which slows them tenfold.

// inputTensor is face-api.js's NetInput.toBatchTensor(s, false) followed by
// the mean subtraction and division by 255: the image padded with black to
// a square at the bottom or right, resized to s x s with TensorFlow's
// legacy bilinear resize (align_corners and half_pixel_centers false).
//
// With sw and sh set to other than s (multiples of 32 covering the image
// scaled by s / its long side), the image is padded only that far: the
// network is fully convolutional, and the padding would cost a quarter of
// the work on a 4:3 photo.
//
//go:norace
func inputTensor(img image.Image, s, sw, sh int, sc *scratch) []float32 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	p := max(w, h)
	scale := float64(p) / float64(s)
	// Source column pairs and fractions, shared by every row.
	x0s, x1s, fxs := make([]int, sw), make([]int, sw), make([]float64, sw)
	for x := range sw {
		in := float64(x) * scale
		x0 := int(in)
		x0s[x], x1s[x], fxs[x] = x0, min(x0+1, p-1), in-float64(x0)
	}
	out := sc.get(sw * sh * 3)
	// Rows in chunks, each worker with its own two source rows (package
	// par: a helper takes chunks when a core is idle).
	par.For(sh, (sh+7)/8, func(_, lo, hi int) {
		inputRows(img, s, sw, p, scale, x0s, x1s, fxs, out, lo, hi)
	})
	return out
}

// inputRows computes rows [lo, hi) of inputTensor's output.
//
//go:norace
func inputRows(img image.Image, s, sw, p int, scale float64, x0s, x1s []int, fxs []float64, out []float32, lo, hi int) {
	h := img.Bounds().Dy()
	row0, row1 := make([]float64, p*3), make([]float64, p*3)
	loadRow := func(dst []float64, y int) {
		clear(dst)
		if y < h {
			loadRGBRow(img, y, dst)
		}
	}
	if p == s {
		// Already the input size (imageprep hands over such a copy):
		// the bilinear weights are all 0, so each value is the
		// pixel's own, exactly as below, without the arithmetic.
		if m, ok := img.(*image.NRGBA); ok {
			// imageprep's copy: straight from its bytes (a byte
			// through float64 to float32 is the byte's float32).
			b := m.Bounds()
			for y := lo; y < hi; y++ {
				o := out[y*sw*3 : (y+1)*sw*3]
				if y >= h {
					for i := range o {
						o[i] = (0 - meanRGB[i%3]) / 255
					}
					continue
				}
				row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := range min(sw, b.Dx()) {
					px := row[4*x : 4*x+3 : 4*x+3]
					o[3*x] = (float32(px[0]) - meanRGB[0]) / 255
					o[3*x+1] = (float32(px[1]) - meanRGB[1]) / 255
					o[3*x+2] = (float32(px[2]) - meanRGB[2]) / 255
				}
				for i := 3 * min(sw, b.Dx()); i < len(o); i++ {
					o[i] = (0 - meanRGB[i%3]) / 255
				}
			}
			return
		}
		for y := lo; y < hi; y++ {
			loadRow(row0, y)
			o := out[y*sw*3 : (y+1)*sw*3]
			for i, v := range row0[:sw*3] {
				o[i] = (float32(v) - meanRGB[i%3]) / 255
			}
		}
		return
	}
	loaded0, loaded1 := -1, -1
	for y := lo; y < hi; y++ {
		in := float64(y) * scale
		y0 := int(in)
		y1 := min(y0+1, p-1)
		fy := in - float64(y0)
		if loaded0 != y0 {
			if loaded1 == y0 {
				row0, row1 = row1, row0
				loaded0, loaded1 = y0, -1
			} else {
				loadRow(row0, y0)
				loaded0 = y0
			}
		}
		if loaded1 != y1 {
			loadRow(row1, y1)
			loaded1 = y1
		}
		o := out[y*sw*3 : (y+1)*sw*3]
		for x := range sw {
			a, c, fx := x0s[x]*3, x1s[x]*3, fxs[x]
			for ch := range 3 {
				tl, tr := row0[a+ch], row0[c+ch]
				bl, br := row1[a+ch], row1[c+ch]
				top := tl + (tr-tl)*fx
				bot := bl + (br-bl)*fx
				v := float32(top + (bot-top)*fy)
				o[x*3+ch] = (v - meanRGB[ch]) / 255
			}
		}
	}
}

// loadRGBRow writes row y (relative to img's bounds) of img as R, G, B
// values into dst (alpha ignored, as tf.browser.fromPixels drops it), with
// fast paths for the decoders' image types. Like the layers, it touches
// only memory no other goroutine writes.
//
//go:norace
func loadRGBRow(img image.Image, y int, dst []float64) {
	b := img.Bounds()
	w := b.Dx()
	y += b.Min.Y
	switch m := img.(type) {
	case *image.YCbCr:
		for x := range w {
			ci := m.COffset(x+b.Min.X, y)
			r, g, bl := color.YCbCrToRGB(m.Y[m.YOffset(x+b.Min.X, y)], m.Cb[ci], m.Cr[ci])
			dst[x*3], dst[x*3+1], dst[x*3+2] = float64(r), float64(g), float64(bl)
		}
	case *image.RGBA:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range w {
			dst[x*3], dst[x*3+1], dst[x*3+2] = float64(row[x*4]), float64(row[x*4+1]), float64(row[x*4+2])
		}
	case *image.NRGBA:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range w {
			dst[x*3], dst[x*3+1], dst[x*3+2] = float64(row[x*4]), float64(row[x*4+1]), float64(row[x*4+2])
		}
	case *image.Gray:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range w {
			v := float64(row[x])
			dst[x*3], dst[x*3+1], dst[x*3+2] = v, v, v
		}
	default:
		for x := range w {
			c := color.RGBAModel.Convert(img.At(x+b.Min.X, y)).(color.RGBA)
			dst[x*3], dst[x*3+1], dst[x*3+2] = float64(c.R), float64(c.G), float64(c.B)
		}
	}
}

// scratch hands out the float32 buffers of forward passes: a layer's
// input goes back (put) once the layer has run, and the next layer's
// output reuses it, so a pass holds two or three buffers instead of one per
// layer, and a scratch reused from a pool (scratches) allocates nothing.
// Buffers come back unzeroed: every layer writes all of its output (the
// depthwise layer clears its accumulator itself). A nil scratch allocates.
type scratch struct {
	free [][]float32
}

// get returns a buffer of n values: the smallest free one large enough.
func (s *scratch) get(n int) []float32 {
	if s == nil {
		return make([]float32, n)
	}
	best := -1
	for i, b := range s.free {
		if cap(b) >= n && (best < 0 || cap(b) < cap(s.free[best])) {
			best = i
		}
	}
	if best < 0 {
		return make([]float32, n)
	}
	b := s.free[best]
	s.free = append(s.free[:best], s.free[best+1:]...)
	return b[:n]
}

// maxFree bounds the buffers a scratch keeps: a pass has at most three
// live at once, and passes at other input sizes must not pile up more.
const maxFree = 3

// put gives a buffer back for reuse. A full scratch keeps the largest.
func (s *scratch) put(b []float32) {
	if s == nil || cap(b) == 0 {
		return
	}
	if len(s.free) < maxFree {
		s.free = append(s.free, b)
		return
	}
	small := 0
	for i, f := range s.free {
		if cap(f) < cap(s.free[small]) {
			small = i
		}
	}
	if cap(b) > cap(s.free[small]) {
		s.free[small] = b
	}
}

// scratches pools the buffers of finished passes.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// leaky is face-api.js's leaky ReLU (slope 0.1 below zero).
func leaky(v float32) float32 {
	if v < 0 {
		return v * 0.1
	}
	return v
}

// conv3x3Valid is the first layer: a 3x3 convolution without padding from
// 3 to 16 channels, bias, leaky ReLU. The 27 inputs under a window (3 runs
// of 9 contiguous values) are gathered per pixel, then multiplied as a 1x1
// convolution from 27 channels with the weights read as [27][16].
//
//go:norace
func conv3x3Valid(in []float32, h, w int, wt, wT, bias []float32, sc *scratch) ([]float32, int, int) {
	oh, ow := h-2, w-2
	const cin = 27
	// One output row at a time: gather its patches, then multiply.
	patches := sc.get(ow * cin)
	out := sc.get(oh * ow * len(bias))
	for y := range oh {
		for x := range ow {
			for ky := range 3 {
				off := ((y+ky)*w + x) * 3
				copy(patches[x*cin+ky*9:x*cin+ky*9+9], in[off:off+9])
			}
		}
		matmulBias(out[y*ow*len(bias):(y+1)*ow*len(bias)], patches, ow, cin, wt, wT, bias, true)
	}
	sc.put(patches)
	return out, oh, ow
}

// conv0Pool is conv3x3Valid followed by maxPool2 with stride 2, without
// the full-resolution convolution output (8 MB at 416 px): each pair of
// convolution rows is pooled as soon as it is computed.
//
//go:norace
func conv0Pool(in []float32, h, w int, wt, wT, bias []float32, sc *scratch) ([]float32, int, int) {
	ch, cw := h-2, w-2 // the convolution's output
	c := len(bias)
	oh, ow := (ch+1)/2, (cw+1)/2
	out := sc.get(oh * ow * c)
	rowsPar(oh, (oh+15)/16, sc, func(sc *scratch, lo, hi int) {
		conv0PoolRows(in, h, w, wt, wT, bias, out, lo, hi, sc)
	})
	return out, oh, ow
}

// conv0PoolRows computes rows [lo, hi) of conv0Pool's output.
//
//go:norace
func conv0PoolRows(in []float32, h, w int, wt, wT, bias, out []float32, lo, hi int, sc *scratch) {
	ch, cw := h-2, w-2
	c := len(bias)
	ow := (cw + 1) / 2
	const cin = 27
	patches := sc.get(cw * cin)
	rows := sc.get(2 * cw * c)
	for oy := lo; oy < hi; oy++ {
		for r := range 2 {
			y := min(2*oy+r, ch-1) // 'same' padding repeats the last row
			gatherPatches(patches, in, w, y, cw)
			matmulBias(rows[r*cw*c:(r+1)*cw*c], patches, cw, cin, wt, wT, bias, true)
		}
		for ox := range ow {
			x0, x1 := 2*ox, min(2*ox+1, cw-1)
			dst := out[(oy*ow+ox)*c : (oy*ow+ox)*c+c]
			a, b := rows[x0*c:x0*c+c], rows[x1*c:x1*c+c]
			d, e := rows[(cw+x0)*c:(cw+x0)*c+c], rows[(cw+x1)*c:(cw+x1)*c+c]
			maxOf4(dst, a, b, d, e)
		}
	}
	sc.put(patches)
	sc.put(rows)
}

// gatherPatches writes, for the cw pixels of convolution row y, the 27
// inputs under each one's 3x3 window (three runs of 9 contiguous values
// of the h x w x 3 tensor in) to patches, 27 per pixel. The runs are
// moved as [9]float32 values, which compile to a few register moves
// instead of a memmove call each.
//
//go:norace
func gatherPatches(patches, in []float32, w, y, cw int) {
	for x := range cw {
		p := (*[27]float32)(patches[x*27 : x*27+27])
		for ky := range 3 {
			off := ((y+ky)*w + x) * 3
			*(*[9]float32)(p[ky*9 : ky*9+9]) = *(*[9]float32)(in[off : off+9])
		}
	}
}

// rowsPar runs body over rows [0, n) in chunks of chunk rows, on the
// caller's goroutine and, when a core is idle (package par), a helper's.
// Each worker has its own scratch (the caller's: sc) for the buffers it
// takes and gives back per chunk. Every row is computed as by one loop.
func rowsPar(n, chunk int, sc *scratch, body func(sc *scratch, lo, hi int)) {
	var helper *scratch // touched by worker 1 only, read after For returns
	par.For(n, chunk, func(w, lo, hi int) {
		s := sc
		if w != 0 {
			if helper == nil {
				helper = helperScratches.Get().(*scratch)
			}
			s = helper
		}
		body(s, lo, hi)
	})
	if helper != nil {
		helperScratches.Put(helper)
	}
}

// helperScratches pools the helpers' scratches apart from scratches: a
// helper takes only row-band buffers (tens of KB), and a scratch from the
// passes' pool would bring its whole-layer tensors (MBs) along, live
// beside the caller's.
var helperScratches = sync.Pool{New: func() any { return new(scratch) }}

// maxOf4 sets dst[i] to max(a[i], b[i], d[i], e[i]) (the 2x2 max-pool of
// one output pixel's channels): eight at a time in max4 where the CPU has
// it, the same values as the loop below.
//
//go:norace
func maxOf4(dst, a, b, d, e []float32) {
	n := len(dst)
	a, b, d, e = a[:n], b[:n], d[:n], e[:n]
	i := 0
	if haveMax4 && n >= 8 {
		i = n &^ 7
		max4(&dst[0], &a[0], &b[0], &d[0], &e[0], i)
	}
	for ; i < n; i++ {
		dst[i] = max(a[i], b[i], d[i], e[i])
	}
}

// maxPool2 is tf.maxPool with a 2x2 window, the given stride and 'same'
// padding (for a 2x2 window all padding falls at the bottom and right).
//
//go:norace
func maxPool2(in []float32, h, w, c, stride int, sc *scratch) ([]float32, int, int) {
	oh, ow := (h+stride-1)/stride, (w+stride-1)/stride
	out := sc.get(oh * ow * c)
	for y := range oh {
		y0 := y * stride
		y1 := min(y0+1, h-1)
		for x := range ow {
			x0 := x * stride
			x1 := min(x0+1, w-1)
			dst := out[(y*ow+x)*c : (y*ow+x)*c+c]
			a := in[(y0*w+x0)*c : (y0*w+x0)*c+c]
			b := in[(y0*w+x1)*c : (y0*w+x1)*c+c]
			d := in[(y1*w+x0)*c : (y1*w+x0)*c+c]
			e := in[(y1*w+x1)*c : (y1*w+x1)*c+c]
			maxOf4(dst, a, b, d, e)
		}
	}
	return out, oh, ow
}

// apply runs the layer on an h x w x l.in tensor: a zero-padded 3x3
// depthwise convolution, a 1x1 convolution to l.out channels, bias, leaky
// ReLU.
//
//go:norace
func (l *sepLayer) apply(in []float32, h, w int, sc *scratch) []float32 {
	c := l.in
	dw := sc.get(h * w * c)
	par.For(h, (h+3)/4, func(_, lo, hi int) {
		clear(dw[lo*w*c : hi*w*c]) // the taps accumulate
		l.depthwiseRows(in, h, w, lo, hi, dw)
	})
	out := sc.get(h * w * len(l.bias))
	matmulPar(out, dw, h*w, c, l.pointwise, l.pointwiseT, l.bias, true)
	sc.put(dw)
	return out
}

// depthwiseRows is depthwiseRow for rows [lo, hi), into the h x w x l.in
// tensor dw.
//
//go:norace
func (l *sepLayer) depthwiseRows(in []float32, h, w, lo, hi int, dw []float32) {
	c := l.in
	for y := lo; y < hi; y++ {
		l.depthwiseRow(in, h, w, y, dw[y*w*c:(y+1)*w*c])
	}
}

// matmulPar is matmulBias over chunks of pixels (package par), each a
// multiple of 4 pixels but the last, so every pixel takes the kernel path
// it takes in one call.
func matmulPar(out, in []float32, n, cin int, wt, wT, bias []float32, act bool) {
	cout := len(bias)
	quads := (n + 3) / 4
	par.For(quads, (quads+7)/8, func(_, lo, hi int) {
		p0, p1 := 4*lo, min(4*hi, n)
		matmulBias(out[p0*cout:p1*cout], in[p0*cin:p1*cin], p1-p0, cin, wt, wT, bias, act)
	})
}

// applyPool is apply followed by maxPool2 with stride 2, two rows of the
// layer at a time, so the layer's full-resolution output (the largest
// tensor of a pass: 17 MB for conv1 at an 832 x 640 input) never exists.
// Values are apply's, pooled; a pixel's 1x1 convolution may take the
// kernel's other path (blocks of four pixels, or the Go loop for the
// rest), which rounds differently in the last bits.
//
//go:norace
func (l *sepLayer) applyPool(in []float32, h, w int, sc *scratch) ([]float32, int, int) {
	oh, ow := (h+1)/2, (w+1)/2
	out := sc.get(oh * ow * l.out)
	rowsPar(oh, (oh+7)/8, sc, func(sc *scratch, lo, hi int) { l.poolRows(in, h, w, out, lo, hi, sc) })
	return out, oh, ow
}

// poolRows computes rows [lo, hi) of applyPool's output.
//
//go:norace
func (l *sepLayer) poolRows(in []float32, h, w int, out []float32, lo, hi int, sc *scratch) {
	c, co := l.in, l.out
	ow := (w + 1) / 2
	dw := sc.get(2 * w * c)
	for oy := lo; oy < hi; oy++ {
		y0 := 2 * oy
		rows := min(2, h-y0)
		band := dw[:rows*w*c]
		clear(band)
		for r := range rows {
			l.depthwiseRow(in, h, w, y0+r, band[r*w*c:(r+1)*w*c])
		}
		pw := pointwise(band, rows*w, c, l.pointwise, l.pointwiseT, l.bias, true, sc)
		r1 := rows - 1 // maxPool2's y1 = min(y0+1, h-1)
		for ox := range ow {
			x0 := 2 * ox
			x1 := min(x0+1, w-1)
			dst := out[(oy*ow+ox)*co : (oy*ow+ox)*co+co]
			a := pw[x0*co : x0*co+co]
			b := pw[x1*co : x1*co+co]
			d := pw[(r1*w+x0)*co : (r1*w+x0)*co+co]
			e := pw[(r1*w+x1)*co : (r1*w+x1)*co+co]
			maxOf4(dst, a, b, d, e)
		}
		sc.put(pw)
	}
	sc.put(dw)
}

// depthwiseRow adds the zero-padded 3x3 depthwise convolution of the h x
// w x l.in tensor in at row y to row (w x l.in values, cleared by the
// caller).
//
//go:norace
func (l *sepLayer) depthwiseRow(in []float32, h, w, y int, row []float32) {
	c := l.in
	if haveDot4x8 && c%8 == 0 && w > 1 {
		// One kernel call per tap: along a row, the pixels under tap
		// (ky, kx) are contiguous, shifted by kx-1 pixels.
		_ = l.depthwise[9*c-1]
		for ky := range 3 {
			sy := y + ky - 1
			if sy < 0 || sy >= h {
				continue
			}
			src := in[sy*w*c : (sy+1)*w*c]
			for kx := range 3 {
				k := &l.depthwise[(ky*3+kx)*c]
				switch kx {
				case 0: // pixels 1..w-1 read 0..w-2
					fmaRows(&row[c], &src[0], k, c, w-1)
				case 1:
					fmaRows(&row[0], &src[0], k, c, w)
				case 2: // pixels 0..w-2 read 1..w-1
					fmaRows(&row[0], &src[c], k, c, w-1)
				}
			}
		}
		return
	}
	for x := range w {
		acc := row[x*c : x*c+c]
		for ky := range 3 {
			sy := y + ky - 1
			if sy < 0 || sy >= h {
				continue
			}
			for kx := range 3 {
				sx := x + kx - 1
				if sx < 0 || sx >= w {
					continue
				}
				src := in[(sy*w+sx)*c : (sy*w+sx)*c+c]
				k := l.depthwise[(ky*3+kx)*c : (ky*3+kx)*c+c]
				for i := range acc {
					acc[i] += src[i] * k[i]
				}
			}
		}
	}
}

// pointwise is a 1x1 convolution of n pixels from cin to len(bias)
// channels, plus bias, with leaky ReLU when act is set. wt is [cin][cout],
// wT the same transposed.
func pointwise(in []float32, n, cin int, wt, wT, bias []float32, act bool, sc *scratch) []float32 {
	out := sc.get(n * len(bias))
	matmulBias(out, in, n, cin, wt, wT, bias, act)
	return out
}

// transpose returns the rows x cols matrix m as cols x rows.
func transpose(m []float32, rows, cols int) []float32 {
	t := make([]float32, len(m))
	for r := range rows {
		for c := range cols {
			t[c*rows+r] = m[r*cols+c]
		}
	}
	return t
}

// matmulBias sets out[p][o] = act(bias[o] + sum_k in[p][k] * wt[k][o]) for
// n pixels of cin values (wT is wt transposed). On CPUs with AVX2 and FMA,
// blocks of 4 pixels x 8 outputs go to the assembly kernel dot4x8; the Go
// loops share each weight load between four pixels (Go does not
// vectorise).
//
//go:norace
func matmulBias(out, in []float32, n, cin int, wt, wT, bias []float32, act bool) {
	cout := len(bias)
	f := func(v float32) float32 { return v }
	if act {
		f = leaky
	}
	p := 0
	if haveDot4x8 && cout%8 == 0 && cin > 0 {
		a := 0
		if act {
			a = 1
		}
		_ = wt[cin*cout-1] // the kernel reads wt[k*cout+o+j] for k < cin, o+j < cout
		for ; p+4 <= n; p += 4 {
			in := in[p*cin : (p+4)*cin]
			dst := out[p*cout : (p+4)*cout]
			for o := 0; o < cout; o += 8 {
				dot4x8(&in[0], &in[cin], &in[2*cin], &in[3*cin], &wt[o], cout, cin, &bias[o], a,
					&dst[o], &dst[cout+o], &dst[2*cout+o], &dst[3*cout+o])
			}
		}
	}
	for ; p+4 <= n; p += 4 {
		s0 := in[p*cin : p*cin+cin]
		s1 := in[(p+1)*cin : (p+1)*cin+cin]
		s2 := in[(p+2)*cin : (p+2)*cin+cin]
		s3 := in[(p+3)*cin : (p+3)*cin+cin]
		for o := range cout {
			w := wT[o*cin : o*cin+cin]
			s0, s1, s2, s3 := s0[:len(w)], s1[:len(w)], s2[:len(w)], s3[:len(w)]
			var a0, a1, a2, a3 float32
			for k, wk := range w {
				a0 += s0[k] * wk
				a1 += s1[k] * wk
				a2 += s2[k] * wk
				a3 += s3[k] * wk
			}
			b := bias[o]
			out[p*cout+o] = f(a0 + b)
			out[(p+1)*cout+o] = f(a1 + b)
			out[(p+2)*cout+o] = f(a2 + b)
			out[(p+3)*cout+o] = f(a3 + b)
		}
	}
	for ; p < n; p++ {
		s := in[p*cin : p*cin+cin]
		for o := range cout {
			w := wT[o*cin : o*cin+cin]
			s := s[:len(w)]
			var a float32
			for k, wk := range w {
				a += s[k] * wk
			}
			out[p*cout+o] = f(a + bias[o])
		}
	}
}
