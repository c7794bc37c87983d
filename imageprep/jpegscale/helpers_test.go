package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sample is one JPEG test input.
type sample struct {
	name string
	data []byte
	// ref, when set, is a lossless transcode of data (same coefficients)
	// that image/jpeg can decode, for samples image/jpeg cannot.
	ref []byte
}

// reference is the input whose image/jpeg decode is the expected result.
func (s sample) reference() []byte {
	if s.ref != nil {
		return s.ref
	}
	return s.data
}

// testdataSamples loads every JPEG under testdata/ (made once with cjpeg and
// ImageMagick from photos in python3-skimage: baseline and progressive,
// 4:4:4, 4:2:2, 4:4:0, 4:2:0, 4:1:1, greyscale, restart markers, YCCK; a
// NAME.ref.jpeg beside NAME.jpg is its restart-free lossless transcode by
// jpegtran, for the progressive-with-restarts file image/jpeg rejects) plus an
// Adobe CMYK variant of the YCCK files made by patching the APP14 transform.
func testdataSamples(t testing.TB) []sample {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	if len(paths) < 10 {
		t.Fatalf("testdata: found %d JPEGs, want the committed samples", len(paths))
	}
	var out []sample
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		smp := sample{name: filepath.Base(p), data: data}
		if ref, err := os.ReadFile(strings.TrimSuffix(p, ".jpg") + ".ref.jpeg"); err == nil {
			smp.ref = ref
		}
		out = append(out, smp)
		if cmyk, ok := adobeTransformTo(data, adobeTransformUnknown); ok && cmyk != nil {
			out = append(out, sample{name: "adobe0-" + filepath.Base(p), data: cmyk})
		}
	}
	return out
}

// adobeTransformTo returns a copy of data with the Adobe APP14 transform byte
// set to v (ok is false when data has no Adobe segment).
func adobeTransformTo(data []byte, v byte) ([]byte, bool) {
	i := bytes.Index(data, []byte("\xff\xee\x00\x0eAdobe"))
	if i < 0 || i+4+12 > len(data) {
		return nil, false
	}
	out := append([]byte(nil), data...)
	out[i+4+11] = v
	return out, true
}

// generatedSamples encodes photo-like images with image/jpeg (4:2:0 colour
// and greyscale) at awkward sizes and several qualities.
func generatedSamples(t testing.TB) []sample {
	t.Helper()
	var out []sample
	sizes := []image.Point{{1, 1}, {7, 9}, {17, 33}, {40, 23}, {64, 64}, {129, 71}}
	for _, sz := range sizes {
		for _, q := range []int{50, 90, 100} {
			src := photoLike(sz.X, sz.Y)
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			out = append(out, sample{name: fmt.Sprintf("go420-%dx%d-q%d", sz.X, sz.Y, q), data: buf.Bytes()})
			gray := image.NewGray(src.Bounds())
			for y := 0; y < sz.Y; y++ {
				for x := 0; x < sz.X; x++ {
					gray.Set(x, y, src.At(x, y))
				}
			}
			buf = bytes.Buffer{}
			if err := jpeg.Encode(&buf, gray, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			out = append(out, sample{name: fmt.Sprintf("gogray-%dx%d-q%d", sz.X, sz.Y, q), data: buf.Bytes()})
		}
	}
	// Flat colour quadrants: mostly DC-only blocks, the reduced transforms'
	// shortcut.
	flat := image.NewRGBA(image.Rect(0, 0, 96, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 96; x++ {
			flat.Set(x, y, color.RGBA{uint8(40 + 160*(x/48)), uint8(200 - 150*(y/40)), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, flat, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	out = append(out, sample{name: "go420-flat-quadrants", data: buf.Bytes()})
	return out
}

// photoLike is a smooth image with some texture: gradients, a disc and a
// deterministic pseudo-random grain.
func photoLike(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(12345)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			grain := int(seed>>27) - 16
			dx, dy := float64(x)-float64(w)/2, float64(y)-float64(h)/3
			disc := 0
			if dx*dx+dy*dy < float64(w*w)/16 {
				disc = 60
			}
			r := 40 + 150*x/max(w, 1) + grain + disc
			g := 60 + 120*y/max(h, 1) + grain/2
			b := 200 - 100*(x+y)/max(w+h, 1) + grain - disc
			m.Set(x, y, color.RGBA{clamp8(r), clamp8(g), clamp8(b), 255})
		}
	}
	return m
}

func clamp8(v int) uint8 {
	return uint8(min(max(v, 0), 255))
}

// plane is one channel of an image at its own resolution.
type plane struct {
	name string
	w, h int
	pix  []uint8
}

// planes splits an image into its channels at their native resolutions.
func planes(t testing.TB, m image.Image) []plane {
	t.Helper()
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := m.(type) {
	case *image.Gray:
		return []plane{rows("gray", w, h, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), 1, 0)}
	case *image.YCbCr:
		cw, ch := chromaSize(w, h, m.SubsampleRatio)
		return []plane{
			rows("Y", w, h, m.Y, m.YStride, m.YOffset(b.Min.X, b.Min.Y), 1, 0),
			rows("Cb", cw, ch, m.Cb, m.CStride, m.COffset(b.Min.X, b.Min.Y), 1, 0),
			rows("Cr", cw, ch, m.Cr, m.CStride, m.COffset(b.Min.X, b.Min.Y), 1, 0),
		}
	case *image.RGBA:
		var out []plane
		for c, n := range []string{"R", "G", "B", "A"} {
			out = append(out, rows(n, w, h, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), 4, c))
		}
		return out
	case *image.CMYK:
		var out []plane
		for c, n := range []string{"C", "M", "Y", "K"} {
			out = append(out, rows(n, w, h, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), 4, c))
		}
		return out
	}
	t.Fatalf("unexpected image type %T", m)
	return nil
}

func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

func rows(name string, w, h int, pix []uint8, stride, off, step, channel int) plane {
	p := plane{name: name, w: w, h: h, pix: make([]uint8, 0, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.pix = append(p.pix, pix[off+y*stride+x*step+channel])
		}
	}
	return p
}

// boxAverage shrinks p by denom, each output the mean of the in-bounds
// source pixels it covers.
func boxAverage(p plane, denom int) plane {
	w, h := (p.w+denom-1)/denom, (p.h+denom-1)/denom
	out := plane{name: p.name, w: w, h: h, pix: make([]uint8, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for yy := y * denom; yy < min((y+1)*denom, p.h); yy++ {
				for xx := x * denom; xx < min((x+1)*denom, p.w); xx++ {
					sum += int(p.pix[yy*p.w+xx])
					n++
				}
			}
			out.pix[y*w+x] = uint8((sum + n/2) / n)
		}
	}
	return out
}

// psnr is the peak signal-to-noise ratio between two planes of equal size,
// in dB (+Inf when identical).
func psnr(a, b plane) float64 {
	var se float64
	for i := range a.pix {
		d := float64(a.pix[i]) - float64(b.pix[i])
		se += d * d
	}
	if se == 0 {
		return math.Inf(1)
	}
	mse := se / float64(len(a.pix))
	return 10 * math.Log10(255*255/mse)
}
