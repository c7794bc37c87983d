package lbp

import (
	"image"
	"image/color"
	"math"
)

// planes is the working copy of an input image: luma and chroma (JFIF
// YCbCr, alpha flattened onto white) at the detection resolution.
type planes struct {
	w, h      int
	y, cb, cr []uint8
	// scale is input pixels per working pixel (>= 1); bounds are the
	// input's, so working (x, y) maps to bounds.Min + (x, y)*scale.
	scale  float64
	bounds image.Rectangle
	// grey is true when the picture carries (almost) no colour, so the skin
	// check has nothing to go on.
	grey bool
}

// toPlanes box-averages img down so that its longer side is at most
// maxSide (never up) and splits it into Y, Cb and Cr planes. Every source
// pixel is read: sampling a subset (every 2nd row and column, say) aliases
// fine patterns such as striped shirts.
func toPlanes(img image.Image, maxSide int) *planes {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if long := max(sw, sh); maxSide > 0 && long > maxSide {
		f := float64(maxSide) / float64(long)
		dw = max(1, int(math.Round(float64(sw)*f)))
		dh = max(1, int(math.Round(float64(sh)*f)))
	}
	p := &planes{
		w: dw, h: dh,
		y:      make([]uint8, dw*dh),
		cb:     make([]uint8, dw*dh),
		cr:     make([]uint8, dw*dh),
		scale:  float64(sw) / float64(dw),
		bounds: b,
	}
	// Destination column of every source column, and how many source
	// columns each destination column averages.
	xmap := make([]int, sw)
	xcount := make([]uint32, dw)
	for x := range sw {
		dx := x * dw / sw
		xmap[x] = dx
		xcount[dx]++
	}
	add, kind := rowAdder(img, xmap)
	acc := [3][]uint32{make([]uint32, dw), make([]uint32, dw), make([]uint32, dw)}
	rows := uint32(0)
	dy := 0
	for y := range sh {
		add(b.Min.Y+y, &acc)
		rows++
		if y < sh-1 && (y+1)*dh/sh == dy {
			continue
		}
		o := dy * dw
		for dx := range dw {
			n := xcount[dx] * rows
			c0 := uint8((acc[0][dx] + n/2) / n)
			c1 := uint8((acc[1][dx] + n/2) / n)
			c2 := uint8((acc[2][dx] + n/2) / n)
			switch kind {
			case sumsRGB:
				p.y[o+dx], p.cb[o+dx], p.cr[o+dx] = color.RGBToYCbCr(c0, c1, c2)
			case sumsGrey:
				p.y[o+dx], p.cb[o+dx], p.cr[o+dx] = c0, 128, 128
			default:
				p.y[o+dx], p.cb[o+dx], p.cr[o+dx] = c0, c1, c2
			}
		}
		clear(acc[0])
		clear(acc[1])
		clear(acc[2])
		rows = 0
		dy++
	}
	p.grey = isGrey(p.cb, p.cr)
	return p
}

