package demo

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

//go:embed astronaut.jpg
var astronautJPEG []byte

// Sample is one generated portrait.
type Sample struct {
	Path   string
	Person string // the person key (file name without extension)
	What   string // what it shows off
	// Held says why the review gate holds this sample (not sent until a
	// human approves it, or never for a placeholder); "" for the others.
	Held string
}

// People the samples are named after: the sandbox roster's demo people, plus
// one nobody knows. ZoomRejected is the one the demo's Zoom refuses.
const (
	UnknownPerson = "new.starter@example.com"
	ZoomRejected  = "amara.okafor@example.com"
	// Grainy is the person whose photo is so noisy that its prepared JPEG
	// is over DemoZoomMaxBytes: Zoom answers 413 and the engine re-encodes.
	Grainy = "ravi.patel@example.com"
	// Placeholder is a real person (in every platform's roster) whose
	// "photo" is a 1x1 PNG an HR export left behind: held, never sent.
	Placeholder = "staff001@example.com"
	// Dark is the person whose under-exposed photo is held for review.
	Dark = "sven.lund@example.com"
)

// SampleOptions tune the generated set.
type SampleOptions struct {
	// BigWidth x BigHeight is the large camera JPEG (default 6000x4000, 24 MP).
	BigWidth, BigHeight int
}

func (o SampleOptions) withDefaults() SampleOptions {
	if o.BigWidth <= 0 || o.BigHeight <= 0 {
		o.BigWidth, o.BigHeight = 6000, 4000
	}
	return o
}

// WriteSamples writes the sample portraits into dir (which must exist) and
// returns them in name order. Nothing else is written.
func WriteSamples(dir string, o SampleOptions) ([]Sample, error) {
	o = o.withDefaults()
	decoded, err := jpeg.Decode(bytes.NewReader(astronautJPEG))
	if err != nil {
		return nil, fmt.Errorf("demo: embedded portrait: %w", err)
	}
	base := image.NewRGBA(image.Rect(0, 0, decoded.Bounds().Dx(), decoded.Bounds().Dy()))
	draw.Draw(base, base.Bounds(), decoded, decoded.Bounds().Min, draw.Src)
	type gen struct {
		person, ext, what string
		make              func() ([]byte, error)
		held              string
	}
	gens := []gen{
		{"jane.doe@example.com", ".jpg", "face off-centre on a large canvas", func() ([]byte, error) {
			return encodeJPEG(place(base, 1800, 1200, 720, 1000, 400), 88, nil)
		}, ""},
		{"omar.haddad@example.com", ".jpg", "sideways phone photo: pixels rotated, EXIF orientation 6", func() ([]byte, error) {
			upright := place(base, 900, 1200, 860, 20, 200)
			return encodeJPEG(rotateCCW(upright), 88, exifOrientation(6))
		}, ""},
		{"mei.tanaka@example.com", ".jpg", fmt.Sprintf("big camera JPEG, %dx%d", o.BigWidth, o.BigHeight), func() ([]byte, error) {
			side := o.BigHeight * 3 / 4
			return encodeJPEG(place(base, o.BigWidth, o.BigHeight, side, o.BigWidth/3, o.BigHeight/8), 90, nil)
		}, ""},
		{"lukas.berg@example.com", ".png", "PNG with a transparent background", func() ([]byte, error) {
			var b bytes.Buffer
			err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, cutout(base, 700))
			return b.Bytes(), err
		}, ""},
		{UnknownPerson, ".jpg", "someone no platform knows (not found everywhere)", func() ([]byte, error) {
			return encodeJPEG(tint(mirror(base), 1.1, 1.0, 0.85), 88, nil)
		}, ""},
		{ZoomRejected, ".jpg", "Zoom refuses this one (400, code 300)", func() ([]byte, error) {
			return encodeJPEG(place(base, 1000, 1000, 900, 50, 100), 88, nil)
		}, ""},
		{"diego.santos@example.com", ".jpg", "small photo: upscaled, still fine to send", func() ([]byte, error) {
			return encodeJPEG(place(base, 420, 420, 600, -90, -40), 85, nil)
		}, ""},
		{"priya.raman@example.com", ".jpg", "black and white", func() ([]byte, error) {
			return encodeJPEG(gray(base), 88, nil)
		}, ""},
		{Dark, ".jpg", "under-exposed: held for review until approved on the Correct screen", func() ([]byte, error) {
			return encodeJPEG(tint(base, 0.25, 0.25, 0.3), 88, nil)
		}, "very dark"},
		{Placeholder, ".png", "a 1x1 placeholder named after a real person: held, never sent", func() ([]byte, error) {
			var b bytes.Buffer
			err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
			return b.Bytes(), err
		}, "too small"},
		{"chloe.martin@example.com", ".jpg", "mirrored, wide canvas", func() ([]byte, error) {
			return encodeJPEG(place(mirror(base), 2400, 1200, 1150, 200, 25), 88, nil)
		}, ""},
		{"kofi.mensah@example.com", ".jpg", "tight crop", func() ([]byte, error) {
			return encodeJPEG(crop(base, image.Rect(120, 20, 400, 300)), 88, nil)
		}, ""},
		{Grainy, ".jpg", "grainy badge-camera shot: over the demo's Zoom size limit until re-encoded (413)", func() ([]byte, error) {
			return encodeJPEG(grain(place(base, 900, 900, 700, 100, 80), 48, 11), 92, nil)
		}, ""},
		{"ines.costa@example.com", ".jpg", "warm tint", func() ([]byte, error) {
			return encodeJPEG(tint(base, 1.15, 0.95, 0.8), 88, nil)
		}, ""},
	}
	var out []Sample
	for _, g := range gens {
		data, err := g.make()
		if err != nil {
			return nil, fmt.Errorf("demo: sample %s: %w", g.person, err)
		}
		p := filepath.Join(dir, g.person+g.ext)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		out = append(out, Sample{Path: p, Person: g.person, What: g.what, Held: g.held})
	}
	return out, nil
}

