package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"path/filepath"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// contactSheet draws every photo with the hand-checked boxes (green),
// detector di's accepted faces (red) and its crop (blue), 8 to a row.
func (r *result) contactSheet(dir, out string, di int) error {
	const tile, label, cols = 220, 14, 8
	rows := (len(r.photos) + cols - 1) / cols
	sheet := image.NewNRGBA(image.Rect(0, 0, cols*tile, rows*(tile+label)))
	draw.Draw(sheet, sheet.Bounds(), image.White, image.Point{}, draw.Src)
	for i, p := range r.photos {
		img, err := decodeFile(filepath.Join(dir, p.File))
		if err != nil {
			return err
		}
		b := img.Bounds()
		k := float64(tile-4) / float64(max(b.Dx(), b.Dy()))
		small := imaging.Resize(img, max(1, int(float64(b.Dx())*k)), max(1, int(float64(b.Dy())*k)), imaging.Box)
		at := image.Pt((i%cols)*tile+2, (i/cols)*(tile+label)+2)
		draw.Draw(sheet, small.Bounds().Add(at), small, image.Point{}, draw.Src)
		box := func(rc image.Rectangle, c color.NRGBA) {
			rc = rc.Sub(b.Min)
			s := image.Rect(int(float64(rc.Min.X)*k), int(float64(rc.Min.Y)*k), int(float64(rc.Max.X)*k), int(float64(rc.Max.Y)*k)).Add(at)
			outline(sheet, s, c)
		}
		for _, t := range p.boxes() {
			box(t, color.NRGBA{0, 200, 0, 255})
		}
		o := r.out[di][i]
		for _, d := range o.accepted {
			box(d.Rect, color.NRGBA{230, 0, 0, 255})
		}
		if !o.crop.Empty() {
			box(o.crop, color.NRGBA{0, 90, 255, 255})
		}
		name := filepath.Base(p.File)
		if len(name) > 30 {
			name = name[:30]
		}
		text(sheet, image.Pt(at.X, at.Y+tile+label-6), fmt.Sprintf("%s %d/%d/%d", name, o.found, o.missed, o.false_))
	}
	return writePNG(out, sheet)
}

func outline(img *image.NRGBA, r image.Rectangle, c color.NRGBA) {
	for x := r.Min.X; x < r.Max.X; x++ {
		img.SetNRGBA(x, r.Min.Y, c)
		img.SetNRGBA(x, r.Max.Y-1, c)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		img.SetNRGBA(r.Min.X, y, c)
		img.SetNRGBA(r.Max.X-1, y, c)
	}
}

func text(img *image.NRGBA, at image.Point, s string) {
	d := font.Drawer{Dst: img, Src: image.Black, Face: basicfont.Face7x13, Dot: fixed.P(at.X, at.Y)}
	d.DrawString(s)
}
