// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegscale

import (
	"image"
)

// makeImg allocates and initializes the destination image.
func (d *decoder) makeImg(mxx, myy int) {
	// Each 8x8 block becomes s x s pixels; the visible image is the full size
	// divided by the denominator, rounded up.
	s := d.scale
	denom := 8 / s
	w, h := (d.width+denom-1)/denom, (d.height+denom-1)/denom
	if d.nComp == 1 {
		m := image.NewGray(image.Rect(0, 0, s*mxx, s*myy))
		d.img1 = m.SubImage(image.Rect(0, 0, w, h)).(*image.Gray)
		return
	}

	h0 := d.comp[0].h
	v0 := d.comp[0].v
	hRatio := h0 / d.comp[1].h
	vRatio := v0 / d.comp[1].v
	var subsampleRatio image.YCbCrSubsampleRatio
	switch hRatio<<4 | vRatio {
	case 0x11:
		subsampleRatio = image.YCbCrSubsampleRatio444
	case 0x12:
		subsampleRatio = image.YCbCrSubsampleRatio440
	case 0x21:
		subsampleRatio = image.YCbCrSubsampleRatio422
	case 0x22:
		subsampleRatio = image.YCbCrSubsampleRatio420
	case 0x41:
		subsampleRatio = image.YCbCrSubsampleRatio411
	case 0x42:
		subsampleRatio = image.YCbCrSubsampleRatio410
	default:
		panic("unreachable")
	}
	m := image.NewYCbCr(image.Rect(0, 0, s*h0*mxx, s*v0*myy), subsampleRatio)
	d.img3 = m.SubImage(image.Rect(0, 0, w, h)).(*image.YCbCr)

	if d.nComp == 4 {
		h3, v3 := d.comp[3].h, d.comp[3].v
		d.blackPix = make([]byte, s*h3*mxx*s*v3*myy)
		d.blackStride = s * h3 * mxx
	}
}

