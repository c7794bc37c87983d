// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegscale

import (
	"encoding/binary"
	"io"
)

// maxCodeLength is the maximum (inclusive) number of bits in a Huffman code.
const maxCodeLength = 16

// maxNCodes is the maximum (inclusive) number of codes in a Huffman tree.
const maxNCodes = 256

// lutSize is the log-2 size of the Huffman decoder's look-up tables.
// (image/jpeg uses 8; 9 bits resolve more of the AC codes, and leave room for
// a code and its magnitude bits in the fast AC table.)
const lutSize = 9

// huffman is a Huffman decoder, specified in section C.
type huffman struct {
	// length is the number of codes in the tree.
	nCodes int32
	// lut is the look-up table for the next lutSize bits in the bit-stream.
	// The high 8 bits of the uint16 are the encoded value. The low 8 bits
	// are the code length, or 0 if the code is longer than lutSize bits.
	lut [1 << lutSize]uint16
	// fastAC decodes an AC code and its coefficient together when both fit
	// in the next lutSize bits: bits 0-3 are the code length plus the
	// magnitude's size, bits 4-7 the code length, bits 8-11 the zero run,
	// and bits 16-31 the coefficient. 0 means: take the general path (the
	// code is long, the coefficient does not fit, or it is EOB/ZRL).
	fastAC [1 << lutSize]int32
	// vals are the decoded values, sorted by their encoding.
	vals [maxNCodes]uint8
	// minCodes[i] is the minimum code of length i, or -1 if there are no
	// codes of that length.
	minCodes [maxCodeLength]int32
	// maxCodes[i] is the maximum code of length i, or -1 if there are no
	// codes of that length.
	maxCodes [maxCodeLength]int32
	// valsIndices[i] is the index into vals of minCodes[i].
	valsIndices [maxCodeLength]int32
}

// errShortHuffmanData means that an unexpected EOF occurred while decoding
// Huffman data.
var errShortHuffmanData = FormatError("short Huffman data")

// fillBits moves bytes from the byte buffer into d.bits until it holds more
// than 56 bits, un-stuffing 0xff 0x00 pairs. It stops at a marker (0xff
// followed by anything but 0x00), which it leaves unread, and at the end of
// the input. It returns why it stopped short (errMissingFF00 at a marker,
// errShortHuffmanData at EOF, or a read error), which callers report only
// if they then lack the bits they need, as image/jpeg does.
func (d *decoder) fillBits() error {
	for d.bits.n <= 56 {
		i, j := d.bytes.i, d.bytes.j
		if i+8 <= j {
			// Fast path: take as many whole bytes as fit from the next eight
			// when none of them is 0xff.
			w := binary.BigEndian.Uint64(d.bytes.buf[i : i+8])
			if x := ^w; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
				k := (64 - d.bits.n) / 8
				d.bits.a = d.bits.a<<(8*k) | w>>(64-8*k)
				d.bits.n += 8 * k
				d.bytes.i = i + int(k)
				return nil
			}
		}
		if i+1 < j {
			c := d.bytes.buf[i]
			if c != 0xff {
				d.bits.a = d.bits.a<<8 | uint64(c)
				d.bits.n += 8
				d.bytes.i = i + 1
				continue
			}
			if d.bytes.buf[i+1] != 0x00 {
				return errMissingFF00
			}
			d.bits.a = d.bits.a<<8 | 0xff
			d.bits.n += 8
			d.bytes.i = i + 2
			continue
		}
		// Fewer than two bytes buffered: move the remainder to the front
		// and read more.
		rest := copy(d.bytes.buf[:], d.bytes.buf[i:j])
		d.bytes.i, d.bytes.j = 0, rest
		n, err := d.r.Read(d.bytes.buf[rest:])
		d.bytes.j += n
		d.nread += int64(n)
		if n > 0 {
			continue
		}
		if err == nil {
			continue
		}
		if rest == 1 && d.bytes.buf[0] != 0xff {
			// The last byte of the input.
			d.bits.a = d.bits.a<<8 | uint64(d.bytes.buf[0])
			d.bits.n += 8
			d.bytes.i = 1
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return errShortHuffmanData
		}
		return err
	}
	return nil
}

// ensureNBits makes d.bits hold at least n bits, or says why it cannot.
func (d *decoder) ensureNBits(n uint) error {
	err := d.fillBits()
	if d.bits.n >= n {
		return nil
	}
	if err == nil {
		err = errShortHuffmanData
	}
	return err
}

// receiveExtend is the composition of RECEIVE and EXTEND, specified in section
// F.2.2.1.
func (d *decoder) receiveExtend(t uint8) (int32, error) {
	if d.bits.n < uint(t) {
		if err := d.ensureNBits(uint(t)); err != nil {
			return 0, err
		}
	}
	d.bits.n -= uint(t)
	s := int32(1) << t
	x := int32(d.bits.a>>d.bits.n) & (s - 1)
	if x < s>>1 {
		x += ((-1) << t) + 1
	}
	return x, nil
}

