package lbp

import (
	"image"
	"testing"
)

func TestSimilarRects(t *testing.T) {
	a := image.Rect(100, 100, 200, 200)
	cases := []struct {
		b    image.Rectangle
		want bool
	}{
		{a, true},
		{a.Add(image.Pt(20, -20)), true},     // delta = 0.2 * 100 = 20
		{a.Add(image.Pt(21, 0)), false},      // one corner too far
		{image.Rect(95, 95, 215, 215), true}, // bigger, edges within 20
		{image.Rect(100, 100, 250, 250), false},
	}
	for _, c := range cases {
		if got := similar(a, c.b, groupEps); got != c.want {
			t.Errorf("similar(%v, %v) = %v, want %v", a, c.b, got, c.want)
		}
	}
}

func TestGroupRectsLikeOpenCV(t *testing.T) {
	r := func(x, y, s int) image.Rectangle { return image.Rect(x, y, x+s, y+s) }
	hits := []image.Rectangle{
		// A face: five similar hits.
		r(100, 100, 50), r(102, 100, 50), r(98, 102, 52), r(101, 99, 48), r(99, 99, 50),
		// A chain: a~b, b~c, a!~c still form one class (partition is
		// transitive).
		r(300, 300, 40), r(307, 300, 40), r(314, 300, 40),
		// A lone hit.
		r(10, 10, 30),
		// A small cluster inside the face, as strong as it (5 hits), so it
		// survives OpenCV's nesting rule (n2 > max(3, n1) fails).
		r(112, 112, 24), r(113, 112, 24), r(112, 113, 24), r(113, 113, 24), r(112, 112, 24),
	}
	// bySize finds the cluster of a given (average) width.
	bySize := func(cs []cluster, w int) (cluster, bool) {
		for _, c := range cs {
			if c.rect.Dx() == w {
				return c, true
			}
		}
		return cluster{}, false
	}
	got := groupRects(hits, 2, groupEps)
	if len(got) != 3 {
		t.Fatalf("got %d clusters %v, want 3 (face, chain, inner)", len(got), got)
	}
	if face, ok := bySize(got, 50); !ok || face.rect != image.Rect(100, 100, 150, 150) || face.neighbors != 5 {
		t.Errorf("face cluster %+v, want the average (100,100)-(150,150) of 5 hits", face)
	}
	if c, ok := bySize(got, 40); !ok || c.rect != r(307, 300, 40) || c.neighbors != 3 {
		t.Errorf("chain cluster %+v, want (307,300) 40 px of 3 hits", c)
	}
	if _, ok := bySize(got, 24); !ok {
		t.Errorf("inner cluster of 5 dropped: %v", got)
	}
	// With 6 face hits the inner cluster is dominated (6 > max(3, 5)).
	got = groupRects(append(hits, r(100, 101, 50)), 2, groupEps)
	if c, ok := bySize(got, 24); ok {
		t.Errorf("inner cluster %v kept inside a stronger one: %v", c, got)
	}
	// minNeighbors 3 drops the chain (3 hits is not more than 3).
	for _, c := range groupRects(hits, 3, groupEps) {
		if c.neighbors <= 3 {
			t.Errorf("cluster with %d hits kept at minNeighbors 3", c.neighbors)
		}
	}
	if groupRects(nil, 3, groupEps) != nil {
		t.Error("clusters from no hits")
	}
}