// Specified in section B.2.3.
func (d *decoder) processSOS(n int) error {
	if d.nComp == 0 {
		return FormatError("missing SOF marker")
	}
	if n < 6 || 4+2*d.nComp < n || n%2 != 0 {
		return FormatError("SOS has wrong length")
	}
	if err := d.readFull(d.tmp[:n]); err != nil {
		return err
	}
	nComp := int(d.tmp[0])
	if n != 4+2*nComp {
		return FormatError("SOS length inconsistent with number of components")
	}
	var scan [maxComponents]struct {
		compIndex uint8
		td        uint8 // DC table selector.
		ta        uint8 // AC table selector.
	}
	totalHV := 0
	for i := 0; i < nComp; i++ {
		cs := d.tmp[1+2*i] // Component selector.
		compIndex := -1
		for j, comp := range d.comp[:d.nComp] {
			if cs == comp.c {
				compIndex = j
			}
		}
		if compIndex < 0 {
			return FormatError("unknown component selector")
		}
		scan[i].compIndex = uint8(compIndex)
		// Section B.2.3 states that "the value of Cs_j shall be different from
		// the values of Cs_1 through Cs_(j-1)". Since we have previously
		// verified that a frame's component identifiers (C_i values in section
		// B.2.2) are unique, it suffices to check that the implicit indexes
		// into d.comp are unique.
		for j := 0; j < i; j++ {
			if scan[i].compIndex == scan[j].compIndex {
				return FormatError("repeated component selector")
			}
		}
		totalHV += d.comp[compIndex].h * d.comp[compIndex].v

		// The baseline t <= 1 restriction is specified in table B.3.
		scan[i].td = d.tmp[2+2*i] >> 4
		if t := scan[i].td; t > maxTh || (d.baseline && t > 1) {
			return FormatError("bad Td value")
		}
		scan[i].ta = d.tmp[2+2*i] & 0x0f
		if t := scan[i].ta; t > maxTh || (d.baseline && t > 1) {
			return FormatError("bad Ta value")
		}
	}
	// Section B.2.3 states that if there is more than one component then the
	// total H*V values in a scan must be <= 10.
	if d.nComp > 1 && totalHV > 10 {
		return FormatError("total sampling factors too large")
	}

	// zigStart and zigEnd are the spectral selection bounds.
	// ah and al are the successive approximation high and low values.
	// The spec calls these values Ss, Se, Ah and Al.
	//
	// For progressive JPEGs, these are the two more-or-less independent
	// aspects of progression. Spectral selection progression is when not
	// all of a block's 64 DCT coefficients are transmitted in one pass.
	// For example, three passes could transmit coefficient 0 (the DC
	// component), coefficients 1-5, and coefficients 6-63, in zig-zag
	// order. Successive approximation is when not all of the bits of a
	// band of coefficients are transmitted in one pass. For example,
	// three passes could transmit the 6 most significant bits, followed
	// by the second-least significant bit, followed by the least
	// significant bit.
	//
	// For sequential JPEGs, these parameters are hard-coded to 0/63/0/0, as
	// per table B.3.
	zigStart, zigEnd, ah, al := int32(0), int32(blockSize-1), uint32(0), uint32(0)
	if d.progressive {
		zigStart = int32(d.tmp[1+2*nComp])
		zigEnd = int32(d.tmp[2+2*nComp])
		ah = uint32(d.tmp[3+2*nComp] >> 4)
		al = uint32(d.tmp[3+2*nComp] & 0x0f)
		if (zigStart == 0 && zigEnd != 0) || zigStart > zigEnd || blockSize <= zigEnd {
			return FormatError("bad spectral selection bounds")
		}
		if zigStart != 0 && nComp != 1 {
			return FormatError("progressive AC coefficients for more than one component")
		}
		if ah != 0 && ah != al+1 {
			return FormatError("bad successive approximation values")
		}
	}

	// mxx and myy are the number of MCUs (Minimum Coded Units) in the image.
	h0, v0 := d.comp[0].h, d.comp[0].v // The h and v values from the Y components.
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	myy := (d.height + 8*v0 - 1) / (8 * v0)
	if d.img1 == nil && d.img3 == nil {
		d.makeImg(mxx, myy)
	}
	if d.progressive {
		for i := 0; i < nComp; i++ {
			compIndex := scan[i].compIndex
			if d.progCoeffs[compIndex] == nil {
				d.progCoeffs[compIndex] = make([]coeffs, mxx*myy*d.comp[compIndex].h*d.comp[compIndex].v)
			}
		}
	}

	// In a non-interleaved scan (one component) each data unit inside the
	// image is an MCU of its own, and the restart interval counts those, not
	// the interleaved MCUs the loop below walks. (image/jpeg counts the
	// interleaved MCUs, and so fails on progressive 4:2:0 or 4:2:2 files with
	// restart markers; this decoder does not.)
	nonInterleavedUnits := 0
	if nComp == 1 {
		hi, vi := d.comp[scan[0].compIndex].h, d.comp[scan[0].compIndex].v
		nonInterleavedUnits = min(mxx*hi, (d.width+7)/8) * min(myy*vi, (d.height+7)/8)
	}

	d.bits = bits{}
	mcu, expectedRST := 0, uint8(rst0Marker)
	var (
		// b is the decoded coefficients, in natural (not zig-zag) order.
		b  block
		dc [maxComponents]int32
		// bx and by are the location of the current block, in units of 8x8
		// blocks: the third block in the first row has (bx, by) = (2, 0).
		bx, by     int
		blockCount int
	)
	// A sequential scan of every component ends where the wanted region
	// does: its later MCU rows are not even entropy-decoded.
	stopRow := myy
	if !d.region.Empty() && !d.progressive && nComp == d.nComp {
		stopRow = min(myy, (d.region.Max.Y+8*v0-1)/(8*v0))
	}
	if !d.progressive && !d.generalSeq {
		var ci, td, ta [maxComponents]uint8
		for i := 0; i < nComp; i++ {
			ci[i], td[i], ta[i] = scan[i].compIndex, scan[i].td, scan[i].ta
		}
		cs, err := d.seqComponents(ci[:nComp], td[:nComp], ta[:nComp])
		if err != nil {
			return err
		}
		return d.decodeSequentialScan(cs[:nComp], mxx, myy, stopRow, nonInterleavedUnits)
	}
	for my := 0; my < myy; my++ {
		if my == stopRow {
			d.regionDone = true
			return nil
		}
		for mx := 0; mx < mxx; mx++ {
			for i := 0; i < nComp; i++ {
				compIndex := scan[i].compIndex
				hi := d.comp[compIndex].h
				vi := d.comp[compIndex].v
				for j := 0; j < hi*vi; j++ {
					// The blocks are traversed one MCU at a time. For 4:2:0 chroma
					// subsampling, there are four Y 8x8 blocks in every 16x16 MCU.
					//
					// For a sequential 32x16 pixel image, the Y blocks visiting order is:
					//	0 1 4 5
					//	2 3 6 7
					//
					// For progressive images, the interleaved scans (those with nComp > 1)
					// are traversed as above, but non-interleaved scans are traversed left
					// to right, top to bottom:
					//	0 1 2 3
					//	4 5 6 7
					// Only DC scans (zigStart == 0) can be interleaved. AC scans must have
					// only one component.
					//
					// To further complicate matters, for non-interleaved scans, there is no
					// data for any blocks that are inside the image at the MCU level but
					// outside the image at the pixel level. For example, a 24x16 pixel 4:2:0
					// progressive image consists of two 16x16 MCUs. The interleaved scans
					// will process 8 Y blocks:
					//	0 1 4 5
					//	2 3 6 7
					// The non-interleaved scans will process only 6 Y blocks:
					//	0 1 2
					//	3 4 5
					if nComp != 1 {
						bx = hi*mx + j%hi
						by = vi*my + j/hi
					} else {
						q := mxx * hi
						bx = blockCount % q
						by = blockCount / q
						blockCount++
						if bx*8 >= d.width || by*8 >= d.height {
							continue
						}
					}

					if d.progressive {
						// Decode straight into the coefficients saved between
						// scans.
						pb := (*[blockSize]int16)(&d.progCoeffs[compIndex][by*mxx*hi+bx])
						if _, err := decodeBlock(d, pb, &unitQuant, &dc[compIndex], &d.huff[dcTable][scan[i].td], &d.huff[acTable][scan[i].ta], zigStart, zigEnd, ah, al); err != nil {
							return err
						}
						if nComp == 1 {
							mcu++
							if err := d.restart(mcu, nonInterleavedUnits, &expectedRST, &dc); err != nil {
								return err
							}
						}
						// The blocks are reconstructed by
						// reconstructProgressiveImage once every scan is in.
						continue
					}
					b = block{}
					// Sequential blocks are dequantized as they are decoded:
					// only the non-zero coefficients are multiplied.
					acSet, err := decodeBlock(d, (*[blockSize]int32)(&b), &d.quantNat[d.comp[compIndex].tq], &dc[compIndex], &d.huff[dcTable][scan[i].td], &d.huff[acTable][scan[i].ta], zigStart, zigEnd, ah, al)
					if err != nil {
						return err
					}
					bw, bh := 8*h0/hi, 8*v0/vi // full-size pixels per block
					if d.wantBlock(bx*bw, by*bh, bw, bh) {
						if err := d.reconstructBlock(&b, true, bx, by, int(compIndex), !acSet); err != nil {
							return err
						}
					}
					if nComp == 1 {
						mcu++
						if err := d.restart(mcu, nonInterleavedUnits, &expectedRST, &dc); err != nil {
							return err
						}
					}
				} // for j
			} // for i
			if nComp != 1 {
				mcu++
				if err := d.restart(mcu, mxx*myy, &expectedRST, &dc); err != nil {
					return err
				}
			}
		} // for mx
	} // for my

	return nil
}