// isGrey reports whether fewer than 2% of the pixels have visible chroma.
func isGrey(cb, cr []uint8) bool {
	const tol = 6
	coloured := 0
	for i := range cb {
		if absDiff(cb[i], 128) > tol || absDiff(cr[i], 128) > tol {
			coloured++
		}
	}
	return coloured*50 < len(cb)
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// What a rowAdder accumulates in its three sums.
const (
	sumsYCbCr = iota
	sumsRGB   // R, G, B (alpha flattened onto white), converted after averaging
	sumsGrey  // luma only
)

// rowAdder returns a function adding source row y of img into per
// destination column sums (xmap gives each source column's destination),
// and what those sums hold. Common image types get direct paths; anything
// else goes through At.
func rowAdder(img image.Image, xmap []int) (func(y int, acc *[3][]uint32), int) {
	b := img.Bounds()
	w := b.Dx()
	switch m := img.(type) {
	case *image.YCbCr:
		// Chroma sample of every column; indexing follows
		// (*image.YCbCr).COffset, which divides (truncating), not shifts.
		div := 1
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			div = 2
		case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
			div = 4
		}
		cmap := make([]int, w)
		for x := range w {
			cmap[x] = (b.Min.X+x)/div - b.Min.X/div
		}
		return func(y int, acc *[3][]uint32) {
			yrow := m.Y[m.YOffset(b.Min.X, y):][:w]
			c0 := m.COffset(b.Min.X, y)
			cb, cr := m.Cb[c0:], m.Cr[c0:]
			a0, a1, a2 := acc[0], acc[1], acc[2]
			for x, v := range yrow {
				dx, ci := xmap[x], cmap[x]
				a0[dx] += uint32(v)
				a1[dx] += uint32(cb[ci])
				a2[dx] += uint32(cr[ci])
			}
		}, sumsYCbCr
	case *image.Gray:
		return func(y int, acc *[3][]uint32) {
			a0 := acc[0]
			for x, v := range m.Pix[m.PixOffset(b.Min.X, y):][:w] {
				a0[xmap[x]] += uint32(v)
			}
		}, sumsGrey
	case *image.RGBA:
		return func(y int, acc *[3][]uint32) {
			px := m.Pix[m.PixOffset(b.Min.X, y):][:4*w]
			a0, a1, a2 := acc[0], acc[1], acc[2]
			for x, dx := range xmap {
				c := px[4*x : 4*x+4 : 4*x+4]
				// Premultiplied: flattening onto white adds (255 - a).
				bg := 255 - uint32(c[3])
				a0[dx] += min(255, uint32(c[0])+bg)
				a1[dx] += min(255, uint32(c[1])+bg)
				a2[dx] += min(255, uint32(c[2])+bg)
			}
		}, sumsRGB
	case *image.NRGBA:
		return func(y int, acc *[3][]uint32) {
			px := m.Pix[m.PixOffset(b.Min.X, y):][:4*w]
			a0, a1, a2 := acc[0], acc[1], acc[2]
			for x, dx := range xmap {
				c := px[4*x : 4*x+4 : 4*x+4]
				r, g, bl, a := uint32(c[0]), uint32(c[1]), uint32(c[2]), uint32(c[3])
				if a != 255 {
					bg := 255 - a
					r = (r*a+127)/255 + bg
					g = (g*a+127)/255 + bg
					bl = (bl*a+127)/255 + bg
				}
				a0[dx] += r
				a1[dx] += g
				a2[dx] += bl
			}
		}, sumsRGB
	}
	return func(y int, acc *[3][]uint32) {
		for x, dx := range xmap {
			r, g, bl, a := img.At(b.Min.X+x, y).RGBA()
			bg := 0xffff - a
			acc[0][dx] += min(0xffff, r+bg) >> 8
			acc[1][dx] += min(0xffff, g+bg) >> 8
			acc[2][dx] += min(0xffff, bl+bg) >> 8
		}
	}, sumsRGB
}

// skinRatio is the fraction of skin-coloured pixels in the central part of
// rect (working coordinates), where a frontal face shows cheeks, nose and
// forehead rather than hair, eyes' surroundings or background.
func (p *planes) skinRatio(r image.Rectangle) float64 {
	inner := image.Rect(
		r.Min.X+r.Dx()/5, r.Min.Y+r.Dy()/5,
		r.Max.X-r.Dx()/5, r.Max.Y-r.Dy()/8,
	).Intersect(image.Rect(0, 0, p.w, p.h))
	if inner.Empty() {
		return 0
	}
	skin := 0
	for y := inner.Min.Y; y < inner.Max.Y; y++ {
		o := y * p.w
		for x := inner.Min.X; x < inner.Max.X; x++ {
			if isSkin(p.y[o+x], p.cb[o+x], p.cr[o+x]) {
				skin++
			}
		}
	}
	return float64(skin) / float64(inner.Dx()*inner.Dy())
}

// isSkin is a chroma-box skin test in YCbCr (after Chai & Ngan, widened a
// little for strong lighting), ignoring pixels too dark or too bright for
// their chroma to mean anything.
func isSkin(y, cb, cr uint8) bool {
	return y >= 35 && y <= 250 &&
		cb >= 75 && cb <= 130 &&
		cr >= 132 && cr <= 180
}