// encodeJPEG encodes img, inserting app1 (an EXIF segment) after SOI.
func encodeJPEG(img image.Image, q int, app1 []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, err
	}
	data := b.Bytes()
	if app1 == nil {
		return data, nil
	}
	out := make([]byte, 0, len(data)+len(app1))
	out = append(out, data[:2]...) // SOI
	out = append(out, app1...)
	return append(out, data[2:]...), nil
}

// exifOrientation is a complete APP1 segment holding a one-entry TIFF IFD
// with the Orientation tag (0x0112, SHORT) set to o.
func exifOrientation(o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")                        // big-endian TIFF
	binary.Write(&tiff, binary.BigEndian, uint32(8))      // IFD0 offset
	binary.Write(&tiff, binary.BigEndian, uint16(1))      // one entry
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112)) // Orientation
	binary.Write(&tiff, binary.BigEndian, uint16(3))      // SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1))      // count
	binary.Write(&tiff, binary.BigEndian, uint16(o))      // value, left-justified
	binary.Write(&tiff, binary.BigEndian, uint16(0))      // padding
	binary.Write(&tiff, binary.BigEndian, uint32(0))      // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// place draws src scaled to side x side at (x, y) on a w x h backdrop.
func place(src image.Image, w, h, side, x, y int) *image.RGBA {
	dst := backdrop(w, h)
	draw.ApproxBiLinear.Scale(dst, image.Rect(x, y, x+side, y+side), src, src.Bounds(), draw.Over, nil)
	return dst
}

// backdrop is a soft vertical grey-blue gradient like a studio wall.
func backdrop(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		t := float64(y) / float64(max(h-1, 1))
		c := color.RGBA{uint8(150 - 60*t), uint8(160 - 60*t), uint8(175 - 50*t), 255}
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
	return img
}

// rotateCCW turns an image a quarter turn anticlockwise; a viewer that
// honours EXIF orientation 6 turns it back clockwise.
func rotateCCW(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := 0; y < w; y++ {
		for x := 0; x < h; x++ {
			dst.SetRGBA(x, y, src.RGBAAt(b.Min.X+w-1-y, b.Min.Y+x))
		}
	}
	return dst
}

func mirror(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		srow := src.Pix[y*src.Stride:]
		drow := dst.Pix[y*dst.Stride:]
		for x := 0; x < b.Dx(); x++ {
			copy(drow[4*(b.Dx()-1-x):4*(b.Dx()-x)], srow[4*x:4*x+4])
		}
	}
	return dst
}

// tint scales each channel by a factor (clamped), keeping alpha opaque.
func tint(src *image.RGBA, r, g, bl float64) *image.RGBA {
	dst := image.NewRGBA(src.Bounds())
	f := [3]float64{r, g, bl}
	for i := 0; i+3 < len(src.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			dst.Pix[i+c] = uint8(math.Min(255, float64(src.Pix[i+c])*f[c]))
		}
		dst.Pix[i+3] = 255
	}
	return dst
}

// grain adds uniform noise of +-amp to every channel (seeded, so the
// samples are the same on every run): detail JPEG cannot compress away.
func grain(src *image.RGBA, amp int, seed uint32) *image.RGBA {
	dst := image.NewRGBA(src.Bounds())
	x := seed | 1
	for i := 0; i+3 < len(src.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			v := int(src.Pix[i+c]) + int(x%uint32(2*amp+1)) - amp
			dst.Pix[i+c] = uint8(min(max(v, 0), 255))
		}
		dst.Pix[i+3] = 255
	}
	return dst
}

func gray(src image.Image) *image.Gray {
	b := src.Bounds()
	dst := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	return dst
}

func crop(src image.Image, r image.Rectangle) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(dst, dst.Bounds(), src, r.Min, draw.Src)
	return dst
}

// cutout is the portrait scaled to side x side with everything outside a
// soft-edged circle transparent.
func cutout(src image.Image, side int) *image.NRGBA {
	scaled := image.NewRGBA(image.Rect(0, 0, side, side))
	draw.ApproxBiLinear.Scale(scaled, scaled.Bounds(), src, src.Bounds(), draw.Src, nil)
	dst := image.NewNRGBA(scaled.Bounds())
	c, r := float64(side)/2, float64(side)*0.46
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			d := math.Hypot(float64(x)-c, float64(y)-c)
			a := math.Max(0, math.Min(1, (r-d)/12))
			p := scaled.RGBAAt(x, y)
			dst.SetNRGBA(x, y, color.NRGBA{p.R, p.G, p.B, uint8(a * 255)})
		}
	}
	return dst
}
