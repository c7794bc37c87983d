package lbp

import (
	"bufio"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// opencvReference reads testdata/faces/opencv_reference.txt: raw window hits
// and grouped faces that libopencv 4.6 reported for each committed photo.
func opencvReference(t *testing.T) (raw, grouped map[string][]image.Rectangle) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "faces", "opencv_reference.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, grouped = map[string][]image.Rectangle{}, map[string][]image.Rectangle{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		var photo, kind string
		var x, y, w, h int
		if _, err := fmt.Sscan(line, &photo, &kind, &x, &y, &w, &h); err != nil {
			t.Fatalf("reference line %q: %v", line, err)
		}
		r := image.Rect(x, y, x+w, y+h)
		if kind == "raw" {
			raw[photo] = append(raw[photo], r)
		} else {
			grouped[photo] = append(grouped[photo], r)
		}
	}
	return raw, grouped
}

// TestMatchesOpenCVReference compares the pyramid scan and grouping with
// OpenCV's detectMultiScale on the same grey planes: the raw window hits
// and the grouped faces must be identical.
func TestMatchesOpenCVReference(t *testing.T) {
	t.Parallel()
	wantRaw, wantGrouped := opencvReference(t)
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "faces", "*.jpg"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test photos: %v", err)
	}
	if len(wantRaw) < 4 || len(wantGrouped) < 2 {
		t.Fatalf("reference too small: %d photos with hits, %d with faces", len(wantRaw), len(wantGrouped))
	}
	c := Default().c
	for _, fn := range files {
		name := filepath.Base(fn)
		t.Run(name, func(t *testing.T) {
			pl := toPlanes(loadPhoto(t, name), 600)
			hits := c.scan(pl.y, pl.w, pl.h, 0, 0, 1.1)
			sameRects(t, "raw hits", hits, wantRaw[name])
			var faces []image.Rectangle
			for _, g := range groupRects(hits, 3, groupEps) {
				faces = append(faces, g.rect)
			}
			sameRects(t, "grouped faces", faces, wantGrouped[name])
		})
	}
}

// sameRects reports the difference between two sets of rectangles.
func sameRects(t *testing.T, what string, got, want []image.Rectangle) {
	t.Helper()
	count := map[image.Rectangle]int{}
	for _, r := range got {
		count[r]++
	}
	for _, r := range want {
		count[r]--
	}
	for r, n := range count {
		switch {
		case n > 0:
			t.Errorf("%s: %v found here, not by OpenCV", what, r)
		case n < 0:
			t.Errorf("%s: %v found by OpenCV, not here", what, r)
		}
	}
}
