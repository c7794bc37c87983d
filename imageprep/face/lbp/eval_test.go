package lbp

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestIntegralMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w, h := 37, 23
	grey := make([]uint8, w*h)
	for i := range grey {
		grey[i] = uint8(rng.IntN(256))
	}
	tab := &integral{stride: w + 5, sum: make([]int32, (w+5)*(h+1))}
	tab.compute(grey, w, h)
	for y := 0; y <= h; y++ {
		for x := 0; x <= w; x++ {
			var want int32
			for yy := 0; yy < y; yy++ {
				for xx := 0; xx < x; xx++ {
					want += int32(grey[yy*w+xx])
				}
			}
			if got := tab.sum[y*tab.stride+x]; got != want {
				t.Fatalf("sum above-left of (%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}

// TestLBPCodeBitOrder checks OpenCV's bit layout: the eight outer blocks
// clockwise from the top-left, most significant first, each set when the
// block's sum is >= the centre block's (ties set the bit).
func TestLBPCodeBitOrder(t *testing.T) {
	// Block (row, col) -> bit, as in LBPEvaluator::OptFeature::calc.
	bitOf := map[[2]int]int{
		{0, 0}: 7, {0, 1}: 6, {0, 2}: 5, {1, 2}: 4,
		{2, 2}: 3, {2, 1}: 2, {2, 0}: 1, {1, 0}: 0,
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const bw, bh, ox, oy = 3, 2, 2, 1 // block size and feature origin
	w, h := ox+3*bw+2, oy+3*bh+3
	for trial := range 200 {
		var vals [3][3]uint8
		for i := range 3 {
			for j := range 3 {
				vals[i][j] = uint8(100 + rng.IntN(5)) // small range: many ties
			}
		}
		grey := make([]uint8, w*h)
		for i := range grey {
			grey[i] = uint8(rng.IntN(256)) // outside the feature: noise
		}
		for i := range 3 {
			for j := range 3 {
				for y := 0; y < bh; y++ {
					for x := 0; x < bw; x++ {
						grey[(oy+i*bh+y)*w+ox+j*bw+x] = vals[i][j]
					}
				}
			}
		}
		want := 0
		for blk, bit := range bitOf {
			if vals[blk[0]][blk[1]] >= vals[1][1] {
				want |= 1 << bit
			}
		}
		tab := &integral{stride: w + 1, sum: make([]int32, (w+1)*(h+1))}
		tab.compute(grey, w, h)
		ofs := offsetsFor([]lbpFeature{{ox, oy, bw, bh}}, tab.stride)
		if got := lbpCode(tab.sum, 0, &ofs[0]); got != want {
			t.Fatalf("trial %d: blocks %v: code %08b, want %08b", trial, vals, got, want)
		}
		// The same feature seen from a window one pixel further on.
		ofs = offsetsFor([]lbpFeature{{ox - 1, oy - 1, bw, bh}}, tab.stride)
		if got := lbpCode(tab.sum, tab.stride+1, &ofs[0]); got != want {
			t.Fatalf("trial %d: shifted window: code %08b, want %08b", trial, got, want)
		}
	}
}

// TestRunStageSemantics checks the boosting arithmetic on a hand-made
// one-feature cascade: a stump takes its left leaf when the code is in the
// subset, and a window passes a stage when the leaf sum reaches the
// threshold.
func TestRunStageSemantics(t *testing.T) {
	const w, h = 9, 9
	grey := make([]uint8, w*h)
	for i := range grey {
		grey[i] = 50
	}
	// Centre block darker than all others: code 0xff.
	for y := 3; y < 6; y++ {
		for x := 3; x < 6; x++ {
			grey[y*w+x] = 10
		}
	}
	tab := &integral{stride: w + 1, sum: make([]int32, (w+1)*(h+1))}
	tab.compute(grey, w, h)
	var all [8]uint32
	for i := range all {
		all[i] = ^uint32(0)
	}
	var only255 [8]uint32
	only255[7] = 1 << 31
	var none [8]uint32
	mk := func(subset [8]uint32, threshold float64) *cascade {
		return &cascade{
			width: 9, height: 9,
			features: []lbpFeature{{0, 0, 3, 3}},
			stages: []stage{{threshold: threshold, trees: []tree{{
				nodes:  []treeNode{{feature: 0, left: 0, right: -1, subset: subset}},
				leaves: []float64{0.75, -0.25},
			}}}},
		}
	}
	cases := []struct {
		name      string
		subset    [8]uint32
		threshold float64
		want      int
	}{
		{"code in subset, passes", only255, 0.5, 1},
		{"code in subset, threshold too high", only255, 0.8, 0},
		{"code not in subset", none, 0.5, 0},
		{"right leaf meets threshold", none, -0.25, 1},
		{"all codes", all, 0.75, 1},
	}
	for _, c := range cases {
		cas := mk(c.subset, c.threshold)
		for _, cc := range []*compiled{cas.compile(tab.stride), {c: cas, ofs: offsetsFor(cas.features, tab.stride)}} {
			if got := cc.run(tab.sum, 0); got != c.want {
				t.Errorf("%s (stumps=%v): run = %d, want %d", c.name, cc.stageEnd != nil, got, c.want)
			}
		}
	}
}

func TestResizeLinear(t *testing.T) {
	// A pixel checkerboard halved is uniform mid-grey (each output pixel
	// sits between four inputs).
	const n = 16
	src := make([]uint8, n*n)
	for y := range n {
		for x := range n {
			if (x+y)%2 == 0 {
				src[y*n+x] = 200
			}
		}
	}
	dst := make([]uint8, n*n/4)
	resizeLinear(src, n, n, dst, n/2, n/2)
	for i, v := range dst {
		if v != 100 {
			t.Fatalf("pixel %d = %d, want 100", i, v)
		}
	}
	// A horizontal ramp keeps its ends and stays monotonic.
	ramp := make([]uint8, 100*3)
	for y := range 3 {
		for x := range 100 {
			ramp[y*100+x] = uint8(x * 2)
		}
	}
	out := make([]uint8, 37*2)
	resizeLinear(ramp, 100, 3, out, 37, 2)
	for x := 1; x < 37; x++ {
		if out[x] < out[x-1] {
			t.Fatalf("ramp not monotonic at %d: %v", x, out[:37])
		}
	}
	if out[0] > 4 || out[36] < 194 {
		t.Errorf("ramp ends %d..%d, want about 0..198", out[0], out[36])
	}
}

func TestScanReportsWindowsInLevelZeroCoordinates(t *testing.T) {
	// A cascade that accepts every window: hits tile the image at each
	// scale and never leave it.
	var all [8]uint32
	for i := range all {
		all[i] = ^uint32(0)
	}
	c := &cascade{
		width: 20, height: 20,
		features: []lbpFeature{{0, 0, 2, 2}},
		stages: []stage{{threshold: 0, trees: []tree{{
			nodes: []treeNode{{feature: 0, left: 0, right: -1, subset: all}}, leaves: []float64{1, -1},
		}}}},
	}
	w, h := 90, 60
	grey := make([]uint8, w*h)
	hits := c.scan(grey, w, h, 0, 0, 1.25)
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	bounds := image.Rect(0, 0, w, h)
	sizes := map[int]bool{}
	for _, r := range hits {
		if !r.In(bounds.Inset(-2)) {
			t.Fatalf("hit %v outside the %v image", r, bounds)
		}
		sizes[r.Dx()] = true
	}
	// Window sizes round(20 * 1.25^k) up to the image's smaller side, as in
	// OpenCV 4 (the next, 61 px, is taller than the 60 px image).
	for _, s := range []int{20, 25, 31, 39, 49} {
		if !sizes[s] {
			t.Errorf("no %d px windows; sizes %v", s, sizes)
		}
	}
	if len(sizes) != 5 {
		t.Errorf("window sizes %v, want 5 levels", sizes)
	}
	if got := c.scan(grey, w, h, 30, 40, 1.25); len(got) == 0 {
		t.Error("no hits between 30 and 40 px")
	} else {
		for _, r := range got {
			if r.Dx() < 30 || r.Dx() > 40 {
				t.Fatalf("hit %v outside MinSize 30..MaxSize 40", r)
			}
		}
	}
}
