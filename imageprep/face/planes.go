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
	// scale is input pixels per working pixel (>= 1); origin is the input's
	// Bounds().Min, so working (x, y) maps to origin + (x, y)*scale.
	scale  float64
	origin image.Point
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
		origin: b.Min,
	}
	read := rowReader(img)
	row := make([]uint8, 3*sw)

	// Destination column of every source column, and how many source
	// columns each destination column averages.
	xmap := make([]int, sw)
	xcount := make([]uint32, dw)
	for x := range sw {
		dx := x * dw / sw
		xmap[x] = dx
		xcount[dx]++
	}
	acc := make([]uint32, 3*dw)
	rows := uint32(0)
	dy := 0
	for y := range sh {
		read(b.Min.Y+y, row)
		for x, dx := range xmap {
			acc[3*dx] += uint32(row[3*x])
			acc[3*dx+1] += uint32(row[3*x+1])
			acc[3*dx+2] += uint32(row[3*x+2])
		}
		rows++
		if y == sh-1 || (y+1)*dh/sh != dy {
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

// rowReader returns a function that writes source row y of img as Y, Cb,
// Cr triplets into dst (len 3*width). Common image types get direct paths;
// anything else goes through At.
func rowReader(img image.Image) func(y int, dst []uint8) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		return func(y int, dst []uint8) {
			yo := m.YOffset(b.Min.X, y)
			for i := 0; i < b.Dx(); i++ {
				co := m.COffset(b.Min.X+i, y)
				dst[3*i], dst[3*i+1], dst[3*i+2] = m.Y[yo+i], m.Cb[co], m.Cr[co]
			}
		}
	case *image.Gray:
		return func(y int, dst []uint8) {
			o := m.PixOffset(b.Min.X, y)
			for i, v := range m.Pix[o : o+b.Dx()] {
				dst[3*i], dst[3*i+1], dst[3*i+2] = v, 128, 128
			}
		}
	case *image.RGBA:
		return func(y int, dst []uint8) {
			o := m.PixOffset(b.Min.X, y)
			px := m.Pix[o : o+4*b.Dx()]
			for i := 0; i < b.Dx(); i++ {
				// Premultiplied: flattening onto white adds (255 - a).
				bg := 255 - uint32(px[4*i+3])
				r := min(255, uint32(px[4*i])+bg)
				g := min(255, uint32(px[4*i+1])+bg)
				bl := min(255, uint32(px[4*i+2])+bg)
				dst[3*i], dst[3*i+1], dst[3*i+2] = color.RGBToYCbCr(uint8(r), uint8(g), uint8(bl))
			}
		}
	case *image.NRGBA:
		return func(y int, dst []uint8) {
			o := m.PixOffset(b.Min.X, y)
			px := m.Pix[o : o+4*b.Dx()]
			for i := 0; i < b.Dx(); i++ {
				a := uint32(px[4*i+3])
				bg := 255 - a
				r := (uint32(px[4*i])*a+127)/255 + bg
				g := (uint32(px[4*i+1])*a+127)/255 + bg
				bl := (uint32(px[4*i+2])*a+127)/255 + bg
				dst[3*i], dst[3*i+1], dst[3*i+2] = color.RGBToYCbCr(uint8(r), uint8(g), uint8(bl))
			}
		}
	}
	return func(y int, dst []uint8) {
		for i := 0; i < b.Dx(); i++ {
			r, g, bl, a := img.At(b.Min.X+i, y).RGBA()
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
