package tinyface

import (
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refBox is a box as reference.js prints it.
type refBox struct {
	X, Y, W, H, Score float64
}

// TestMatchesFaceAPIJS compares the Go network with the original
// face-api.js (tfjs CPU backend under node, testdata/reference.json made by
// reference/run.sh) on the same decoded pixels: every box scoring over
// 0.3 must be found by both, within 1.5 px and 0.01 in score.
func TestMatchesFaceAPIJS(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]map[string][]refBox
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	found := 0
	for size, photos := range ref {
		var s int
		fmt.Sscan(size, &s)
		for ppm, want := range photos {
			name := strings.TrimSuffix(ppm, ".ppm") + ".jpg"
			t.Run(size+"/"+name, func(t *testing.T) {
				img := loadTestPhoto(t, name)
				got, err := Default().Detect(img, Options{InputSize: s, MinScore: 0.25})
				if err != nil {
					t.Fatal(err)
				}
				const margin = 0.02 // scores this close to 0.3 may fall either side
				for _, w := range want {
					if w.Score < 0.3+margin {
						continue
					}
					found++
					if !hasBox(got, Box(w)) {
						t.Errorf("face-api.js found %+v; Go found %+v", w, got)
					}
				}
				for _, g := range got {
					if g.Score < 0.3+margin {
						continue
					}
					var ws []Box
					for _, w := range want {
						ws = append(ws, Box(w))
					}
					if !hasBox(ws, g) {
						t.Errorf("Go found %+v; face-api.js did not: %+v", g, want)
					}
				}
			})
		}
	}
	if found < 4 {
		t.Errorf("reference has only %d boxes to compare", found)
	}
}

// hasBox reports whether bs holds a box within 1.5 px of b on every edge
// and within 0.01 in score.
func hasBox(bs []Box, b Box) bool {
	for _, c := range bs {
		if math.Abs(c.X-b.X) <= 1.5 && math.Abs(c.Y-b.Y) <= 1.5 &&
			math.Abs(c.X+c.W-b.X-b.W) <= 1.5 && math.Abs(c.Y+c.H-b.Y-b.H) <= 1.5 &&
			math.Abs(c.Score-b.Score) <= 0.01 {
			return true
		}
	}
	return false
}

// loadTestPhoto decodes a committed photo from imageprep/testdata/faces.
func loadTestPhoto(tb testing.TB, name string) image.Image {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "faces", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return img
}

// TestUnpaddedFindsTheSameFaces: padding only to multiples of 32 changes
// the input near the padding, not what the network sees of the faces.
func TestUnpaddedFindsTheSameFaces(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"astronaut.jpg", "grace_hopper.jpg", "camera.jpg"} {
		img := loadTestPhoto(t, name)
		sq, _ := Default().Detect(img, Options{MinScore: 0.5})
		un, _ := Default().Detect(img, Options{MinScore: 0.3, Unpadded: true})
		if len(sq) == 0 {
			t.Fatalf("%s: no face", name)
		}
		for _, b := range sq {
			ok := false
			for _, u := range un {
				ok = ok || (IoU(b, u) > 0.8 && math.Abs(b.Score-u.Score) < 0.15)
			}
			if !ok {
				t.Errorf("%s: padded %+v not found unpadded: %+v", name, b, un)
			}
		}
	}
}
