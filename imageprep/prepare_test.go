package imageprep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// magenta marks a fake face: fakeDetector finds its bounding box, at
// whatever scale it is shown the image.
var magenta = color.NRGBA{255, 0, 255, 255}

func fakeDetector(img image.Image) []Face {
	b := img.Bounds()
	r := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.At(x, y), magenta, 40) {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if r.Empty() {
		return nil
	}
	return []Face{{Rect: r, Score: 0.9}}
}

// sceneWithFace is a w x h grey image with a magenta "face" at r.
func sceneWithFace(w, h int, r image.Rectangle) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(90 + (x*7+y*3)%40), 100, 110, 255}
			if image.Pt(x, y).In(r) {
				c = magenta
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func TestFaceOffCentreIsFramed(t *testing.T) {
	det := WithFaceDetector(fakeDetector)
	faceR := image.Rect(1900, 300, 2100, 540) // right edge of a 2400x1200 photo
	p := writeFile(t, t.TempDir(), "side.jpg", jpegBytes(t, sceneWithFace(2400, 1200, faceR), 92))
	res, err := NewPreparer(det).Prepare(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A centre crop would be x 600..1800: it cuts the face out entirely.
	if c := CenterCrop(2400, 1200); c.Intersect(faceR) == faceR {
		t.Fatal("test setup: the centre crop should cut the face")
	}
	if res.Method != MethodFace || res.Confidence < 0.5 {
		t.Fatalf("method %s confidence %.2f", res.Method, res.Confidence)
	}
	c := res.Crop
	if c.Dx() != c.Dy() || !c.In(image.Rect(0, 0, 2400, 1200)) {
		t.Fatalf("crop %v is not a square inside the image", c)
	}
	if !faceR.In(c) {
		t.Errorf("crop %v does not contain the face %v", c, faceR)
	}
	// The detector's box (the inner face, about 0.7 of the head) about a
	// third of the width, so the head is about half.
	if fr := float64(faceR.Dx()) / float64(c.Dx()); fr < 0.25 || fr > 0.45 {
		t.Errorf("face box is %.2f of the crop width, want about a third", fr)
	}
	// Eyes (about 30% down a detector's box) above the middle.
	eyes := faceR.Min.Y + faceR.Dy()*3/10
	if eyes >= (c.Min.Y+c.Max.Y)/2 {
		t.Errorf("eyes at %d are not above the crop's middle %d", eyes, (c.Min.Y+c.Max.Y)/2)
	}
	if faceR.Min.Y-c.Min.Y < faceR.Dy()/4 {
		t.Errorf("no headroom: crop top %d, face top %d", c.Min.Y, faceR.Min.Y)
	}
	if len(res.Faces) != 1 || res.Has(FlagNoFace) || res.Has(FlagManyFaces) {
		t.Errorf("faces %v flags %v", res.Faces, res.Flags)
	}
	// The output shows the face (magenta) in its middle.
	out, err := jpeg.Decode(bytes.NewReader(res.Data))
	if err != nil {
		t.Fatal(err)
	}
	if out.Bounds() != image.Rect(0, 0, 600, 600) || !near(out.At(300, 300), magenta, 40) {
		t.Errorf("output %v, centre colour %v", out.Bounds(), out.At(300, 300))
	}
	if res.Hash == "" || res.Width != 600 || res.Height != 600 || res.Format != JPEG || res.Quality != 90 || res.Source.Path != p {
		t.Errorf("result fields: %+v", res)
	}
}

func TestRealDetectorFindsOffCentreFace(t *testing.T) {
	f, err := os.Open("testdata/faces/grace_hopper.jpg")
	if err != nil {
		t.Skip("face photos not present:", err)
	}
	portrait, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Paste the portrait at the left of a wide grey canvas, so a centre
	// crop would miss the face.
	pb := portrait.Bounds()
	canvas := image.NewNRGBA(image.Rect(0, 0, pb.Dx()*3, pb.Dy()))
	for y := 0; y < pb.Dy(); y++ {
		for x := 0; x < canvas.Rect.Dx(); x++ {
			if x < pb.Dx() {
				canvas.Set(x, y, portrait.At(pb.Min.X+x, pb.Min.Y+y))
			} else {
				canvas.SetNRGBA(x, y, color.NRGBA{128, 128, 128, 255})
			}
		}
	}
	p := writeFile(t, t.TempDir(), "hopper-wide.jpg", jpegBytes(t, canvas, 92))
	res, err := NewPreparer().Prepare(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != MethodFace {
		t.Fatalf("method %s (faces %v)", res.Method, res.Faces)
	}
	cx := (res.Crop.Min.X + res.Crop.Max.X) / 2
	if cx > pb.Dx() {
		t.Errorf("crop %v is centred outside the portrait (x < %d)", res.Crop, pb.Dx())
	}
}

func TestSeveralFacesFramesLargest(t *testing.T) {
	det := WithFaceDetector(func(img image.Image) []Face {
		w := img.Bounds().Dx()
		s := float64(w) / 1600
		sc := func(x0, y0, x1, y1 int) image.Rectangle {
			return image.Rect(int(float64(x0)*s), int(float64(y0)*s), int(float64(x1)*s), int(float64(y1)*s))
		}
		return []Face{{Rect: sc(100, 200, 300, 400), Score: 0.8}, {Rect: sc(1000, 200, 1240, 440), Score: 0.8}}
	})
	p := writeFile(t, t.TempDir(), "two.png", pngBytes(t, quadrants(1600, 900)))
	res, err := NewPreparer(det).Prepare(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagManyFaces) || len(res.Faces) != 2 {
		t.Errorf("flags %v faces %v", res.Flags, res.Faces)
	}
	if !image.Rect(1000, 200, 1240, 440).In(res.Crop.Inset(-2)) {
		t.Errorf("crop %v does not frame the larger face", res.Crop)
	}
}

func TestNoFaceFallsBackToSmartThenCentre(t *testing.T) {
	det := WithFaceDetector(func(image.Image) []Face { return nil })
	// A skin-toned, textured subject at the right of a flat background.
	img := image.NewNRGBA(image.Rect(0, 0, 1500, 600))
	rng := rand.New(rand.NewSource(1))
	for y := 0; y < 600; y++ {
		for x := 0; x < 1500; x++ {
			c := color.NRGBA{60, 70, 80, 255}
			if x > 1000 && x < 1400 && y > 100 && y < 500 {
				v := uint8(rng.Intn(30))
				c = color.NRGBA{205 + v/2, 150 + v, 120 + v, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	p := writeFile(t, t.TempDir(), "subject.png", pngBytes(t, img))
	res, err := NewPreparer(det).Prepare(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != MethodSmart || !res.Has(FlagNoFace) {
		t.Fatalf("method %s flags %v", res.Method, res.Flags)
	}
	if res.Crop.Min.X < 800 || res.Confidence <= 0.3 {
		t.Errorf("smart crop %v (confidence %.2f) should sit on the subject at x 1000..1400", res.Crop, res.Confidence)
	}
	// A flat image has nothing to go on: centre.
	flat := image.NewNRGBA(image.Rect(0, 0, 900, 600))
	for i := range flat.Pix {
		flat.Pix[i] = 200
	}
	p = writeFile(t, t.TempDir(), "flat.png", pngBytes(t, flat))
	res, err = NewPreparer(det).Prepare(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != MethodCenter || res.Crop != image.Rect(150, 0, 750, 600) {
		t.Errorf("flat: method %s crop %v", res.Method, res.Crop)
	}
	// Asking for centre gets centre, and the detector still runs for the
	// review: no face is still a reason to hold the photo.
	res, err = NewPreparer(det).Prepare(context.Background(), p, Options{Crop: MethodCenter})
	if err != nil || res.Method != MethodCenter || !res.Has(FlagNoFace) || !res.NeedsReview() {
		t.Errorf("center without a face: method %s flags %v err %v, want a centre crop held as no-face", res.Method, res.Flags, err)
	}
}

// TestCentreAndSmartCropsStillReviewed: a config asking for smart or
// centre crops does not switch the review gate off. The detector runs; a
// photo whose face the square cuts off, or with several people, is held;
// one whose face sits inside the square passes.
func TestCentreAndSmartCropsStillReviewed(t *testing.T) {
	det := WithFaceDetector(fakeDetector)
	for _, c := range []struct {
		name   string
		face   image.Rectangle
		method Method
		want   []Flag // review flags expected (none: passes)
	}{
		// 2400x1200: the centre square is x 600..1800.
		{"centre, face in the middle", image.Rect(1080, 300, 1320, 560), MethodCenter, nil},
		{"centre, face at the edge", image.Rect(1950, 300, 2190, 560), MethodCenter, []Flag{FlagFaceCut}},
		{"centre, face half out", image.Rect(1700, 300, 1940, 560), MethodCenter, []Flag{FlagFaceCut}},
		{"smart, face in the middle", image.Rect(1080, 300, 1320, 560), MethodSmart, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "p.jpg", jpegBytes(t, sceneWithFace(2400, 1200, c.face), 92))
			res, err := NewPreparer(det).Prepare(context.Background(), p, Options{Crop: c.method})
			if err != nil {
				t.Fatal(err)
			}
			if res.Method == MethodFace {
				t.Fatalf("asked for %s, got a face crop", c.method)
			}
			var got []Flag
			for _, f := range res.Flags {
				// The flat synthetic scene reads as blurry; this test is
				// about the face questions.
				if f.IsReview() && f != FlagBlurry && f != FlagDark {
					got = append(got, f)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("%s crop %v of a face at %v: review flags %v, want %v (reasons %q)", res.Method, res.Crop, c.face, got, c.want, res.Review())
			}
			if res.Face.Empty() || res.FaceCount != 1 {
				t.Errorf("the face found is not reported: face %v count %d", res.Face, res.FaceCount)
			}
			if len(c.want) > 0 && !strings.Contains(strings.Join(res.Review(), "; "), "cuts the face off") {
				t.Errorf("reason %q does not say the crop cuts the face off", res.Review())
			}
		})
	}
	// Two people under a centre crop: held as several faces.
	two := WithFaceDetector(func(img image.Image) []Face {
		s := float64(img.Bounds().Dx()) / 2400
		sc := func(r image.Rectangle) image.Rectangle {
			return image.Rect(int(float64(r.Min.X)*s), int(float64(r.Min.Y)*s), int(float64(r.Max.X)*s), int(float64(r.Max.Y)*s))
		}
		return []Face{{Rect: sc(image.Rect(900, 300, 1140, 540)), Score: 0.9}, {Rect: sc(image.Rect(1260, 300, 1500, 540)), Score: 0.8}}
	})
	p := writeFile(t, t.TempDir(), "two.jpg", jpegBytes(t, sceneWithFace(2400, 1200, image.Rectangle{}), 92))
	res, err := NewPreparer(two).Prepare(context.Background(), p, Options{Crop: MethodCenter})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagManyFaces) || res.FaceCount != 2 {
		t.Errorf("centre crop of two people: flags %v count %d, want several-faces and 2", res.Flags, res.FaceCount)
	}
}

func TestEveryOrientationGivesSameResult(t *testing.T) {
	up := quadrants(700, 500)
	var first image.Image
	for o := 1; o <= 8; o++ {
		p := writeFile(t, t.TempDir(), "o.jpg", jpegWithExif(t, storeForOrientation(up, o), o, 95))
		res, err := NewPreparer().Prepare(context.Background(), p, Options{Crop: MethodCenter})
		if err != nil {
			t.Fatal(err)
		}
		if res.Crop != image.Rect(100, 0, 600, 500) {
			t.Errorf("orientation %d: crop %v", o, res.Crop)
		}
		out, err := jpeg.Decode(bytes.NewReader(res.Data))
		if err != nil {
			t.Fatal(err)
		}
		checkQuadrants(t, "prepared", out, 16)
		if first == nil {
			first = out
		} else if d := meanAbsDiff(first, out); d > 3 {
			t.Errorf("orientation %d differs from orientation 1 by %.1f per channel", o, d)
		}
	}
}

func meanAbsDiff(a, b image.Image) float64 {
	var sum float64
	n := 0
	for y := 0; y < a.Bounds().Dy(); y += 3 {
		for x := 0; x < a.Bounds().Dx(); x += 3 {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			for _, d := range []int{int(ar>>8) - int(br>>8), int(ag>>8) - int(bg>>8), int(ab>>8) - int(bb>>8)} {
				if d < 0 {
					d = -d
				}
				sum += float64(d)
				n++
			}
		}
	}
	return sum / float64(n)
}

func TestSmallImageIsUpscaledAndFlagged(t *testing.T) {
	p := writeFile(t, t.TempDir(), "small.png", pngBytes(t, quadrants(200, 150)))
	res, err := NewPreparer().Prepare(context.Background(), p, Options{Crop: MethodCenter})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagUpscaled) || !res.Has(FlagSmallCrop) || !res.NeedsReview() || res.Width != 600 || res.Crop.Dx() != 150 {
		t.Errorf("flags %v size %d crop %v", res.Flags, res.Width, res.Crop)
	}
	out, _ := jpeg.Decode(bytes.NewReader(res.Data))
	if out.Bounds().Dx() != 600 || out.Bounds().Dy() != 600 {
		t.Errorf("output %v", out.Bounds())
	}
}

func TestPrepareRefusals(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "notes.jpg", []byte("Staff photo notes\nbring a comb\n"))
	if _, err := NewPreparer().Prepare(context.Background(), p, Options{}); KindOf(err) != KindNotImage {
		t.Errorf("text named .jpg: %v", err)
	}
	good := jpegBytes(t, quadrants(300, 200), 90)
	p = writeFile(t, dir, "cut.jpg", good[:len(good)/2])
	if _, err := NewPreparer().Prepare(context.Background(), p, Options{}); KindOf(err) != KindTruncated {
		t.Errorf("truncated: %v", err)
	}
	p = writeFile(t, dir, "fine.png", pngBytes(t, quadrants(100, 100)))
	for _, o := range []Options{{Crop: "sideways"}, {Crop: MethodManual}, {Profile: Profile{Format: GIF}}} {
		if _, err := NewPreparer().Prepare(context.Background(), p, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p = writeFile(t, dir, "ok.jpg", good)
	if _, err := NewPreparer().Prepare(ctx, p, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// noisy is a photo-like image whose JPEG is large.
func noisy(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i] = uint8(100 + rng.Intn(64))
		img.Pix[i+1] = uint8(90 + rng.Intn(64))
		img.Pix[i+2] = uint8(80 + rng.Intn(64))
		img.Pix[i+3] = 255
	}
	return img
}

func TestByteBudget(t *testing.T) {
	p := writeFile(t, t.TempDir(), "noise.png", pngBytes(t, noisy(700, 700)))
	pr := NewPreparer()
	free, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter})
	if err != nil {
		t.Fatal(err)
	}
	if free.Quality != 90 || len(free.Data) <= 60_000 {
		t.Fatalf("unbounded: quality %d, %d bytes (want > 60 KB for the test to mean anything)", free.Quality, len(free.Data))
	}
	res, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{MaxBytes: 60_000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data) > 60_000 || res.Quality >= 90 || res.Quality < MinQuality {
		t.Errorf("budget 60 KB: %d bytes at quality %d", len(res.Data), res.Quality)
	}
	// The search keeps the highest quality that fits.
	if d, q, err := encode("x", mustDecode(t, free.Data), Profile{Format: JPEG, Quality: 90, MaxBytes: 60_000}); err != nil || len(d) > 60_000 {
		t.Errorf("encode: %d bytes q %d %v", len(d), q, err)
	} else if d2, _, _ := encode("x", mustDecode(t, free.Data), Profile{Format: JPEG, Quality: q + 1}); q < 90 && len(d2) <= 60_000 {
		t.Errorf("quality %d was chosen but %d also fits", q, q+1)
	}
	// Impossible budgets are refusals (even at MinOutputSide: a 2 KB
	// JPEG or 100 KB PNG now fits by stepping the size down, see
	// TestByteBudgetStepsDownSize).
	if _, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{MaxBytes: 500}}); KindOf(err) != KindTooBig {
		t.Errorf("500-byte JPEG: %v", err)
	}
	if _, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{Format: PNG, MaxBytes: 2_000}}); KindOf(err) != KindTooBig {
		t.Errorf("2 KB PNG of noise: %v", err)
	}
	png, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{Format: PNG}})
	if err != nil || png.Format != PNG || png.Quality != 0 || !bytes.HasPrefix(png.Data, []byte("\x89PNG")) {
		t.Errorf("PNG output: %v", err)
	}
}

