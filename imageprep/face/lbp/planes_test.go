package lbp

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"sync"
	"testing"
)

// opaque hides an image's concrete type so toPlanes takes the generic At
// path.
type opaque struct{ image.Image }

func TestPlanesFastPathsMatchGenericPath(t *testing.T) {
	t.Parallel()
	src := loadPhoto(t, "astronaut.jpg").(*image.YCbCr)
	b := image.Rect(-7, 13, 500, 400) // odd origin and size
	sub := src.SubImage(image.Rect(5, 9, 512, 396)).(*image.YCbCr)
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, sub, sub.Bounds().Min, draw.Src)
	nrgba := image.NewNRGBA(b)
	draw.Draw(nrgba, b, sub, sub.Bounds().Min, draw.Src)
	// Half-transparent pixels exercise the two alpha conventions.
	for y := b.Min.Y; y < b.Min.Y+40; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := nrgba.NRGBAAt(x, y)
			c.A = uint8(x * 3)
			nrgba.SetNRGBA(x, y, c)
			rgba.Set(x, y, c)
		}
	}
	gray := image.NewGray(b)
	draw.Draw(gray, b, sub, sub.Bounds().Min, draw.Src)
	yc420 := toYCbCr(rgba)
	yc444 := image.NewYCbCr(b, image.YCbCrSubsampleRatio444)
	yc422 := image.NewYCbCr(b, image.YCbCrSubsampleRatio422)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgba.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			for _, m := range []*image.YCbCr{yc444, yc422} {
				m.Y[m.YOffset(x, y)], m.Cb[m.COffset(x, y)], m.Cr[m.COffset(x, y)] = yy, cb, cr
			}
		}
	}
	imgs := map[string]image.Image{
		"RGBA": rgba, "NRGBA": nrgba, "Gray": gray, "YCbCr420": yc420,
		"YCbCr444": yc444, "YCbCr422": yc422, "YCbCr sub-image": sub,
	}
	// YCbCr fast paths copy the stored samples exactly (the generic path
	// would round-trip dark pixels through clipped RGB).
	for name, img := range imgs {
		m, ok := img.(*image.YCbCr)
		if !ok {
			continue
		}
		p := toPlanes(m, 1000)
		mb := m.Bounds()
		for y := mb.Min.Y; y < mb.Max.Y; y++ {
			for x := mb.Min.X; x < mb.Max.X; x++ {
				i := (y-mb.Min.Y)*p.w + x - mb.Min.X
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				if p.y[i] != m.Y[yi] || p.cb[i] != m.Cb[ci] || p.cr[i] != m.Cr[ci] {
					t.Fatalf("%s (%v): (%d,%d) is %d,%d,%d, stored %d,%d,%d", name, m.SubsampleRatio, x, y,
						p.y[i], p.cb[i], p.cr[i], m.Y[yi], m.Cb[ci], m.Cr[ci])
				}
			}
		}
	}
	for name, img := range imgs {
		if _, ok := img.(*image.YCbCr); ok {
			continue
		}
		for _, maxSide := range []int{1000, 200} {
			fast, slow := toPlanes(img, maxSide), toPlanes(opaque{img}, maxSide)
			if fast.w != slow.w || fast.h != slow.h || fast.scale != slow.scale || fast.bounds != slow.bounds {
				t.Fatalf("%s: geometry %dx%d %v differs from the generic path's %dx%d %v", name, fast.w, fast.h, fast.bounds, slow.w, slow.h, slow.bounds)
			}
			for i := range fast.y {
				// The generic path rounds through 16-bit colour: allow 1.
				if absDiff(fast.y[i], slow.y[i]) > 1 || absDiff(fast.cb[i], slow.cb[i]) > 1 || absDiff(fast.cr[i], slow.cr[i]) > 1 {
					t.Fatalf("%s at max side %d: pixel %d is %d,%d,%d fast, %d,%d,%d generic", name, maxSide, i,
						fast.y[i], fast.cb[i], fast.cr[i], slow.y[i], slow.cb[i], slow.cr[i])
				}
			}
		}
	}
}

func TestPlanesDownscaleAverages(t *testing.T) {
	t.Parallel()
	// 1200x400: left half black, right half white, a red square.
	img := image.NewRGBA(image.Rect(0, 0, 1200, 400))
	draw.Draw(img, img.Bounds(), image.Black, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(600, 0, 1200, 400), image.White, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 100, 100), image.NewUniform(color.RGBA{255, 0, 0, 255}), image.Point{}, draw.Src)
	// Fine stripes average to mid-grey rather than aliasing.
	for y := 200; y < 400; y++ {
		for x := 0; x < 300; x++ {
			if x%2 == 0 {
				img.Set(x, y, color.White)
			}
		}
	}
	p := toPlanes(img, 600)
	if p.w != 600 || p.h != 200 || p.scale != 2 {
		t.Fatalf("working size %dx%d scale %v, want 600x200 scale 2", p.w, p.h, p.scale)
	}
	at := func(x, y int) (uint8, uint8, uint8) { i := y*p.w + x; return p.y[i], p.cb[i], p.cr[i] }
	if y, _, _ := at(200, 50); y != 0 {
		t.Errorf("black half Y = %d", y)
	}
	if y, cb, cr := at(400, 50); y != 255 || cb != 128 || cr != 128 {
		t.Errorf("white half = %d,%d,%d", y, cb, cr)
	}
	if y, _, cr := at(20, 20); y != 76 || cr < 250 {
		t.Errorf("red square = Y %d Cr %d, want Y 76 Cr ~255", y, cr)
	}
	if y, _, _ := at(50, 150); y < 126 || y > 129 {
		t.Errorf("1 px stripes = %d, want their average 127/128", y)
	}
	if p.grey {
		t.Error("a picture with a red square reported as greyscale")
	}
	// Transparent NRGBA flattens onto white.
	if q := toPlanes(image.NewNRGBA(image.Rect(0, 0, 10, 10)), 600); q.y[0] != 255 || !q.grey {
		t.Errorf("transparent pixel Y = %d (grey %v), want white", q.y[0], q.grey)
	}
	// A 12 MP frame still averages every pixel (1 px stripes do not alias).
	big := image.NewGray(image.Rect(0, 0, 4000, 3000))
	for i := range big.Pix {
		if i%2 == 0 {
			big.Pix[i] = 255
		}
	}
	q := toPlanes(big, 600)
	if q.w != 600 || q.h != 450 {
		t.Fatalf("12 MP working size %dx%d", q.w, q.h)
	}
	for i, v := range q.y {
		if v < 100 || v > 155 {
			t.Fatalf("12 MP stripes pixel %d = %d, want about 128", i, v)
		}
	}
}

