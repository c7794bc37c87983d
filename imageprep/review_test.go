package imageprep

import (
	"context"
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"
)

// fixedFaces is a detector that finds faces at fixed fractions (per mille)
// of whatever copy it is given, with the given scores.
func fixedFaces(score float64, boxes ...image.Rectangle) FaceDetector {
	return func(img image.Image) []Face {
		b := img.Bounds()
		var out []Face
		for _, r := range boxes {
			out = append(out, Face{Score: score, Rect: image.Rect(
				b.Min.X+r.Min.X*b.Dx()/1000, b.Min.Y+r.Min.Y*b.Dy()/1000,
				b.Min.X+r.Max.X*b.Dx()/1000, b.Min.Y+r.Max.Y*b.Dy()/1000)})
		}
		return out
	}
}

// faceBox is a square face of side px centred in a w x w source, as a
// per-mille box for fixedFaces.
func faceBox(side, w int) image.Rectangle {
	half := side * 1000 / w / 2
	return image.Rect(500-half, 450-half, 500+half, 450+half)
}

// prepareScene prepares a w x h photo-like (textured, neither dark nor
// blurry) source with the detector d.
func prepareScene(t *testing.T, w, h int, d FaceDetector, o Options) (*Result, error) {
	t.Helper()
	p := writeFile(t, t.TempDir(), "scene.jpg", jpegBytes(t, noisy(w, h), 92))
	return NewPreparer(WithFaceDetector(d)).Prepare(context.Background(), p, o)
}

func TestOrdinaryPortraitHasNoFlag(t *testing.T) {
	// One face, >= 800 px: no flag at all, nothing to review.
	res, err := prepareScene(t, 800, 1000, fixedFaces(0.9, faceBox(210, 800)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != MethodFace || len(res.Flags) != 0 || res.NeedsReview() || len(res.Review()) != 0 {
		t.Errorf("ordinary portrait: method %s crop %v flags %v review %q", res.Method, res.Crop, res.Flags, res.Review())
	}
}

func TestMinSourceSideIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		w, h int
		ok   bool
	}{{1, 1, false}, {MinSourceSide - 1, 400, false}, {400, MinSourceSide - 1, false}} {
		p := writeFile(t, dir, "jane.doe@example.com.png", pngBytes(t, quadrants(c.w, c.h)))
		_, err := NewPreparer().Prepare(context.Background(), p, Options{})
		if KindOf(err) != KindTooSmall || !strings.Contains(err.Error(), "not a photo") {
			t.Errorf("%dx%d: err %v, want a too-small refusal saying it is not a photo", c.w, c.h, err)
		}
	}
}

func TestMinCropSideIsRefused(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.png", pngBytes(t, quadrants(MinCropSide-1, 400)))
	if _, err := NewPreparer().Prepare(context.Background(), p, Options{}); KindOf(err) != KindTooSmall || !strings.Contains(err.Error(), "largest square") {
		t.Errorf("%d px short side: %v, want a too-small refusal", MinCropSide-1, err)
	}
	p = writeFile(t, dir, "b.png", pngBytes(t, quadrants(MinCropSide, 400)))
	res, err := NewPreparer().Prepare(context.Background(), p, Options{Crop: MethodCenter})
	if err != nil {
		t.Fatalf("%d px short side: %v", MinCropSide, err)
	}
	if res.Crop.Dx() != MinCropSide {
		t.Errorf("crop %v", res.Crop)
	}
	// A manual crop under the minimum is widened to it, never sent as a
	// 5x-enlarged blur.
	big := writeFile(t, dir, "c.png", pngBytes(t, quadrants(600, 600)))
	small := image.Rect(100, 100, 140, 140)
	res, err = NewPreparer().Prepare(context.Background(), big, Options{Crop: MethodManual, Manual: &small})
	if err != nil {
		t.Fatal(err)
	}
	if res.Crop.Dx() != MinCropSide || !res.Crop.Overlaps(small) {
		t.Errorf("manual 40 px crop became %v, want %d px around it", res.Crop, MinCropSide)
	}
}

