package jpegscale

// The sequential (baseline and extended) scan loop: the hot path of a
// phone photo's decode. It does what processSOS's general loop does for a
// progressive scan, with what each component needs worked out once per
// scan instead of once per block, the block's entropy decoding in one
// function that keeps the bit buffer in registers (decodeSeqBlock), and
// the reduced inverse DCT written straight to the component's plane.

// seqComp is one component of a sequential scan.
type seqComp struct {
	ci           int      // index into d.comp
	hi, vi       int      // blocks per MCU, across and down
	n            int      // hi * vi
	bw, bh       int      // full-size pixels per block, across and down
	q            *block   // natural-order quantization table
	dcTab, acTab *huffman // the scan's tables for this component
	pix          []byte   // the plane the component's blocks are written to
	stride       int
}

// seqComponents works out the per-component constants of a sequential
// scan's components.
func (d *decoder) seqComponents(compIndex, td, ta []uint8) ([maxComponents]seqComp, error) {
	var cs [maxComponents]seqComp
	h0, v0 := d.comp[0].h, d.comp[0].v
	for i, ci := range compIndex {
		c := &d.comp[ci]
		s := &cs[i]
		s.ci = int(ci)
		s.hi, s.vi = c.h, c.v
		s.n = c.h * c.v
		s.bw, s.bh = 8*h0/c.h, 8*v0/c.v
		s.q = &d.quantNat[c.tq]
		s.dcTab = &d.huff[dcTable][td[i]]
		s.acTab = &d.huff[acTable][ta[i]]
		if d.nComp == 1 {
			s.pix, s.stride = d.img1.Pix, d.img1.Stride
			continue
		}
		switch ci {
		case 0:
			s.pix, s.stride = d.img3.Y, d.img3.YStride
		case 1:
			s.pix, s.stride = d.img3.Cb, d.img3.CStride
		case 2:
			s.pix, s.stride = d.img3.Cr, d.img3.CStride
		case 3:
			s.pix, s.stride = d.blackPix, d.blackStride
		default:
			return cs, UnsupportedError("too many components")
		}
	}
	return cs, nil
}

// decodeSequentialScan decodes the entropy-coded data of a sequential scan
// of the components cs (MCU grid mxx x myy) and reconstructs its blocks,
// stopping before MCU row stopRow (d.regionDone) when that is above myy.
func (d *decoder) decodeSequentialScan(cs []seqComp, mxx, myy, stopRow, nonInterleavedUnits int) error {
	nComp := len(cs)
	mcu, expectedRST := 0, uint8(rst0Marker)
	var (
		// b is the decoded coefficients, in natural (not zig-zag) order;
		// zero between blocks.
		b  block
		dc [maxComponents]int32
	)
	s := d.scale
	whole := d.region.Empty()
	blockCount := 0
	d.startIndex(nComp, mxx, myy)
	rec := d.rec != nil
	// With an Index of this file, only the region's MCUs are decoded: each
	// of its MCU rows from the checkpoint at or left of its first MCU.
	seek := !whole && d.canSeek(nComp, mxx, myy)
	my0, mx0, mx1 := 0, 0, mxx
	if seek {
		h0, v0 := d.comp[0].h, d.comp[0].v
		my0 = min(d.region.Min.Y/(8*v0), myy)
		mx0 = min(d.region.Min.X/(8*h0), mxx) / indexEvery * indexEvery
		mx1 = min((d.region.Max.X+8*h0-1)/(8*h0), mxx)
	}
	for my := my0; my < myy; my++ {
		if my == stopRow {
			d.regionDone = true
			return nil
		}
		if seek {
			if mx0 >= mx1 {
				continue
			}
			if err := d.resume(mx0, my, &expectedRST, &dc); err != nil {
				return err
			}
		}
		for mx := mx0; mx < mx1; mx++ {
			if rec && mx%indexEvery == 0 {
				d.mark(mx, my, expectedRST, &dc)
			}
			for i := range cs {
				c := &cs[i]
				for j := 0; j < c.n; j++ {
					// The blocks of an MCU in an interleaved scan, or one
					// block per data unit inside the image in a
					// non-interleaved one (see processSOS).
					var bx, by int
					if nComp != 1 {
						bx, by = c.hi*mx, c.vi*my
						if c.n > 1 {
							bx += j % c.hi
							by += j / c.hi
						}
					} else {
						q := mxx * c.hi
						bx, by = blockCount%q, blockCount/q
						blockCount++
						if bx*8 >= d.width || by*8 >= d.height {
							continue
						}
					}
					end, err := d.decodeSeqBlock(&b, c, &dc[c.ci])
					if err != nil {
						return err
					}
					if whole || d.wantBlock(bx*c.bw, by*c.bh, c.bw, c.bh) {
						if s == 8 {
							if err := d.reconstructBlock(&b, true, bx, by, c.ci, end == 1); err != nil {
								return err
							}
						} else {
							dst := c.pix[s*(by*c.stride+bx):]
							switch {
							case end == 1 && s == 2:
								v := idct1x1(b[0])
								_ = dst[c.stride+1]
								dst[0], dst[1], dst[c.stride], dst[c.stride+1] = v, v, v, v
							case end == 1:
								fillBlock(dst, c.stride, s, idct1x1(b[0]))
							case s == 2 && end <= 6:
								// Zig-zag 1..5 are (1, 8, 16, 9, 2) in
								// natural order, of which the 2x2
								// transform reads 1, 8 and 9.
								idct2x2Low(b[0], b[1], b[8], b[9], dst, c.stride)
							case s == 2:
								idct2x2(&b, dst, c.stride)
							case s == 4 && end <= 3:
								// Zig-zag 1 and 2 are 1 and 8.
								idct4x4Low(b[0], b[1], b[8], dst, c.stride)
							case s == 4:
								idct4x4(&b, dst, c.stride)
							default:
								dst[0] = idct1x1(b[0])
							}
						}
					}
					switch {
					case end == 1 && s != 8:
						b[0] = 0
					case end <= 6 && s != 8:
						b[0], b[1], b[8], b[16], b[9], b[2] = 0, 0, 0, 0, 0, 0
					default:
						b = block{}
					}
					if nComp == 1 {
						mcu++
						if err := d.restart(mcu, nonInterleavedUnits, &expectedRST, &dc); err != nil {
							return err
						}
					}
				}
			}
			if nComp != 1 {
				mcu = my*mxx + mx + 1
				if d.ri != 0 {
					if err := d.restart(mcu, mxx*myy, &expectedRST, &dc); err != nil {
						return err
					}
				}
			}
		}
	}
	if seek {
		// The reader stands inside the scan: nothing after it is read.
		d.regionDone = true
	}
	if rec {
		d.rec.done = true
	}
	return nil
}