// restart handles the end of MCU number mcu (counting from 1) of total: at
// each restart interval it expects the next RST marker and resets the
// entropy decoder's state.
func (d *decoder) restart(mcu, total int, expectedRST *uint8, dc *[maxComponents]int32) error {
	if d.ri == 0 || mcu%d.ri != 0 || mcu >= total {
		return nil
	}
	// For well-formed input, the RST[0-7] restart marker follows
	// immediately. For corrupt input, call findRST to try to
	// resynchronize.
	if err := d.readFull(d.tmp[:2]); err != nil {
		return err
	} else if d.tmp[0] != 0xff || d.tmp[1] != *expectedRST {
		if err := d.findRST(*expectedRST); err != nil {
			return err
		}
	}
	*expectedRST++
	if *expectedRST == rst7Marker+1 {
		*expectedRST = rst0Marker
	}
	// Reset the Huffman decoder.
	d.bits = bits{}
	// Reset the DC components, as per section F.2.1.3.1.
	*dc = [maxComponents]int32{}
	// Reset the progressive decoder state, as per section G.1.2.2.
	d.eobRun = 0
	return nil
}

// coef is the type of a block's coefficients: int32 for a block about to be
// reconstructed, int16 for one saved between progressive scans.
type coef interface{ ~int16 | ~int32 }