func TestMinFaceConfidence(t *testing.T) {
	crop, face := image.Rect(0, 0, 700, 700), image.Rect(230, 230, 470, 470)
	for _, c := range []struct {
		score  float64
		review bool
	}{{0.30, true}, {MinFaceConfidence - 0.01, true}, {MinFaceConfidence, false}, {0.9, false}} {
		flags := sizeFlags(crop, face, c.score)
		if slices.Contains(flags, FlagLowConfidence) != c.review {
			t.Errorf("score %.2f: flags %v, want low-confidence %v", c.score, flags, c.review)
		}
	}
	// Through Prepare: a doubtful face (0.40: a person, but as likely
	// wrong as right) is held, with the figure; a dress pattern at 0.30
	// is no face at all (under face.WeakFace), and held for that.
	res, err := prepareScene(t, 700, 700, fixedFaces(0.40, faceBox(240, 700)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NeedsReview() || !slices.Contains(res.Review(), "face confidence 40% (under 50%)") {
		t.Errorf("face at 0.40: flags %v reasons %q", res.Flags, res.Review())
	}
	res, err = prepareScene(t, 700, 700, fixedFaces(0.30, faceBox(240, 700)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Review(), "no face found") {
		t.Errorf("face at 0.30 went out unflagged: flags %v", res.Flags)
	}
}

func TestReviewFaceSide(t *testing.T) {
	crop := image.Rect(0, 0, 600, 600)
	for _, c := range []struct {
		side  int
		small bool
	}{{40, true}, {ReviewFaceSide - 1, true}, {ReviewFaceSide, false}, {200, false}} {
		flags := sizeFlags(crop, image.Rect(100, 100, 100+c.side, 100+c.side), 0.9)
		if slices.Contains(flags, FlagSmallFace) != c.small {
			t.Errorf("face %d px: flags %v, want small-face %v", c.side, flags, c.small)
		}
	}
	// Through Prepare: a 40 px face in an 800 px photo is held.
	res, err := prepareScene(t, 800, 800, fixedFaces(0.9, faceBox(40, 800)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagSmallFace) || !res.NeedsReview() || !slices.ContainsFunc(res.Review(), func(s string) bool { return strings.HasPrefix(s, "face only") }) {
		t.Errorf("40 px face: face %v flags %v reasons %q", res.Face, res.Flags, res.Review())
	}
}

func TestReviewCropSide(t *testing.T) {
	for _, c := range []struct {
		side  int
		small bool
	}{{ReviewCropSide - 1, true}, {ReviewCropSide, false}} {
		// One face inside the centre square (the detector runs for centre
		// crops too: without a face the photo would be held as no-face).
		res, err := prepareScene(t, c.side, c.side+100, fixedFaces(0.9, image.Rect(300, 300, 700, 600)), Options{Crop: MethodCenter})
		if err != nil {
			t.Fatal(err)
		}
		if res.Crop.Dx() != c.side || res.Has(FlagSmallCrop) != c.small || res.NeedsReview() != c.small {
			t.Errorf("crop %v: flags %v, want small-crop %v", res.Crop, res.Flags, c.small)
		}
	}
}

func TestUpscaledOnlyWellUnderOutput(t *testing.T) {
	for _, c := range []struct {
		side     int
		upscaled bool
	}{{UpscaledBelow - 1, true}, {UpscaledBelow, false}, {550, false}} {
		flags := sizeFlags(image.Rect(0, 0, c.side, c.side), image.Rectangle{}, 0)
		if slices.Contains(flags, FlagUpscaled) != c.upscaled {
			t.Errorf("crop %d px: flags %v, want upscaled %v", c.side, flags, c.upscaled)
		}
	}
	// Through Prepare: upscaling alone never holds a photo.
	res, err := prepareScene(t, UpscaledBelow-1, UpscaledBelow-1, fixedFaces(0.9, image.Rect(300, 300, 700, 700)), Options{Crop: MethodCenter})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagUpscaled) || res.NeedsReview() {
		t.Errorf("crop %d px: flags %v reasons %q, want upscaled and nothing to review", res.Crop.Dx(), res.Flags, res.Review())
	}
}

func TestNoFaceAndSeveralFacesNeedReview(t *testing.T) {
	res, err := prepareScene(t, 600, 600, fixedFaces(0.9), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagNoFace) || !slices.Contains(res.Review(), "no face found") {
		t.Errorf("no face: flags %v reasons %q", res.Flags, res.Review())
	}
	res, err = prepareScene(t, 960, 600, fixedFaces(0.9, image.Rect(150, 300, 350, 620), image.Rect(600, 300, 800, 620)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Has(FlagManyFaces) || res.FaceCount != 2 || !slices.Contains(res.Review(), "2 faces") {
		t.Errorf("two faces: flags %v count %d reasons %q", res.Flags, res.FaceCount, res.Review())
	}
}

func TestDarkMeanLuma(t *testing.T) {
	flat := func(luma uint8) *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, 600, 600))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = luma, luma, luma, 255
		}
		return img
	}
	if f := lookFlags(flat(DarkMeanLuma - 1)); !containsFlag(f, FlagDark) {
		t.Errorf("luma %d: %v, want dark", DarkMeanLuma-1, f)
	}
	if f := lookFlags(flat(DarkMeanLuma + 1)); containsFlag(f, FlagDark) {
		t.Errorf("luma %d: %v, want not dark", DarkMeanLuma+1, f)
	}
	if !FlagDark.IsReview() || !FlagBlurry.IsReview() || FlagUpscaled.IsReview() {
		t.Error("dark and blurry hold a photo for review; upscaled does not")
	}
}

func TestBlurryLaplaceVariance(t *testing.T) {
	// Stripes one pixel wide of contrast a: the Laplacian variance on the
	// 256 px copy grows with a squared; find both sides of the threshold.
	stripes := func(a int) *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, 256, 256))
		for y := 0; y < 256; y++ {
			for x := 0; x < 256; x++ {
				v := uint8(128)
				if (x+y)%2 == 0 {
					v = uint8(128 + a)
				}
				img.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
			}
		}
		return img
	}
	var sharpAt, blurryAt int
	for a := 0; a <= 40; a++ {
		if containsFlag(lookFlags(stripes(a)), FlagBlurry) {
			blurryAt = a
		} else if sharpAt == 0 {
			sharpAt = a
		}
	}
	if sharpAt == 0 || blurryAt >= sharpAt || blurryAt == 0 {
		t.Fatalf("blurry up to contrast %d, sharp from %d: the threshold does not split them", blurryAt, sharpAt)
	}
	// This pattern's Laplacian is +-4a everywhere: variance 16a^2. The
	// flag flips where that crosses BlurryLaplaceVariance.
	if v := 16 * float64(sharpAt*sharpAt); v < BlurryLaplaceVariance {
		t.Errorf("sharp at contrast %d (variance %.0f) under the threshold %.0f", sharpAt, v, BlurryLaplaceVariance)
	}
	if v := 16 * float64(blurryAt*blurryAt); v >= BlurryLaplaceVariance {
		t.Errorf("blurry at contrast %d (variance %.0f) over the threshold %.0f", blurryAt, v, BlurryLaplaceVariance)
	}
}
