package lbp

import (
	"image"
	"math"
)

// groupEps is OpenCV's GROUP_EPS: how far (as a fraction of the smaller
// size) two hits may differ and still be the same object.
const groupEps = 0.2

// cluster is a grouped detection: the average of its member hits and how
// many raw hits ("neighbours") agreed.
type cluster struct {
	rect      image.Rectangle
	neighbors int
}

// similar is OpenCV's SimilarRects predicate.
func similar(a, b image.Rectangle, eps float64) bool {
	delta := eps * float64(min(a.Dx(), b.Dx())+min(a.Dy(), b.Dy())) * 0.5
	near := func(p, q int) bool { return math.Abs(float64(p-q)) <= delta }
	return near(a.Min.X, b.Min.X) && near(a.Min.Y, b.Min.Y) &&
		near(a.Max.X, b.Max.X) && near(a.Max.Y, b.Max.Y)
}

// groupRects is OpenCV's groupRectangles: partition the hits into classes
// of similar rectangles, average each class, drop classes with no more
// than minNeighbors members, and drop a class lying inside a stronger one.
func groupRects(hits []image.Rectangle, minNeighbors int, eps float64) []cluster {
	if len(hits) == 0 {
		return nil
	}
	// Union-find over the "similar" relation (cv::partition).
	parent := make([]int, len(hits))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range hits {
		for j := i + 1; j < len(hits); j++ {
			if similar(hits[i], hits[j], eps) {
				if ri, rj := find(i), find(j); ri != rj {
					parent[rj] = ri
				}
			}
		}
	}
	type acc struct{ x, y, w, h, n int }
	byRoot := map[int]int{}
	var sums []acc
	for i, r := range hits {
		root := find(i)
		k, ok := byRoot[root]
		if !ok {
			k = len(sums)
			byRoot[root] = k
			sums = append(sums, acc{})
		}
		s := &sums[k]
		s.x += r.Min.X
		s.y += r.Min.Y
		s.w += r.Dx()
		s.h += r.Dy()
		s.n++
	}
	avg := make([]cluster, len(sums))
	for k, s := range sums {
		f := 1 / float64(s.n)
		x := int(math.Round(float64(s.x) * f))
		y := int(math.Round(float64(s.y) * f))
		w := int(math.Round(float64(s.w) * f))
		h := int(math.Round(float64(s.h) * f))
		avg[k] = cluster{image.Rect(x, y, x+w, y+h), s.n}
	}
	var out []cluster
	for i, c1 := range avg {
		if c1.neighbors <= minNeighbors {
			continue
		}
		inside := false
		for j, c2 := range avg {
			if j == i || c2.neighbors <= minNeighbors {
				continue
			}
			dx := int(float64(c2.rect.Dx()) * eps)
			dy := int(float64(c2.rect.Dy()) * eps)
			r1, r2 := c1.rect, c2.rect
			if r1.Min.X >= r2.Min.X-dx && r1.Min.Y >= r2.Min.Y-dy &&
				r1.Max.X <= r2.Max.X+dx && r1.Max.Y <= r2.Max.Y+dy &&
				(c2.neighbors > max(3, c1.neighbors) || c1.neighbors < 3) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, c1)
		}
	}
	return out
}