// coeffs is one block's quantized coefficients kept between progressive
// scans, as 16 bits like libjpeg's JCOEF (image/jpeg keeps 32: twice the
// memory, 144 MB for a 24 MP photo). Valid 8-bit JPEG coefficients fit;
// corrupt input may wrap, which changes only what garbage decodes to.
type coeffs [blockSize]int16

// unitQuant leaves coefficients as they are (progressive scans).
var unitQuant = func() (q block) {
	for i := range q {
		q[i] = 1
	}
	return q
}()

// decodeBlock decodes one block's part of a scan into b, each coefficient
// multiplied by its entry of q (the natural-order quantization table for a
// sequential block, unitQuant for a progressive one, whose coefficients are
// refined by later scans before being dequantized): the DC coefficient
// (its running predictor in dc) and AC coefficients zigStart..zigEnd, or
// their refinement when ah != 0. It reports whether any AC coefficient was
// set in a first pass (for the DC-only shortcut of sequential blocks).
func decodeBlock[T coef](d *decoder, b *[blockSize]T, q *block, dc *int32, dcTab, acTab *huffman, zigStart, zigEnd int32, ah, al uint32) (acSet bool, err error) {
	if ah != 0 {
		return false, refine(d, b, acTab, zigStart, zigEnd, 1<<al)
	}
	zig := zigStart
	if zig == 0 {
		zig++
		// Decode the DC coefficient, as specified in section F.2.2.1.
		value, err := d.decodeHuffman(dcTab)
		if err != nil {
			return false, err
		}
		if value > 16 {
			return false, UnsupportedError("excessive DC component")
		}
		dcDelta, err := d.receiveExtend(value)
		if err != nil {
			return false, err
		}
		*dc += dcDelta
		b[0] = T((*dc << al) * q[0])
	}
	if zig <= zigEnd && d.eobRun > 0 {
		d.eobRun--
		return false, nil
	}
	// Decode the AC coefficients, as specified in section F.2.2.2.
	return decodeAC(d, b, q, acTab, zig, zigEnd, al)
}

// decodeAC decodes the AC coefficients zig..zigEnd of one block into b
// (natural order, shifted left by al), as specified in section F.2.2.2 and,
// for a progressive scan's first pass over a band, G.1.2.2. The bit buffer
// lives in locals in the loop, and a code with its magnitude bits is decoded
// by one look-up in h.fastAC when they fit.
func decodeAC[T coef](d *decoder, b *[blockSize]T, q *block, h *huffman, zig, zigEnd int32, al uint32) (set bool, err error) {
	a, n := d.bits.a, d.bits.n
	for ; zig <= zigEnd; zig++ {
		if n < 25 { // room for a 9-bit code and 15 magnitude bits
			d.bits.a, d.bits.n = a, n
			d.fillBits() // a shortfall is reported by decodeHuffman below
			a, n = d.bits.a, d.bits.n
		}
		if n >= lutSize {
			peek := (a >> (n - lutSize)) & (1<<lutSize - 1)
			if f := h.fastAC[peek]; f != 0 {
				zig += (f >> 8) & 0x0f
				if zig > zigEnd {
					n -= uint(f>>4) & 0x0f // the code only, as below
					break
				}
				n -= uint(f) & 0x0f
				k := unzig[zig&63] & 63
				b[k] = T(((f >> 16) << al) * q[k])
				set = true
				continue
			}
			// Second fast path: a short code whose magnitude bits did not
			// fit in the fast table, while the buffer holds them all.
			if v := h.lut[peek]; v != 0 {
				codeLen, size := uint(v&0xff), uint(v>>8)&0x0f
				if size != 0 && codeLen+size <= n {
					zig += int32(v >> 12)
					if zig > zigEnd {
						n -= codeLen
						break
					}
					n -= codeLen + size
					x := int32(a>>n) & (1<<size - 1)
					if x < 1<<(size-1) {
						x += (-1 << size) + 1
					}
					k := unzig[zig&63] & 63
					b[k] = T((x << al) * q[k])
					set = true
					continue
				}
			}
		}
		d.bits.a, d.bits.n = a, n
		value, err := d.decodeHuffman(h)
		if err != nil {
			return set, err
		}
		val0 := value >> 4
		val1 := value & 0x0f
		if val1 != 0 {
			zig += int32(val0)
			if zig > zigEnd {
				a, n = d.bits.a, d.bits.n
				break
			}
			ac, err := d.receiveExtend(val1)
			if err != nil {
				return set, err
			}
			k := unzig[zig&63] & 63
			b[k] = T((ac << al) * q[k])
			set = true
		} else {
			if val0 != 0x0f {
				d.eobRun = uint16(1 << val0)
				if val0 != 0 {
					bits, err := d.decodeBits(int32(val0))
					if err != nil {
						return set, err
					}
					d.eobRun |= uint16(bits)
				}
				d.eobRun--
				return set, nil
			}
			zig += 0x0f
		}
		a, n = d.bits.a, d.bits.n
	}
	d.bits.a, d.bits.n = a, n
	return set, nil
}

