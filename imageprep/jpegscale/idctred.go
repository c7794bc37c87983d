package jpegscale

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

// Scaled by 2√2 (so that the DC weight is 1), the matrices are, for N = 4
// (rows k = 0, 1; rows 3 and 2 are the same with the odd-u signs flipped):
//
//	u:     0  1        2        3        5        6         7
//	k=0:   1  r41[0]  cos π/8   r43[0]   r45[0]  -cos 3π/8  r47[0]
//	k=1:   1  r41[1] -cos π/8   r43[1]   r45[1]   cos 3π/8  r47[1]
//
// with r4u[k] = √2·cos((2k+1)uπ/8)·cos(uπ/16); and for N = 2 (row 1 is row
// 0 with the odd-u signs flipped): 1, r21, r23, r25, r27 for u = 0, 1, 3, 5,
// 7 with r2u = (√2/4)·Σ_{j<4} cos((2j+1)uπ/16). The two passes' 2√2 factors
// make the 1/8 that the final descale divides by. The constants below are
// those values with constBits fractional bits; TestReducedIDCTMatchesFloat-
// BoxAverage checks the result against a floating-point IDCT.

// Fixed-point precision, as in libjpeg's jidctint.c and jidctred.c.
const (
	constBits = 13 // fractional bits of the matrix entries
	pass1Bits = 2  // extra fractional bits kept between the two passes

	fixCos1 = 7568 // cos(π/8)
	fixCos3 = 3135 // cos(3π/8)

	fix41a, fix43a, fix45a, fix47a = 10498, 3686, -2463, -2088 // r4u[0]
	fix41b, fix43b, fix45b, fix47b = 4348, -8900, 5946, -865   // r4u[1]

	fix21, fix23, fix25, fix27 = 7423, -2607, 1742, -1477 // r2u
)

// idct1x1 turns a dequantized DC coefficient into the block's mean pixel.
func idct1x1(dc int32) uint8 {
	return clampPixel((dc + 4) >> 3)
}

// idct4x4 writes the 4x4 reduced inverse DCT of the dequantized block b
// (natural order), level-shifted and clamped, to dst. It
// transforms the rows (horizontal frequencies) first, then the columns; the
// transform is separable, so the order only moves rounding.
func idct4x4(b *block, dst []byte, stride int) {
	// ws[v][l]: row v's l-th output, with pass1Bits extra fractional bits.
	var ws [8][4]int32
	for v := 0; v < 8; v++ {
		if v == 4 {
			continue // this row does not contribute
		}
		r := (*[8]int32)(b[v*8 : v*8+8])
		if r[1]|r[2]|r[3]|r[5]|r[6]|r[7] == 0 {
			x := r[0] << pass1Bits
			ws[v] = [4]int32{x, x, x, x}
			continue
		}
		e0 := r[0] << constBits
		e1 := r[2]*fixCos1 - r[6]*fixCos3
		even0, even1 := e0+e1, e0-e1
		f1, f3, f5, f7 := r[1], r[3], r[5], r[7]
		odd0 := f1*fix41a + f3*fix43a + f5*fix45a + f7*fix47a
		odd1 := f1*fix41b + f3*fix43b + f5*fix45b + f7*fix47b
		const d, rnd = constBits - pass1Bits, 1 << (constBits - pass1Bits - 1)
		ws[v] = [4]int32{
			(even0 + odd0 + rnd) >> d,
			(even1 + odd1 + rnd) >> d,
			(even1 - odd1 + rnd) >> d,
			(even0 - odd0 + rnd) >> d,
		}
	}
	_ = dst[3*stride+3]
	for l := 0; l < 4; l++ {
		e0 := ws[0][l] << constBits
		e1 := ws[2][l]*fixCos1 - ws[6][l]*fixCos3
		even0, even1 := e0+e1, e0-e1
		odd0 := ws[1][l]*fix41a + ws[3][l]*fix43a + ws[5][l]*fix45a + ws[7][l]*fix47a
		odd1 := ws[1][l]*fix41b + ws[3][l]*fix43b + ws[5][l]*fix45b + ws[7][l]*fix47b
		const d, rnd = constBits + pass1Bits + 3, 1 << (constBits + pass1Bits + 3 - 1)
		dst[l] = clampPixel((even0 + odd0 + rnd) >> d)
		dst[stride+l] = clampPixel((even1 + odd1 + rnd) >> d)
		dst[2*stride+l] = clampPixel((even1 - odd1 + rnd) >> d)
		dst[3*stride+l] = clampPixel((even0 - odd0 + rnd) >> d)
	}
}