// fillBlock sets the s x s pixels at dst to v.
func fillBlock(dst []byte, stride, s int, v uint8) {
	for y := 0; y < s; y++ {
		row := dst[y*stride : y*stride+s]
		for x := range row {
			row[x] = v
		}
	}
}

// decodeSeqBlock decodes one block of a sequential scan into b (which must
// be zero): the DC coefficient (its predictor in dc) and the AC
// coefficients, dequantized by q, in natural order. It returns end, one
// past the zig-zag index of the last coefficient set (1: DC only; every
// coefficient from end on is zero). Codes whose value and magnitude bits are in the
// bit buffer are decoded here by table look-up; anything else (a long code,
// the end of the data, a corrupt stream) goes to the general decodeBlock
// or decodeAC from where it is, so the result is theirs bit for bit.
func (d *decoder) decodeSeqBlock(b *block, c *seqComp, dc *int32) (end int32, err error) {
	q, dcTab, acTab := c.q, c.dcTab, c.acTab
	if d.eobRun > 0 {
		// Only a corrupt sequential scan has an end-of-band run.
		_, err := decodeBlock(d, (*[blockSize]int32)(b), q, dc, dcTab, acTab, 0, blockSize-1, 0, 0)
		return blockSize, err
	}
	a, n := d.bits.a, d.bits.n
	if n < 32 {
		d.fillBits() // a shortfall is reported by the general paths
		a, n = d.bits.a, d.bits.n
	}
	// The DC coefficient: a code of at most lutSize bits for its magnitude
	// size t, then t bits.
	dcDone := false
	if n >= lutSize {
		v := dcTab.lut[(a>>(n-lutSize))&(1<<lutSize-1)]
		codeLen, t := uint(v&0xff), uint(v>>8)
		if v != 0 && t <= 16 && codeLen+t <= n {
			n -= codeLen + t
			s := int32(1) << t
			x := int32(a>>n) & (s - 1)
			if x < s>>1 {
				x += -s + 1
			}
			*dc += x
			b[0] = *dc * q[0]
			dcDone = true
		}
	}
	if !dcDone {
		d.bits.a, d.bits.n = a, n
		value, err := d.decodeHuffman(dcTab)
		if err != nil {
			return 0, err
		}
		if value > 16 {
			return 0, UnsupportedError("excessive DC component")
		}
		x, err := d.receiveExtend(value)
		if err != nil {
			return 0, err
		}
		*dc += x
		b[0] = *dc * q[0]
		a, n = d.bits.a, d.bits.n
	}
	// The AC coefficients, as decodeAC decodes them.
	end = 1
	for zig := int32(1); zig < blockSize; zig++ {
		if n < 25 { // room for a 9-bit code and 15 magnitude bits
			d.bits.a, d.bits.n = a, n
			d.fillBits()
			a, n = d.bits.a, d.bits.n
		}
		if n >= lutSize {
			peek := (a >> (n - lutSize)) & (1<<lutSize - 1)
			if f := acTab.fastAC[peek]; f != 0 {
				zig += (f >> 8) & 0x0f
				if zig >= blockSize {
					n -= uint(f>>4) & 0x0f // the code only, as decodeAC
					break
				}
				n -= uint(f) & 0x0f
				k := unzig[zig&63] & 63
				b[k] = (f >> 16) * q[k]
				end = zig + 1
				continue
			}
			if v := acTab.lut[peek]; v != 0 {
				codeLen, size, run := uint(v&0xff), uint(v>>8)&0x0f, int32(v>>12)
				if size == 0 {
					if run == 0 { // end of block
						n -= codeLen
						break
					}
					if run == 0x0f { // sixteen zeros
						n -= codeLen
						zig += 0x0f
						continue
					}
					// An end-of-band run: not in a valid sequential
					// scan; decodeAC handles it.
				} else if codeLen+size <= n {
					zig += run
					if zig >= blockSize {
						n -= codeLen
						break
					}
					n -= codeLen + size
					s := int32(1) << size
					x := int32(a>>n) & (s - 1)
					if x < s>>1 {
						x += -s + 1
					}
					k := unzig[zig&63] & 63
					b[k] = x * q[k]
					end = zig + 1
					continue
				}
			}
		}
		d.bits.a, d.bits.n = a, n
		_, err := decodeAC(d, (*[blockSize]int32)(b), q, acTab, zig, blockSize-1, 0)
		return blockSize, err
	}
	d.bits.a, d.bits.n = a, n
	return end, nil
}
