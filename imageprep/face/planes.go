package face

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
// maxSide (never up) and splits it into Y, Cb and Cr planes.
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
	// Every source pixel is read: sampling a subset (every 2nd row and
	// column, say) aliases fine patterns such as striped shirts.
	const step = 1
	nx, ny := (sw+step-1)/step, (sh+step-1)/step
	read := rowReader(img)
	row := make([]uint8, 3*nx)

	// Destination column of every sampled column, and how many samples
	// each destination column averages.
	xmap := make([]int, nx)
	xcount := make([]uint32, dw)
	for i := range nx {
		dx := i * step * dw / sw
		xmap[i] = dx
		xcount[dx]++
	}
	acc := make([]uint32, 3*dw)
	rows := uint32(0)
	dy := 0
	for j := range ny {
		y := j * step
		read(b.Min.Y+y, step, row)
		for i, dx := range xmap {
			acc[3*dx] += uint32(row[3*i])
			acc[3*dx+1] += uint32(row[3*i+1])
			acc[3*dx+2] += uint32(row[3*i+2])
		}
		rows++
		if j == ny-1 || (y+step)*dh/sh != dy {
			o := dy * dw
			for dx := range dw {
				n := xcount[dx] * rows
				p.y[o+dx] = uint8((acc[3*dx] + n/2) / n)
				p.cb[o+dx] = uint8((acc[3*dx+1] + n/2) / n)
				p.cr[o+dx] = uint8((acc[3*dx+2] + n/2) / n)
			}
			clear(acc)
			rows = 0
			dy++
		}
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

// rowReader returns a function that writes every step-th pixel of source
// row y of img, from its left edge, as Y, Cb, Cr triplets into dst (len 3
// per sampled pixel). Common image types get direct paths; anything else
// goes through At.
func rowReader(img image.Image) func(y, step int, dst []uint8) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		// Horizontal chroma subsampling: 4:2:2 and 4:2:0 halve, 4:1:1 and
		// 4:1:0 quarter. Indexing follows (*image.YCbCr).COffset, which
		// divides (truncating), not shifts, for negative coordinates.
		div := 1
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			div = 2
		case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
			div = 4
		}
		return func(y, step int, dst []uint8) {
			yrow := m.Y[m.YOffset(b.Min.X, y):]
			c0 := m.COffset(b.Min.X, y)
			cb, cr := m.Cb[c0:], m.Cr[c0:]
			base := b.Min.X / div
			for i, x := 0, 0; x < b.Dx(); i, x = i+1, x+step {
				ci := (b.Min.X+x)/div - base
				dst[3*i], dst[3*i+1], dst[3*i+2] = yrow[x], cb[ci], cr[ci]
			}
		}
	case *image.Gray:
		return func(y, step int, dst []uint8) {
			px := m.Pix[m.PixOffset(b.Min.X, y):]
			for i, x := 0, 0; x < b.Dx(); i, x = i+1, x+step {
				dst[3*i], dst[3*i+1], dst[3*i+2] = px[x], 128, 128
			}
		}
	case *image.RGBA:
		return func(y, step int, dst []uint8) {
			px := m.Pix[m.PixOffset(b.Min.X, y):]
			for i, x := 0, 0; x < b.Dx(); i, x = i+1, x+step {
				c := px[4*x : 4*x+4 : 4*x+4]
				// Premultiplied: flattening onto white adds (255 - a).
				bg := 255 - uint32(c[3])
				r := min(255, uint32(c[0])+bg)
				g := min(255, uint32(c[1])+bg)
				bl := min(255, uint32(c[2])+bg)
				dst[3*i], dst[3*i+1], dst[3*i+2] = color.RGBToYCbCr(uint8(r), uint8(g), uint8(bl))
			}
		}
	case *image.NRGBA:
		return func(y, step int, dst []uint8) {
			px := m.Pix[m.PixOffset(b.Min.X, y):]
			for i, x := 0, 0; x < b.Dx(); i, x = i+1, x+step {
				c := px[4*x : 4*x+4 : 4*x+4]
				a := uint32(c[3])
				bg := 255 - a
				r := (uint32(c[0])*a+127)/255 + bg
				g := (uint32(c[1])*a+127)/255 + bg
				bl := (uint32(c[2])*a+127)/255 + bg
				dst[3*i], dst[3*i+1], dst[3*i+2] = color.RGBToYCbCr(uint8(r), uint8(g), uint8(bl))
			}
		}
	}
	return func(y, step int, dst []uint8) {
		for i, x := 0, 0; x < b.Dx(); i, x = i+1, x+step {
			r, g, bl, a := img.At(b.Min.X+x, y).RGBA()
			bg := 0xffff - a
			r, g, bl = min(0xffff, r+bg), min(0xffff, g+bg), min(0xffff, bl+bg)
			dst[3*i], dst[3*i+1], dst[3*i+2] = color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
		}
	}
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