// refine decodes a successive approximation refinement block, as specified in
// section G.1.2.
func refine[T coef](d *decoder, b *[blockSize]T, h *huffman, zigStart, zigEnd, delta int32) error {
	// Refining a DC component is trivial.
	if zigStart == 0 {
		if zigEnd != 0 {
			panic("unreachable")
		}
		bit, err := d.decodeBit()
		if err != nil {
			return err
		}
		if bit {
			b[0] |= T(delta)
		}
		return nil
	}

	// Refining AC components is more complicated; see sections G.1.2.2 and G.1.2.3.
	zig := zigStart
	if d.eobRun == 0 {
	loop:
		for ; zig <= zigEnd; zig++ {
			z := int32(0)
			value, err := d.decodeHuffman(h)
			if err != nil {
				return err
			}
			val0 := value >> 4
			val1 := value & 0x0f

			switch val1 {
			case 0:
				if val0 != 0x0f {
					d.eobRun = uint16(1 << val0)
					if val0 != 0 {
						bits, err := d.decodeBits(int32(val0))
						if err != nil {
							return err
						}
						d.eobRun |= uint16(bits)
					}
					break loop
				}
			case 1:
				z = delta
				bit, err := d.decodeBit()
				if err != nil {
					return err
				}
				if !bit {
					z = -z
				}
			default:
				return FormatError("unexpected Huffman code")
			}

			zig, err = refineNonZeroes(d, b, zig, zigEnd, int32(val0), delta)
			if err != nil {
				return err
			}
			if zig > zigEnd {
				return FormatError("too many coefficients")
			}
			if z != 0 {
				b[unzig[zig]] = T(z)
			}
		}
	}
	if d.eobRun > 0 {
		d.eobRun--
		if _, err := refineNonZeroes(d, b, zig, zigEnd, -1, delta); err != nil {
			return err
		}
	}
	return nil
}

// refineNonZeroes refines non-zero entries of b in zig-zag order. If nz >= 0,
// the first nz zero entries are skipped over.
func refineNonZeroes[T coef](d *decoder, b *[blockSize]T, zig, zigEnd, nz, delta int32) (int32, error) {
	for ; zig <= zigEnd; zig++ {
		u := unzig[zig]
		if b[u] == 0 {
			if nz == 0 {
				break
			}
			nz--
			continue
		}
		bit, err := d.decodeBit()
		if err != nil {
			return 0, err
		}
		if !bit {
			continue
		}
		if b[u] >= 0 {
			b[u] += T(delta)
		} else {
			b[u] -= T(delta)
		}
	}
	return zig, nil
}

