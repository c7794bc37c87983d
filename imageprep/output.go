package imageprep

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/disintegration/imaging"
)

// Defaults for a zero Profile.
const (
	DefaultSize    = 600
	DefaultQuality = 90
	// MinQuality is the lowest JPEG quality the byte-budget search tries.
	MinQuality = 40
	// MinOutputSide is the smallest side the byte-budget search steps the
	// output down to when even MinQuality does not fit (after a 413 the
	// budget can be far below what 600x600 needs for a noisy photo).
	MinOutputSide = 200
)

// stepSides are the output sides tried, largest first, when the profile's
// size does not fit the byte budget at MinQuality.
var stepSides = []int{512, 480, 400, 320, 256, MinOutputSide}

// normalized fills a Profile's zero fields with the defaults.
func (p Profile) normalized() Profile {
	if p.Size <= 0 {
		p.Size = DefaultSize
	}
	if p.Format == "" {
		p.Format = JPEG
	}
	if p.Quality <= 0 || p.Quality > 100 {
		p.Quality = DefaultQuality
	}
	if p.Quality < MinQuality {
		p.Quality = MinQuality
	}
	return p
}

// render cuts crop (in img's coordinates) out of img and resamples it to
// size x size. After the decode-time shrink the reduction left is small:
// a Catmull-Rom resample straight from the decoder's planes (resampleCrop).
// Past 2x, a block shrink to 1.5x the output comes first (libvips'
// shrink-then-resample).
func render(img image.Image, crop image.Rectangle, size int) *image.NRGBA {
	crop = crop.Intersect(img.Bounds())
	if crop.Empty() {
		crop = img.Bounds()
	}
	if crop.Dx() > 2*size {
		if pre, ok := areaShrink(img, crop, size*3/2, size*3/2); ok {
			img, crop = pre, pre.Rect
		}
	}
	if out, ok := resampleCrop(img, crop, size); ok {
		return out
	}
	return imaging.Resize(subImage(img, crop), size, size, imaging.CatmullRom)
}

// encode writes img in the profile's format within its byte budget. JPEG
// quality starts at p.Quality and, when over budget, the highest quality
// down to MinQuality that fits is found by binary search. A PNG, or a JPEG
// at MinQuality, still over the budget is a KindTooBig refusal.
func encode(path string, img image.Image, p Profile) (data []byte, quality int, err error) {
	if n, ok := img.(*image.NRGBA); ok && n.Opaque() {
		// Opaque NRGBA has the same bytes as RGBA, which image/jpeg
		// converts on a fast path (NRGBA goes pixel by pixel through At).
		img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	if p.Format == PNG {
		var b bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&b, img); err != nil {
			return nil, 0, err
		}
		if p.MaxBytes > 0 && int64(b.Len()) > p.MaxBytes {
			return nil, 0, &Error{Path: path, Kind: KindTooBig, Detail: fmt.Sprintf("PNG is %d bytes, over the %d-byte budget", b.Len(), p.MaxBytes)}
		}
		return b.Bytes(), 0, nil
	}
	if p.Format != JPEG {
		return nil, 0, &Error{Path: path, Kind: KindUnsupported, Detail: fmt.Sprintf("output format %q: want jpeg or png", p.Format)}
	}
	at := func(q int) ([]byte, error) {
		var b bytes.Buffer
		b.Grow(128 << 10)
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	fits := func(d []byte) bool { return p.MaxBytes <= 0 || int64(len(d)) <= p.MaxBytes }
	best, err := at(p.Quality)
	if err != nil {
		return nil, 0, err
	}
	if fits(best) {
		return best, p.Quality, nil
	}
	floor, err := at(MinQuality)
	if err != nil {
		return nil, 0, err
	}
	if !fits(floor) {
		return nil, 0, &Error{Path: path, Kind: KindTooBig, Detail: fmt.Sprintf("JPEG is %d bytes at quality %d, over the %d-byte budget", len(floor), MinQuality, p.MaxBytes)}
	}
	// Invariant: lo fits, hi does not.
	lo, hi, loData := MinQuality, p.Quality, floor
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		d, err := at(mid)
		if err != nil {
			return nil, 0, err
		}
		if fits(d) {
			lo, loData = mid, d
		} else {
			hi = mid
		}
	}
	return loData, lo, nil
}

// encodeFit encodes img (side p.Size) within the byte budget: quality
// first (encode), then, when even MinQuality is over the budget, smaller
// sides from stepSides down to MinOutputSide, each at the highest quality
// that fits. It returns the side actually written. Still over the budget
// at MinOutputSide is a KindTooBig refusal that says so.
func encodeFit(path string, img *image.NRGBA, p Profile) (data []byte, quality, side int, err error) {
	data, quality, err = encode(path, img, p)
	if err == nil || !isTooBig(err) || p.MaxBytes <= 0 {
		return data, quality, p.Size, err
	}
	last, lastSide := err, p.Size
	for _, s := range stepSides {
		if s >= p.Size {
			continue
		}
		small := imaging.Resize(img, s, s, imaging.Lanczos)
		data, quality, err = encode(path, small, p)
		if err == nil {
			return data, quality, s, nil
		}
		if !isTooBig(err) {
			return nil, 0, 0, err
		}
		last, lastSide = err, s
	}
	var e *Error
	errors.As(last, &e)
	return nil, 0, 0, &Error{Path: path, Kind: KindTooBig, Detail: fmt.Sprintf("even at %dx%d px: %s", lastSide, lastSide, e.Detail)}
}

func isTooBig(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == KindTooBig
}

// Thresholds for the dark and blurry review flags, measured on the output
// image (see review.go for the others).
const (
	// DarkMeanLuma: a mean luma (0..255) below this is very dark.
	DarkMeanLuma = 45
	// BlurryLaplaceVariance: a Laplacian variance (on a 256 px copy)
	// below this is blurry.
	BlurryLaplaceVariance = 30.0
	sharpnessSide         = 256
)

// lookFlags measures the output for darkness and blur. The Laplacian
// variance is taken on a fixed-size copy so it does not depend on the
// output size.
func lookFlags(out *image.NRGBA) []Flag {
	var flags []Flag
	g, ok := areaShrink(out, out.Rect, sharpnessSide, sharpnessSide)
	if !ok { // an output under 256 px
		g = imaging.Resize(out, sharpnessSide, sharpnessSide, imaging.Box)
	}
	n := sharpnessSide
	lum := make([]float64, n*n)
	sum := 0.0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			p := g.Pix[y*g.Stride+4*x:]
			l := 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
			lum[y*n+x] = l
			sum += l
		}
	}
	if sum/float64(n*n) < DarkMeanLuma {
		flags = append(flags, FlagDark)
	}
	var s, s2 float64
	cnt := 0.0
	for y := 1; y < n-1; y++ {
		for x := 1; x < n-1; x++ {
			v := 4*lum[y*n+x] - lum[y*n+x-1] - lum[y*n+x+1] - lum[(y-1)*n+x] - lum[(y+1)*n+x]
			s += v
			s2 += v * v
			cnt++
		}
	}
	mean := s / cnt
	if variance := s2/cnt - mean*mean; variance < BlurryLaplaceVariance || math.IsNaN(variance) {
		flags = append(flags, FlagBlurry)
	}
	return flags
}
