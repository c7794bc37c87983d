package lbp

// integral is a summed-area table of a w x h grey image with one leading
// zero row and column: sum[(y)*stride+x] is the sum of pixels above and
// left of (x, y). stride is fixed per detection so feature offsets can be
// computed once for every pyramid level.
type integral struct {
	sum    []int32
	stride int
	w, h   int
}

// compute fills the table from grey (w x h, packed).
func (t *integral) compute(grey []uint8, w, h int) {
	t.w, t.h = w, h
	s := t.stride
	clear(t.sum[:s])
	for y := range h {
		row := grey[y*w : y*w+w]
		prev := t.sum[y*s : y*s+w+1]
		cur := t.sum[(y+1)*s : (y+1)*s+w+1]
		cur[0] = 0
		var acc int32
		for x, v := range row {
			acc += int32(v)
			cur[x+1] = prev[x+1] + acc
		}
	}
}

// featureOffsets holds, per LBP feature, the 16 corner offsets of its
// 3x3 block grid relative to the window's top-left corner in the integral
// table: ofs[i*4+j] is corner (x + j*w, y + i*h).
type featureOffsets [][16]int

func offsetsFor(fs []lbpFeature, stride int) featureOffsets {
	out := make(featureOffsets, len(fs))
	for k, f := range fs {
		for i := range 4 {
			for j := range 4 {
				out[k][i*4+j] = (f.y+i*f.h)*stride + f.x + j*f.w
			}
		}
	}
	return out
}

// lbpCode is OpenCV's LBPEvaluator::OptFeature::calc: the 8 outer blocks
// of the 3x3 grid, clockwise from the top-left, each compared (>=) with the
// centre block, most significant bit first. It is branch-free: the
// comparisons are unpredictable, and block sums (< 2^31) never overflow a
// difference of two.
//
// The window loop is the hot path (millions of calls per photo) and only
// reads memory owned by one Detect call or immutable after Load, so it is
// left out of race instrumentation, which would slow it tenfold.
//
//go:norace
func lbpCode(sum []int32, p int, o *[16]int) int {
	var v [16]int32
	for i := range v {
		v[i] = sum[p+o[i]]
	}
	// blk(i, j) is the sum of block row i, column j.
	blk := func(i, j int) int32 {
		k := i*4 + j
		return v[k] - v[k+1] - v[k+4] + v[k+5]
	}
	centre := blk(1, 1)
	// ge is 1 when b >= centre.
	ge := func(b int32) int { return int(^uint32(b-centre) >> 31) }
	return ge(blk(0, 0))<<7 | ge(blk(0, 1))<<6 | ge(blk(0, 2))<<5 |
		ge(blk(1, 2))<<4 | ge(blk(2, 2))<<3 | ge(blk(2, 1))<<2 |
		ge(blk(2, 0))<<1 | ge(blk(1, 0))
}

// stump is a depth-1 tree flattened for the hot loop.
type stump struct {
	ofs    [16]int // the feature's corner offsets (see featureOffsets)
	subset [8]uint32
	// leaf[1] is taken when the code is in subset (OpenCV's left leaf),
	// leaf[0] otherwise.
	leaf [2]float64
}

// compiled is a cascade laid out for scanning at one integral stride.
// When every tree is a stump (as in OpenCV's LBP face cascades) stumps
// holds them stage after stage and stageEnd marks where each stage stops.
type compiled struct {
	c        *cascade
	ofs      featureOffsets
	stumps   []stump
	stageEnd []int
	stageMin []float64 // stage thresholds
}

func (c *cascade) compile(stride int) *compiled {
	cc := &compiled{c: c, ofs: offsetsFor(c.features, stride)}
	for _, st := range c.stages {
		for _, t := range st.trees {
			if len(t.nodes) != 1 {
				cc.stumps, cc.stageEnd, cc.stageMin = nil, nil, nil
				return cc
			}
			n := t.nodes[0]
			cc.stumps = append(cc.stumps, stump{cc.ofs[n.feature], n.subset, [2]float64{t.leaves[-min(n.right, 0)], t.leaves[-min(n.left, 0)]}})
		}
		cc.stageEnd = append(cc.stageEnd, len(cc.stumps))
		cc.stageMin = append(cc.stageMin, st.threshold)
	}
	return cc
}

// run evaluates the cascade on the window whose top-left corner is at
// offset p of the integral table. Like OpenCV's runAt it returns 1 when
// every stage passes and -s when stage s rejects the window (so 0 means
// the first stage did).
//
//go:norace
func (cc *compiled) run(sum []int32, p int) int {
	if cc.stageEnd == nil {
		return cc.runTrees(sum, p)
	}
	k := 0
	for si, end := range cc.stageEnd {
		var total float64
		for ; k < end; k++ {
			s := &cc.stumps[k]
			code := lbpCode(sum, p, &s.ofs)
			total += s.leaf[s.subset[code>>5]>>(code&31)&1]
		}
		if total < cc.stageMin[si] {
			return -si
		}
	}
	return 1
}

// runTrees is run for cascades with deeper trees.
func (cc *compiled) runTrees(sum []int32, p int) int {
	c := cc.c
	for si := range c.stages {
		st := &c.stages[si]
		var total float64
		for ti := range st.trees {
			t := &st.trees[ti]
			idx := 0
			for {
				n := &t.nodes[idx]
				code := lbpCode(sum, p, &cc.ofs[n.feature])
				if n.subset[code>>5]&(1<<(code&31)) != 0 {
					idx = n.left
				} else {
					idx = n.right
				}
				if idx <= 0 {
					break
				}
			}
			total += t.leaves[-idx]
		}
		if total < st.threshold {
			return -si
		}
	}
	return 1
}
