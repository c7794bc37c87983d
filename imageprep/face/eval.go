package face

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
// centre block, most significant bit first.
func lbpCode(sum []int32, p int, o *[16]int) int {
	blk := func(a, b, c, d int) int32 {
		return sum[p+o[a]] - sum[p+o[b]] - sum[p+o[c]] + sum[p+o[d]]
	}
	centre := blk(5, 6, 9, 10)
	code := 0
	if blk(0, 1, 4, 5) >= centre {
		code |= 128
	}
	if blk(1, 2, 5, 6) >= centre {
		code |= 64
	}
	if blk(2, 3, 6, 7) >= centre {
		code |= 32
	}
	if blk(6, 7, 10, 11) >= centre {
		code |= 16
	}
	if blk(10, 11, 14, 15) >= centre {
		code |= 8
	}
	if blk(9, 10, 13, 14) >= centre {
		code |= 4
	}
	if blk(8, 9, 12, 13) >= centre {
		code |= 2
	}
	if blk(4, 5, 8, 9) >= centre {
		code |= 1
	}
	return code
}

// run evaluates the cascade on the window whose top-left corner is at
// offset p of the integral table. Like OpenCV's runAt it returns 1 when
// every stage passes and -s when stage s rejects the window (so 0 means
// the first stage did).
func (c *cascade) run(sum []int32, p int, ofs featureOffsets) int {
	for si := range c.stages {
		st := &c.stages[si]
		var total float64
		for ti := range st.trees {
			t := &st.trees[ti]
			idx := 0
			for {
				n := &t.nodes[idx]
				code := lbpCode(sum, p, &ofs[n.feature])
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
