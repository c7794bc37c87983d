// Command toppm writes images as binary PPM (P6) with Go's decoders, so
// the JavaScript reference (reference.js) sees exactly the pixels the Go
// detector sees.
//
//	go run ./imageprep/face/tinyface/reference/toppm OUTDIR FILE...
package main

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: toppm OUTDIR FILE...")
		os.Exit(2)
	}
	for _, fn := range os.Args[2:] {
		if err := convert(os.Args[1], fn); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func convert(dir, fn string) error {
	f, err := os.Open(fn)
	if err != nil {
		return err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fn, err)
	}
	base := strings.TrimSuffix(filepath.Base(fn), filepath.Ext(fn))
	out, err := os.Create(filepath.Join(dir, base+".ppm"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	b := img.Bounds()
	fmt.Fprintf(w, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			w.Write([]byte{c.R, c.G, c.B})
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
