package jpegscale

import (
	"bytes"
	"image"
	"io"
	"unsafe"
)

// An Index lets a later decode of the same file jump to a part of it: a
// sequential JPEG's entropy-coded data can only be read from the start (or
// a restart marker), so a finer decode of one region would otherwise
// Huffman-decode every MCU above it and beside it again. While a first
// decode reads the scan it records, every indexEvery MCUs of each MCU
// row, where the data stands: the byte offset, the bit buffer, the DC
// predictors and the next restart marker. DecodeRegionIndexed restores
// them at the region's first MCU of each row and decodes only the
// region's MCUs: the same coefficients, so the same pixels, as
// DecodeRegion's.
//
// Only files with one interleaved sequential scan of all their components
// (a phone's baseline JPEG) get an Index.
type Index struct {
	mxx, myy int // MCU grid
	per      int // checkpoints per MCU row
	cps      []checkpoint
	done     bool // every MCU row recorded
}

// checkpoint is the decoder's state at the start of one MCU.
type checkpoint struct {
	off int64  // file offset of the next unread byte
	a   uint64 // bit buffer
	n   uint8  // bits in a
	rst uint8  // the restart marker expected next
	dc  [3]int32
}

// indexEvery is the MCU columns between checkpoints: 64 full-size pixels
// of a 4:2:0 photo, one checkpoint (32 bytes) per 16 x 64 pixels (0.4 MB for 12 MP).
const indexEvery = 4

// Bytes is the memory the index holds.
func (ix *Index) Bytes() int64 {
	if ix == nil {
		return 0
	}
	return int64(cap(ix.cps)) * int64(unsafe.Sizeof(checkpoint{}))
}

// DecodeIndexed is Decode that also returns an Index of the file for
// DecodeRegionIndexed (nil when the file's structure does not allow one).
func DecodeIndexed(r io.Reader, denom int) (image.Image, *Index, error) {
	scale, err := scaleFor(denom)
	if err != nil {
		return nil, nil, err
	}
	d := decoder{scale: scale, rec: new(Index)}
	img, err := d.decode(r, false)
	if err != nil {
		return nil, nil, err
	}
	if d.rec == nil || !d.rec.done || d.scans != 1 {
		return img, nil, nil
	}
	return img, d.rec, nil
}

// DecodeRegionIndexed is DecodeRegion over the whole file's bytes, using
// ix (from DecodeIndexed on the same bytes) to decode only the MCUs that
// cover region. With ix nil it is DecodeRegion.
func DecodeRegionIndexed(data []byte, denom int, region image.Rectangle, ix *Index) (image.Image, error) {
	scale, err := scaleFor(denom)
	if err != nil {
		return nil, err
	}
	d := decoder{scale: scale, region: region.Canon()}
	if ix != nil && ix.done && !d.region.Empty() {
		d.seek, d.src = ix, data
	}
	return d.decode(bytes.NewReader(data), false)
}

// startIndex sizes d.rec for an mxx x myy scan, or drops it when this
// scan cannot be indexed (not the file's first, or not all components).
func (d *decoder) startIndex(nComp, mxx, myy int) {
	if d.rec == nil {
		return
	}
	if d.scans != 1 || nComp != d.nComp || nComp == 1 || nComp > 3 || d.progressive {
		d.rec = nil
		return
	}
	per := (mxx + indexEvery - 1) / indexEvery
	*d.rec = Index{mxx: mxx, myy: myy, per: per, cps: make([]checkpoint, per*myy)}
}

// canSeek reports whether this scan can resume from d.seek's checkpoints.
func (d *decoder) canSeek(nComp, mxx, myy int) bool {
	return d.seek != nil && d.scans == 1 && nComp == d.nComp && nComp > 1 && nComp <= 3 && !d.progressive &&
		d.seek.mxx == mxx && d.seek.myy == myy
}

// mark records the state at the start of MCU (mx, my).
func (d *decoder) mark(mx, my int, rst uint8, dc *[maxComponents]int32) {
	d.rec.cps[my*d.rec.per+mx/indexEvery] = checkpoint{
		off: d.nread - int64(d.bytes.j-d.bytes.i),
		a:   d.bits.a, n: uint8(d.bits.n), rst: rst,
		dc: [3]int32{dc[0], dc[1], dc[2]},
	}
}

// resume restores the state at the start of MCU (mx, my), mx a multiple
// of indexEvery.
func (d *decoder) resume(mx, my int, rst *uint8, dc *[maxComponents]int32) error {
	c := d.seek.cps[my*d.seek.per+mx/indexEvery]
	if c.off < 0 || c.off > int64(len(d.src)) {
		return FormatError("index does not match the file")
	}
	d.r = bytes.NewReader(d.src[c.off:])
	d.nread = c.off
	d.bytes.i, d.bytes.j = 0, 0
	d.bits = bits{a: c.a, n: uint(c.n)}
	*rst = c.rst
	*dc = [maxComponents]int32{c.dc[0], c.dc[1], c.dc[2]}
	d.eobRun = 0
	return nil
}