func mustDecode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestMetadataIsStripped(t *testing.T) {
	src := jpegWithExif(t, quadrants(800, 800), 1, 90)
	if !bytes.Contains(src, []byte("PhoneCo")) || !bytes.Contains(src, []byte("Exif\x00\x00")) {
		t.Fatal("test setup: the source should carry EXIF with GPS")
	}
	p := writeFile(t, t.TempDir(), "gps.jpg", src)
	for _, f := range []Format{JPEG, PNG} {
		res, err := NewPreparer().Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{Format: f}})
		if err != nil {
			t.Fatal(err)
		}
		for _, marker := range [][]byte{[]byte("Exif"), []byte("PhoneCo"), {0xFF, 0xE1}, []byte("eXIf"), []byte("tEXt")} {
			if bytes.Contains(res.Data, marker) {
				t.Errorf("%s output still contains %q", f, marker)
			}
		}
	}
}

func TestLookFlags(t *testing.T) {
	dark := image.NewNRGBA(image.Rect(0, 0, 600, 600))
	for i := 0; i < len(dark.Pix); i += 4 {
		dark.Pix[i], dark.Pix[i+1], dark.Pix[i+2], dark.Pix[i+3] = 15, 12, 10, 255
	}
	if f := lookFlags(dark); !containsFlag(f, FlagDark) {
		t.Errorf("dark image: %v", f)
	}
	if f := lookFlags(noisy(600, 600)); containsFlag(f, FlagDark) || containsFlag(f, FlagBlurry) {
		t.Errorf("sharp bright noise: %v", f)
	}
	// A smooth gradient has no detail.
	grad := image.NewNRGBA(image.Rect(0, 0, 600, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 600; x++ {
			grad.SetNRGBA(x, y, color.NRGBA{uint8(60 + x/4), uint8(80 + y/5), 120, 255})
		}
	}
	if f := lookFlags(grad); !containsFlag(f, FlagBlurry) {
		t.Errorf("smooth gradient: %v", f)
	}
}

func containsFlag(fs []Flag, f Flag) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func TestManualCropIsHonoured(t *testing.T) {
	p := writeFile(t, t.TempDir(), "m.png", pngBytes(t, quadrants(1000, 800)))
	m := image.Rect(500, 400, 900, 800) // bottom-right quadrant
	res, err := NewPreparer().Prepare(context.Background(), p, Options{Manual: &m})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != MethodManual || res.Crop != m || res.Confidence != 1 {
		t.Errorf("method %s crop %v conf %v", res.Method, res.Crop, res.Confidence)
	}
	out := mustDecode(t, res.Data)
	if !near(out.At(300, 300), qBR, 16) {
		t.Errorf("manual crop shows %v, want the yellow quadrant", out.At(300, 300))
	}
	// Out-of-range manual crops are clamped, not refused.
	bad := image.Rect(900, 700, 1400, 1200)
	res, err = NewPreparer().Prepare(context.Background(), p, Options{Manual: &bad})
	if err != nil || res.Crop != image.Rect(500, 300, 1000, 800) {
		t.Errorf("clamped manual: %v %v", res.Crop, err)
	}
}

func TestCacheDecodesOnce(t *testing.T) {
	det := WithFaceDetector(fakeDetector)
	dir := t.TempDir()
	data := jpegBytes(t, sceneWithFace(1000, 800, image.Rect(450, 200, 600, 380)), 90)
	p := writeFile(t, dir, "a.jpg", data)
	pr := NewPreparer(det)
	ctx := context.Background()
	before := decodeCount.Load()
	r1, err := pr.Prepare(ctx, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeCount.Load() - before; got != 1 {
		t.Fatalf("first prepare decoded %d times", got)
	}
	r2, err := pr.Prepare(ctx, p, Options{})
	if err != nil || !bytes.Equal(r1.Data, r2.Data) {
		t.Fatal("second prepare differs", err)
	}
	// A smaller budget (a 413 retry) and PNG re-encode without decoding.
	if _, err := pr.Prepare(ctx, p, Options{Profile: Profile{MaxBytes: 30_000}}); err != nil {
		t.Fatal(err)
	}
	if _, err := pr.Prepare(ctx, p, Options{Profile: Profile{Format: PNG}}); err != nil {
		t.Fatal(err)
	}
	// Same content under another name: same hash, no decode.
	q := writeFile(t, dir, "copy.jpg", data)
	r3, err := pr.Prepare(ctx, q, Options{})
	if err != nil || r3.Hash != r1.Hash || r3.Source.Path != q {
		t.Fatalf("copy: %v %+v", err, r3)
	}
	if got := decodeCount.Load() - before; got != 1 {
		t.Errorf("decoded %d times for one photo", got)
	}
	// Five concurrent identical requests on a fresh Preparer share one decode.
	pr2 := NewPreparer(det)
	before = decodeCount.Load()
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := pr2.Prepare(ctx, p, Options{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := decodeCount.Load() - before; got != 1 {
		t.Errorf("concurrent requests decoded %d times", got)
	}
}

func TestCacheIsBounded(t *testing.T) {
	c := newLRU[int](3, 100)
	for i, k := range []string{"a", "b", "c", "d"} {
		c.add(k, i, 10)
	}
	if n, _ := c.len(); n != 3 {
		t.Errorf("count bound: %d entries", n)
	}
	if _, ok := c.get("a"); ok {
		t.Error("oldest entry survived")
	}
	c.get("b")
	c.add("e", 5, 85) // over 100 bytes: evicts least recent (c, d) first
	if _, ok := c.get("b"); !ok {
		t.Error("recently used entry evicted")
	}
	if n, bytes := c.len(); bytes > 100 || n != 2 {
		t.Errorf("byte bound: %d entries, %d bytes", n, bytes)
	}
	c.add("huge", 6, 1000)
	if _, ok := c.get("huge"); ok {
		t.Error("entry over the whole budget was kept")
	}
}

func TestPreview(t *testing.T) {
	det := WithFaceDetector(fakeDetector)
	p := writeFile(t, t.TempDir(), "pv.jpg", jpegBytes(t, sceneWithFace(2000, 1500, image.Rect(1200, 400, 1400, 640)), 90))
	pr := NewPreparer(det)
	before := decodeCount.Load()
	pv, err := pr.Preview(context.Background(), p, 400, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := pv.Image.Bounds()
	if max(b.Dx(), b.Dy()) != 400 || b.Dx() != 400 || b.Dy() != 300 {
		t.Errorf("preview size %v", b)
	}
	if pv.Scale < 4.9 || pv.Scale > 5.1 {
		t.Errorf("scale %v, want 5", pv.Scale)
	}
	// The crop drawn on the preview surrounds the face there.
	c := pv.Result.Crop
	faceInPreview := image.Rect(240, 80, 280, 128)
	pc := image.Rect(int(float64(c.Min.X)/pv.Scale), int(float64(c.Min.Y)/pv.Scale), int(float64(c.Max.X)/pv.Scale), int(float64(c.Max.Y)/pv.Scale))
	if !faceInPreview.In(pc.Inset(-2)) {
		t.Errorf("preview crop %v misses the face %v", pc, faceInPreview)
	}
	// The preview decoded the photo once, and the crop (a 200 px face: a
	// 600 px square, finer than the shared decode) once more, finer, for
	// the result; preparing it afterwards decodes nothing.
	afterPreview := decodeCount.Load()
	if got := afterPreview - before; got > 2 {
		t.Errorf("preview decoded %d times, want the photo and its crop", got)
	}
	if _, err := pr.Prepare(context.Background(), p, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := decodeCount.Load() - afterPreview; got != 0 {
		t.Errorf("prepare after preview decoded %d more times", got)
	}
}

func TestSmallFaceInBigPhotoDecodesFiner(t *testing.T) {
	det := WithFaceDetector(fakeDetector)
	faceR := image.Rect(1700, 1000, 1850, 1180)
	p := writeFile(t, t.TempDir(), "group.jpg", jpegBytes(t, sceneWithFace(2600, 2600, faceR), 85))
	before := decodeCount.Load()
	res, err := NewPreparer(det).Prepare(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The analysis decode is at 1/4 (650 px >= 600); the face crop is
	// ~450 source px, 113 decoded px: a second, full-size decode of the
	// crop's region serves it.
	if got := decodeCount.Load() - before; got != 2 {
		t.Errorf("decodes: %d, want 2 (coarse for analysis, fine for the small crop)", got)
	}
	if res.Method != MethodFace || !faceR.In(res.Crop) || res.Has(FlagUpscaled) != (res.Crop.Dx() < UpscaledBelow) {
		t.Errorf("method %s crop %v flags %v", res.Method, res.Crop, res.Flags)
	}
	if out := mustDecode(t, res.Data); !near(out.At(300, 300), magenta, 40) {
		t.Errorf("face not in the middle of the output: %v", out.At(300, 300))
	}
}

// After a 413 the budget can be far under what 600x600 needs at
// MinQuality: the output steps down in size until it fits, and says so.
func TestByteBudgetStepsDownSize(t *testing.T) {
	p := writeFile(t, t.TempDir(), "noise.png", pngBytes(t, noisy(700, 700)))
	pr := NewPreparer()
	free, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter})
	if err != nil {
		t.Fatal(err)
	}
	floor, _, err := encode("x", mustDecode(t, free.Data), Profile{Format: JPEG, Quality: MinQuality})
	if err != nil {
		t.Fatal(err)
	}
	budget := int64(len(floor) / 2) // 600x600 cannot fit at any quality
	res, err := pr.Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{MaxBytes: budget}})
	if err != nil {
		t.Fatalf("budget %d (600px at q%d is %d bytes): %v", budget, MinQuality, len(floor), err)
	}
	if int64(len(res.Data)) > budget || res.Width >= DefaultSize || res.Width < MinOutputSide || res.Height != res.Width {
		t.Fatalf("budget %d: %d bytes, %dx%d q%d", budget, len(res.Data), res.Width, res.Height, res.Quality)
	}
	if b := mustDecode(t, res.Data).Bounds(); b.Dx() != res.Width || b.Dy() != res.Height {
		t.Errorf("result says %dx%d, data is %v", res.Width, res.Height, b)
	}
	t.Logf("budget %d: 600px q%d was %d bytes; got %dx%d q%d, %d bytes", budget, MinQuality, len(floor), res.Width, res.Height, res.Quality, len(res.Data))
	// Without a budget problem the size is untouched.
	if free.Width != DefaultSize {
		t.Errorf("unbounded output %dx%d", free.Width, free.Height)
	}
	// Even MinOutputSide at MinQuality over the budget: a clear refusal.
	_, err = pr.Prepare(context.Background(), p, Options{Crop: MethodCenter, Profile: Profile{MaxBytes: 500}})
	if KindOf(err) != KindTooBig || !strings.Contains(err.Error(), fmt.Sprintf("%dx%d", MinOutputSide, MinOutputSide)) {
		t.Errorf("500-byte budget: %v", err)
	}
}

// TestRealDetectorFindsSmallFacesInLargePhoto: in a 3200 x 2400 JPEG whose
// faces are 1/17 of the long side (the detector's first pass sees them at
// 24 px, under what it finds), a lone person is framed and two people are
// flagged as several faces, through the preparer's own decode: the
// detector's closer looks use the stage's decode.
func TestRealDetectorFindsSmallFacesInLargePhoto(t *testing.T) {
	type person struct {
		file string
		box  image.Rectangle // hand-measured face box (testdata/faces/README.md)
	}
	grace := person{"grace_hopper.jpg", image.Rect(168, 150, 362, 322)}
	astronaut := person{"astronaut.jpg", image.Rect(183, 90, 266, 180)}
	for _, c := range []struct {
		name   string
		people []person
	}{{"one", []person{grace}}, {"two", []person{grace, astronaut}}} {
		t.Run(c.name, func(t *testing.T) {
			const w, h = 3200, 2400
			canvas := image.NewNRGBA(image.Rect(0, 0, w, h))
			draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.NRGBA{110, 120, 105, 255}), image.Point{}, draw.Src)
			var boxes []image.Rectangle
			for i, ps := range c.people {
				f, err := os.Open(filepath.Join("testdata", "faces", ps.file))
				if err != nil {
					t.Skip("face photos not present:", err)
				}
				src, err := jpeg.Decode(f)
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
				fw, fh := ps.box.Dx(), ps.box.Dy()
				cut := image.Rect(ps.box.Min.X-fw/2, ps.box.Min.Y-fh/2, ps.box.Max.X+fw/2, ps.box.Max.Y+fh).Intersect(src.Bounds())
				k := float64(w) / 17 / float64(fw)
				dst := image.Rect(0, 0, int(float64(cut.Dx())*k), int(float64(cut.Dy())*k)).Add(image.Pt(w*2/5+i*w/8, h*2/5))
				xdraw.CatmullRom.Scale(canvas, dst, src, cut, xdraw.Src, nil)
				fb := ps.box.Sub(cut.Min)
				boxes = append(boxes, image.Rect(int(float64(fb.Min.X)*k), int(float64(fb.Min.Y)*k), int(float64(fb.Max.X)*k), int(float64(fb.Max.Y)*k)).Add(dst.Min))
			}
			p := writeFile(t, t.TempDir(), c.name+".jpg", jpegBytes(t, canvas, 90))
			res, err := NewPreparer().Prepare(context.Background(), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Method != MethodFace || res.Has(FlagNoFace) {
				t.Fatalf("method %s flags %v faces %v, want a face crop", res.Method, res.Flags, res.Faces)
			}
			if res.FaceCount != len(boxes) || res.Has(FlagManyFaces) != (len(boxes) > 1) {
				t.Errorf("%d faces counted, flags %v (faces %v), want %d", res.FaceCount, res.Flags, res.Faces, len(boxes))
			}
			for _, b := range boxes {
				found := false
				for _, f := range res.Faces {
					c := f.Min.Add(f.Max).Div(2)
					found = found || c.In(b)
				}
				if !found {
					t.Errorf("face %v not boxed: %v", b, res.Faces)
				}
			}
			if len(boxes) == 1 && !boxes[0].In(res.Crop) {
				t.Errorf("crop %v does not hold the face %v", res.Crop, boxes[0])
			}
		})
	}
}