// idct4x4Low is idct4x4 for a block whose only non-zero coefficients are
// b[0], b[1] and b[8] (zig-zag 0 to 2): the same arithmetic with the zero
// terms left out, so the same pixels.
func idct4x4Low(b0, b1, b8 int32, dst []byte, stride int) {
	const d, rnd = constBits - pass1Bits, 1 << (constBits - pass1Bits - 1)
	// The rows: row 0 has u = 0, 1; row 1 only its mean; the rest are zero.
	e := b0 << constBits
	odd0, odd1 := b1*fix41a, b1*fix41b
	ws0 := [4]int32{(e + odd0 + rnd) >> d, (e + odd1 + rnd) >> d, (e - odd1 + rnd) >> d, (e - odd0 + rnd) >> d}
	ws1 := b8 << pass1Bits
	// The columns: v = 0 and 1.
	const d2, rnd2 = constBits + pass1Bits + 3, 1 << (constBits + pass1Bits + 3 - 1)
	_ = dst[3*stride+3]
	o0, o1 := ws1*fix41a, ws1*fix41b
	for l := 0; l < 4; l++ {
		e0 := ws0[l] << constBits
		dst[l] = clampPixel((e0 + o0 + rnd2) >> d2)
		dst[stride+l] = clampPixel((e0 + o1 + rnd2) >> d2)
		dst[2*stride+l] = clampPixel((e0 - o1 + rnd2) >> d2)
		dst[3*stride+l] = clampPixel((e0 - o0 + rnd2) >> d2)
	}
}

// idct2x2 is idct4x4's 2x2 counterpart, unrolled: the columns u = 0, 1,
// 3, 5, 7 (the others do not contribute) to two values each, then the two
// rows. (A column of zeros but its first value gives exactly what the
// shortcut of idct4x4 would, so there is no branch.)
func idct2x2(b *block, dst []byte, stride int) {
	const d1, r1 = constBits - pass1Bits, 1 << (constBits - pass1Bits - 1)
	col := func(f0, f1, f3, f5, f7 int32) (int32, int32) {
		even := f0 << constBits
		odd := f1*fix21 + f3*fix23 + f5*fix25 + f7*fix27
		return (even + odd + r1) >> d1, (even - odd + r1) >> d1
	}
	a0, b0 := col(b[0], b[8], b[24], b[40], b[56])
	a1, b1 := col(b[1], b[9], b[25], b[41], b[57])
	a3, b3 := col(b[3], b[11], b[27], b[43], b[59])
	a5, b5 := col(b[5], b[13], b[29], b[45], b[61])
	a7, b7 := col(b[7], b[15], b[31], b[47], b[63])
	const d2, r2 = constBits + pass1Bits + 3, 1 << (constBits + pass1Bits + 3 - 1)
	_ = dst[stride+1]
	even := a0 << constBits
	odd := a1*fix21 + a3*fix23 + a5*fix25 + a7*fix27
	dst[0] = clampPixel((even + odd + r2) >> d2)
	dst[1] = clampPixel((even - odd + r2) >> d2)
	even = b0 << constBits
	odd = b1*fix21 + b3*fix23 + b5*fix25 + b7*fix27
	dst[stride] = clampPixel((even + odd + r2) >> d2)
	dst[stride+1] = clampPixel((even - odd + r2) >> d2)
}

// idct2x2Low is idct2x2 for a block whose only coefficients the transform
// reads are b[0], b[1], b[8] and b[9]: the same arithmetic with the zero
// terms left out, so the same pixels.
func idct2x2Low(b0, b1, b8, b9 int32, dst []byte, stride int) {
	const d1, r1 = constBits - pass1Bits, 1 << (constBits - pass1Bits - 1)
	even0, odd0 := b0<<constBits, b8*fix21
	even1, odd1 := b1<<constBits, b9*fix21
	a0, c0 := (even0+odd0+r1)>>d1, (even0-odd0+r1)>>d1
	a1, c1 := (even1+odd1+r1)>>d1, (even1-odd1+r1)>>d1
	const d2, r2 = constBits + pass1Bits + 3, 1 << (constBits + pass1Bits + 3 - 1)
	_ = dst[stride+1]
	even, odd := a0<<constBits, a1*fix21
	dst[0] = clampPixel((even + odd + r2) >> d2)
	dst[1] = clampPixel((even - odd + r2) >> d2)
	even, odd = c0<<constBits, c1*fix21
	dst[stride] = clampPixel((even + odd + r2) >> d2)
	dst[stride+1] = clampPixel((even - odd + r2) >> d2)
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