func TestSkinCheckDemotesNonSkinFace(t *testing.T) {
	t.Parallel()
	// Swapping red and blue keeps the astronaut's face shape (the cascade
	// still fires) but turns it blue: no skin, so not confident.
	src := loadPhoto(t, "astronaut.jpg")
	b := src.Bounds()
	blue := image.NewRGBA(b)
	draw.Draw(blue, b, src, b.Min, draw.Src)
	for i := 0; i < len(blue.Pix); i += 4 {
		blue.Pix[i], blue.Pix[i+2] = blue.Pix[i+2], blue.Pix[i]
	}
	ds := Detect(blue)
	var onFace *Detection
	for i, d := range ds {
		if iou(d.Rect, facePhotos[0].Box) >= 0.5 {
			onFace = &ds[i]
		}
		if d.Score >= Confident {
			t.Errorf("confident detection %v (%.2f) in a blue-skinned photo", d.Rect, d.Score)
		}
	}
	if onFace == nil {
		t.Fatalf("the cascade no longer fires on the swapped face (%v): the test proves nothing", ds)
	}
	orig := Detect(src)
	if len(orig) == 0 || orig[0].Score <= onFace.Score {
		t.Errorf("natural colours scored %v, blue %.2f: want natural higher", orig, onFace.Score)
	}
}

func TestSkinRatio(t *testing.T) {
	t.Parallel()
	// Skin tones from pale to dark, and non-skin colours.
	skin := []color.RGBA{{233, 196, 170, 255}, {198, 134, 103, 255}, {141, 85, 54, 255}, {92, 58, 40, 255}}
	other := []color.RGBA{{40, 90, 200, 255}, {60, 160, 60, 255}, {128, 128, 128, 255}, {250, 250, 250, 255}, {5, 5, 5, 255}}
	check := func(c color.RGBA, want float64) {
		img := image.NewRGBA(image.Rect(0, 0, 50, 50))
		draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		p := toPlanes(img, 600)
		if got := p.skinRatio(image.Rect(0, 0, 50, 50)); got != want {
			t.Errorf("%v: skin ratio %.2f, want %.0f", c, got, want)
		}
	}
	for _, c := range skin {
		check(c, 1)
	}
	for _, c := range other {
		check(c, 0)
	}
}

func TestDetectIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	img := loadPhoto(t, "astronaut.jpg")
	want := Detect(img)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Go(func() {
			got := Detect(img)
			if len(got) != len(want) || len(got) > 0 && got[0] != want[0] {
				errs <- "concurrent Detect disagrees"
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestDetectNoiseHasNoConfidentFace(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	for _, d := range Detect(img) {
		if d.Score >= Confident {
			t.Errorf("confident face %v (%.2f) in noise", d.Rect, d.Score)
		}
	}
}

func TestScoreNeedsNeighboursAndSkin(t *testing.T) {
	t.Parallel()
	uniform := func(c color.Color) *planes {
		img := image.NewRGBA(image.Rect(0, 0, 100, 100))
		draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		return toPlanes(img, 600)
	}
	skin, blue, grey := uniform(color.RGBA{198, 134, 103, 255}), uniform(color.RGBA{40, 90, 200, 255}), uniform(color.Gray{120})
	r := image.Rect(10, 10, 90, 90)
	const minN = 3
	cases := []struct {
		name      string
		pl        *planes
		neighbors int
		confident bool
	}{
		{"skin, 3 past min", skin, minN + 3, false},
		{"skin, 4 past min", skin, minN + 4, true},
		{"blue, many hits", blue, minN + 40, false},
		{"grey photo, 4 past min", grey, minN + 4, false},
		{"grey photo, 5 past min", grey, minN + 5, true},
	}
	for _, c := range cases {
		s := score(c.neighbors, minN, c.pl, r)
		if s < 0 || s > 1 || (s >= Confident) != c.confident {
			t.Errorf("%s: score %.3f, want confident=%v", c.name, s, c.confident)
		}
	}
	if !grey.grey || skin.grey {
		t.Fatalf("grey detection: grey photo %v, colour photo %v", grey.grey, skin.grey)
	}
	if a, b := score(minN+2, minN, skin, r), score(minN+9, minN, skin, r); a >= b {
		t.Errorf("more neighbours scored lower: %.3f >= %.3f", a, b)
	}
}