// processDHT processes a Define Huffman Table marker, and initializes a huffman
// struct from its contents. Specified in section B.2.4.2.
func (d *decoder) processDHT(n int) error {
	for n > 0 {
		if n < 17 {
			return FormatError("DHT has wrong length")
		}
		if err := d.readFull(d.tmp[:17]); err != nil {
			return err
		}
		tc := d.tmp[0] >> 4
		if tc > maxTc {
			return FormatError("bad Tc value")
		}
		th := d.tmp[0] & 0x0f
		// The baseline th <= 1 restriction is specified in table B.5.
		if th > maxTh || (d.baseline && th > 1) {
			return FormatError("bad Th value")
		}
		h := &d.huff[tc][th]

		// Read nCodes and h.vals (and derive h.nCodes).
		// nCodes[i] is the number of codes with code length i.
		// h.nCodes is the total number of codes.
		h.nCodes = 0
		var nCodes [maxCodeLength]int32
		for i := range nCodes {
			nCodes[i] = int32(d.tmp[i+1])
			h.nCodes += nCodes[i]
		}
		if h.nCodes == 0 {
			return FormatError("Huffman table has zero length")
		}
		if h.nCodes > maxNCodes {
			return FormatError("Huffman table has excessive length")
		}
		n -= int(h.nCodes) + 17
		if n < 0 {
			return FormatError("DHT has wrong length")
		}
		if err := d.readFull(h.vals[:h.nCodes]); err != nil {
			return err
		}

		// Derive the look-up table: every lutSize-bit sequence that starts
		// with a code of length 1+i <= lutSize maps to that code's value.
		clear(h.lut[:])
		var x, code uint32
		for i := uint32(0); i < lutSize; i++ {
			code <<= 1
			for j := int32(0); j < nCodes[i]; j++ {
				base := code << (lutSize - 1 - i)
				lutValue := uint16(h.vals[x])<<8 | uint16(1+i)
				for k := uint32(0); k < 1<<(lutSize-1-i); k++ {
					// An over-subscribed (invalid) table makes code
					// overflow; wrap, as image/jpeg's 8-bit table does,
					// rather than index out of range.
					h.lut[(base|k)&(1<<lutSize-1)] = lutValue
				}
				code++
				x++
			}
		}
		h.deriveFastAC()

		// Derive minCodes, maxCodes, and valsIndices.
		var c, index int32
		for i, n := range nCodes {
			if n == 0 {
				h.minCodes[i] = -1
				h.maxCodes[i] = -1
				h.valsIndices[i] = -1
			} else {
				h.minCodes[i] = c
				h.maxCodes[i] = c + n - 1
				h.valsIndices[i] = index
				c += n
				index += n
			}
			c <<= 1
		}
	}
	return nil
}

// deriveFastAC fills h.fastAC from h.lut.
func (h *huffman) deriveFastAC() {
	for i, v := range h.lut {
		h.fastAC[i] = 0
		codeLen := uint(v & 0xff)
		if codeLen == 0 {
			continue
		}
		run, size := uint(v>>12), uint(v>>8)&0x0f
		if size == 0 || codeLen+size > lutSize {
			continue
		}
		s := int32(1) << size
		k := int32(i>>(lutSize-codeLen-size)) & (s - 1)
		if k < s>>1 {
			k += ((-1) << size) + 1
		}
		h.fastAC[i] = k<<16 | int32(run)<<8 | int32(codeLen)<<4 | int32(codeLen+size)
	}
}

// decodeHuffman returns the next Huffman-coded value from the bit-stream,
// decoded according to h.
func (d *decoder) decodeHuffman(h *huffman) (uint8, error) {
	if h.nCodes == 0 {
		return 0, FormatError("uninitialized Huffman table")
	}
	var err error
	if d.bits.n < 16 {
		err = d.fillBits()
	}
	if d.bits.n >= lutSize {
		if v := h.lut[(d.bits.a>>(d.bits.n-lutSize))&(1<<lutSize-1)]; v != 0 {
			d.bits.n -= uint(v & 0xff)
			return uint8(v >> 8), nil
		}
	} else if d.bits.n > 0 {
		// Near the end of the data: look the remaining bits up padded with
		// zeros, and accept a code no longer than what is there.
		if v := h.lut[(d.bits.a<<(lutSize-d.bits.n))&(1<<lutSize-1)]; v != 0 && uint(v&0xff) <= d.bits.n {
			d.bits.n -= uint(v & 0xff)
			return uint8(v >> 8), nil
		}
	}

	// Codes longer than lutSize bits, or too few bits left for the table.
	for i, code := 0, int32(0); i < maxCodeLength; i++ {
		if d.bits.n == 0 {
			if err == nil {
				err = errShortHuffmanData
			}
			return 0, err
		}
		d.bits.n--
		code |= int32(d.bits.a>>d.bits.n) & 1
		if code <= h.maxCodes[i] {
			return h.vals[h.valsIndices[i]+code-h.minCodes[i]], nil
		}
		code <<= 1
	}
	return 0, FormatError("bad Huffman code")
}

func (d *decoder) decodeBit() (bool, error) {
	if d.bits.n == 0 {
		if err := d.ensureNBits(1); err != nil {
			return false, err
		}
	}
	d.bits.n--
	return (d.bits.a>>d.bits.n)&1 != 0, nil
}

func (d *decoder) decodeBits(n int32) (uint32, error) {
	if d.bits.n < uint(n) {
		if err := d.ensureNBits(uint(n)); err != nil {
			return 0, err
		}
	}
	d.bits.n -= uint(n)
	ret := uint32(d.bits.a >> d.bits.n)
	ret &= (1 << uint32(n)) - 1
	return ret, nil
}