func (d *decoder) reconstructProgressiveImage() error {
	// The h0, mxx, by and bx variables have the same meaning as in the
	// processSOS method.
	h0 := d.comp[0].h
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	for i := 0; i < d.nComp; i++ {
		if d.progCoeffs[i] == nil {
			continue
		}
		v := 8 * d.comp[0].v / d.comp[i].v
		h := 8 * d.comp[0].h / d.comp[i].h
		stride := mxx * d.comp[i].h
		for by := 0; by*v < d.height; by++ {
			for bx := 0; bx*h < d.width; bx++ {
				if !d.wantBlock(bx*h, by*v, h, v) {
					continue
				}
				var b block
				for k, v := range d.progCoeffs[i][by*stride+bx] {
					b[k] = int32(v)
				}
				if err := d.reconstructBlock(&b, false, bx, by, i, false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// reconstructBlock dequantizes, performs the inverse DCT (full or reduced,
// by d.scale) and stores the block to the image.
//
// dcOnly says that only b[0] can be non-zero, which lets a reduced transform
// fill the block with its mean (the full-size path ignores it, to stay
// identical to image/jpeg).
func (d *decoder) reconstructBlock(b *block, dequantized bool, bx, by, compIndex int, dcOnly bool) error {
	if !dequantized {
		q := &d.quantNat[d.comp[compIndex].tq]
		for k := range b {
			b[k] *= q[k]
		}
	}
	s := d.scale
	dst, stride := []byte(nil), 0
	if d.nComp == 1 {
		dst, stride = d.img1.Pix[s*(by*d.img1.Stride+bx):], d.img1.Stride
	} else {
		switch compIndex {
		case 0:
			dst, stride = d.img3.Y[s*(by*d.img3.YStride+bx):], d.img3.YStride
		case 1:
			dst, stride = d.img3.Cb[s*(by*d.img3.CStride+bx):], d.img3.CStride
		case 2:
			dst, stride = d.img3.Cr[s*(by*d.img3.CStride+bx):], d.img3.CStride
		case 3:
			dst, stride = d.blackPix[s*(by*d.blackStride+bx):], d.blackStride
		default:
			return UnsupportedError("too many components")
		}
	}
	if dcOnly && s < 8 {
		fillBlock(dst, stride, s, idct1x1(b[0]))
		return nil
	}
	switch s {
	case 1:
		// DC only: the block's mean.
		dst[0] = idct1x1(b[0])
		return nil
	case 2:
		idct2x2(b, dst, stride)
		return nil
	case 4:
		idct4x4(b, dst, stride)
		return nil
	}
	idct(b)
	// Level shift by +128, clip to [0, 255], and write to dst.
	for y := 0; y < 8; y++ {
		y8 := y * 8
		yStride := y * stride
		for x := 0; x < 8; x++ {
			c := b[y8+x]
			if c < -128 {
				c = 0
			} else if c > 127 {
				c = 255
			} else {
				c += 128
			}
			dst[yStride+x] = uint8(c)
		}
	}
	return nil
}

// findRST advances past the next RST restart marker that matches expectedRST.
// Other than I/O errors, it is also an error if we encounter an {0xFF, M}
// two-byte marker sequence where M is not 0x00, 0xFF or the expectedRST.
//
// This is similar to libjpeg's jdmarker.c's next_marker function.
// https://github.com/libjpeg-turbo/libjpeg-turbo/blob/2dfe6c0fe9e18671105e94f7cbf044d4a1d157e6/jdmarker.c#L892-L935
//
// Precondition: d.tmp[:2] holds the next two bytes of JPEG-encoded input
// (input in the d.readFull sense).
func (d *decoder) findRST(expectedRST uint8) error {
	for {
		// i is the index such that, at the bottom of the loop, we read 2-i
		// bytes into d.tmp[i:2], maintaining the invariant that d.tmp[:2]
		// holds the next two bytes of JPEG-encoded input. It is either 0 or 1,
		// so that each iteration advances by 1 or 2 bytes (or returns).
		i := 0

		if d.tmp[0] == 0xff {
			if d.tmp[1] == expectedRST {
				return nil
			} else if d.tmp[1] == 0xff {
				i = 1
			} else if d.tmp[1] != 0x00 {
				// libjpeg's jdmarker.c's jpeg_resync_to_restart does something
				// fancy here, treating RST markers within two (modulo 8) of
				// expectedRST differently from RST markers that are 'more
				// distant'. Until we see evidence that recovering from such
				// cases is frequent enough to be worth the complexity, we take
				// a simpler approach for now. Any marker that's not 0x00, 0xff
				// or expectedRST is a fatal FormatError.
				return FormatError("bad RST marker")
			}

		} else if d.tmp[1] == 0xff {
			d.tmp[0] = 0xff
			i = 1
		}

		if err := d.readFull(d.tmp[i:2]); err != nil {
			return err
		}
	}
}
