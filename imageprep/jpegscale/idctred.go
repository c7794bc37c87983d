package jpegscale

import "math"

// Reduced-size inverse DCTs: an 8x8 block of coefficients to 4x4, 2x2 or 1x1
// pixels, as libjpeg's jidctred.c does.
//
// The 8-point 1D IDCT is
//
//	x[n] = Σ_u (c_u/2) F[u] cos((2n+1)uπ/16),  c_0 = 1/√2, c_u = 1 otherwise.
//
// Each output of the N-point reduced transform is the mean of m = 8/N
// adjacent outputs of the full transform:
//
//	y[k] = Σ_u F[u] · (c_u/2) · (1/m) Σ_{j<m} cos((2(mk+j)+1)uπ/16)
//
// which is linear in F, so it is a fixed N x 8 matrix. Some of its columns
// vanish (u = 4 for N = 4; u = 2, 4, 6 for N = 2), which is why libjpeg's
// reduced IDCTs ignore those coefficients. The 2D transform applies the
// matrix to the columns, then to the rows, so each output pixel is exactly
// the box average of the full IDCT's output before rounding and clamping.

// Fixed-point precision, as in libjpeg's jidctint.c and jidctred.c.
const (
	constBits = 13 // fractional bits of the matrix entries
	pass1Bits = 2  // extra fractional bits kept between the two passes
)

// reducedMatrix is the N x 8 matrix of one reduced 1D IDCT, in fixed point
// with constBits fractional bits, and the coefficient indexes u whose column
// is not all zero.
type reducedMatrix struct {
	n    int
	a    [4][8]int32
	cols []int
}

var (
	reduce4 = newReducedMatrix(4)
	reduce2 = newReducedMatrix(2)
	// zigOf maps a natural-order coefficient index to its zig-zag index (the
	// order of the quantization tables).
	zigOf = func() (z [blockSize]int) {
		for zig, nat := range unzig {
			z[nat] = zig
		}
		return z
	}()
)

func newReducedMatrix(n int) *reducedMatrix {
	m := 8 / n
	r := &reducedMatrix{n: n}
	for u := 0; u < 8; u++ {
		cu := 1.0
		if u == 0 {
			cu = 1 / math.Sqrt2
		}
		nonzero := false
		for k := 0; k < n; k++ {
			sum := 0.0
			for j := 0; j < m; j++ {
				sum += math.Cos(float64(2*(m*k+j)+1) * float64(u) * math.Pi / 16)
			}
			v := cu / 2 * sum / float64(m)
			f := int32(math.Round(v * (1 << constBits)))
			r.a[k][u] = f
			if f != 0 {
				nonzero = true
			}
		}
		if nonzero {
			r.cols = append(r.cols, u)
		}
	}
	return r
}

// idct1x1 turns a dequantized DC coefficient into the block's mean pixel.
func idct1x1(dc int32) uint8 {
	return clampPixel((dc + 4) >> 3)
}

// idct4x4 dequantizes b (natural order) with qt (zig-zag order) and writes
// the 4x4 reduced inverse DCT to dst.
func idct4x4(b *block, qt *block, dst []byte, stride int) {
	reducedIDCT(reduce4, b, qt, dst, stride)
}

// idct2x2 is idct4x4's 2x2 counterpart.
func idct2x2(b *block, qt *block, dst []byte, stride int) {
	reducedIDCT(reduce2, b, qt, dst, stride)
}

// reducedIDCT applies r to the columns, then the rows of the dequantized
// block, and writes the level-shifted, clamped n x n result to dst.
func reducedIDCT(r *reducedMatrix, b *block, qt *block, dst []byte, stride int) {
	n := r.n
	// ws[k*8+u]: column u transformed to its k-th output, with pass1Bits
	// extra fractional bits.
	var ws [4 * 8]int32
	const descale1 = constBits - pass1Bits
	for _, u := range r.cols {
		top := b[u] * qt[zigOf[u]] // F[0][u]
		allZero := true
		for _, v := range r.cols[1:] {
			if b[v*8+u] != 0 {
				allZero = false
				break
			}
		}
		if allZero {
			for k := 0; k < n; k++ {
				ws[k*8+u] = (r.a[k][0]*top + 1<<(descale1-1)) >> descale1
			}
			continue
		}
		var f [8]int32
		for _, v := range r.cols {
			f[v] = b[v*8+u] * qt[zigOf[v*8+u]]
		}
		for k := 0; k < n; k++ {
			a := &r.a[k]
			var acc int32
			for _, v := range r.cols {
				acc += a[v] * f[v]
			}
			ws[k*8+u] = (acc + 1<<(descale1-1)) >> descale1
		}
	}
	const descale2 = constBits + pass1Bits
	for k := 0; k < n; k++ {
		row := ws[k*8 : k*8+8 : k*8+8]
		out := dst[k*stride : k*stride+n]
		for l := 0; l < n; l++ {
			a := &r.a[l]
			var acc int32
			for _, u := range r.cols {
				acc += a[u] * row[u]
			}
			out[l] = clampPixel((acc + 1<<(descale2-1)) >> descale2)
		}
	}
}

// clampPixel level-shifts a signed sample by +128 and clips it to [0, 255].
func clampPixel(c int32) uint8 {
	c += 128
	if c < 0 {
		return 0
	}
	if c > 255 {
		return 255
	}
	return uint8(c)
}
