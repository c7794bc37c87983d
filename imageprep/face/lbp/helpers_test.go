package lbp

import (
	"image"
	"image/color"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// drawScaled draws src scaled (Catmull-Rom) into r of a YCbCr image.
func drawScaled(dst *image.YCbCr, r image.Rectangle, src image.Image) {
	tmp := image.NewRGBA(r)
	xdraw.CatmullRom.Scale(tmp, r, src, src.Bounds(), xdraw.Src, nil)
	pasteYCbCr(dst, tmp)
}

// pasteYCbCr writes src (opaque) into dst at src's bounds, converting to
// YCbCr; chroma samples take the value of their top-left pixel.
func pasteYCbCr(dst *image.YCbCr, src *image.RGBA) {
	b := src.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			dst.Y[dst.YOffset(x, y)] = yy
			dst.Cb[dst.COffset(x, y)] = cb
			dst.Cr[dst.COffset(x, y)] = cr
		}
	}
}

// toYCbCr converts img to a 4:2:0 YCbCr image with the same bounds.
func toYCbCr(img image.Image) *image.YCbCr {
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	out := image.NewYCbCr(img.Bounds(), image.YCbCrSubsampleRatio420)
	pasteYCbCr(out, rgba)
	return out
}

// blankGrey is a w x h mid-grey image.
func blankGrey(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 128
	}
	return g
}

// iou is the intersection over union of two rectangles.
func iou(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	ia := float64(in.Dx() * in.Dy())
	return ia / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - ia)
}
