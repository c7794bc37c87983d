package imageprep

import (
	"encoding/binary"
	"errors"
	"io"
)

// This file reads a HEIF/HEIC file's header boxes: the primary item's
// image size ('ispe') and its display transforms ('irot', 'imir'). The
// decoder (libheif) applies those transforms itself, so headshot reports
// the oriented size and does not rotate HEIC pixels again.

var errHeifHeader = errors.New("no primary image size in the HEIF header")

// heifInfo is what the header says about the primary image.
type heifInfo struct {
	width, height int // stored size (before irot/imir)
	rotation      int // irot: anticlockwise quarter turns, 0..3
	mirror        int // imir: -1 none, 0 vertical axis (left-right), 1 horizontal axis
	clapW, clapH  int // clean-aperture size (0: none)
}

// roundFraction rounds n/d the way libheif does; 0 for a zero denominator.
func roundFraction(n, d uint32) int {
	if d == 0 || int32(n) <= 0 || int32(d) < 0 {
		return 0
	}
	return int((int64(int32(n)) + int64(d)/2) / int64(d))
}

// maxHeifMeta bounds the 'meta' box read into memory.
const maxHeifMeta = 4 << 20

// readHeifInfo finds the top-level 'meta' box and parses it.
func readHeifInfo(ra io.ReaderAt, size int64) (heifInfo, error) {
	off := int64(0)
	var h [16]byte
	for i := 0; i < 64 && off+8 <= size; i++ {
		if _, err := ra.ReadAt(h[:8], off); err != nil {
			return heifInfo{}, io.ErrUnexpectedEOF
		}
		n := int64(binary.BigEndian.Uint32(h[0:4]))
		hdr := int64(8)
		if n == 1 {
			if _, err := ra.ReadAt(h[8:16], off+8); err != nil {
				return heifInfo{}, io.ErrUnexpectedEOF
			}
			n = int64(binary.BigEndian.Uint64(h[8:16]))
			hdr = 16
		} else if n == 0 {
			n = size - off
		}
		if n < hdr {
			return heifInfo{}, errHeifHeader
		}
		if string(h[4:8]) == "meta" {
			if n > maxHeifMeta {
				return heifInfo{}, errors.New("HEIF metadata box too large")
			}
			if off+n > size {
				return heifInfo{}, io.ErrUnexpectedEOF
			}
			buf := make([]byte, n-hdr)
			if _, err := ra.ReadAt(buf, off+hdr); err != nil {
				return heifInfo{}, io.ErrUnexpectedEOF
			}
			return parseHeifMeta(buf)
		}
		off += n
	}
	return heifInfo{}, errHeifHeader
}

// box is one ISO BMFF box inside a parsed buffer.
type box struct {
	typ  string
	body []byte
}

// boxes splits b into child boxes; a malformed tail ends the list.
func boxes(b []byte) []box {
	var out []box
	for len(b) >= 8 && len(out) < 4096 {
		n := uint64(binary.BigEndian.Uint32(b[0:4]))
		hdr := uint64(8)
		if n == 1 {
			if len(b) < 16 {
				break
			}
			n = binary.BigEndian.Uint64(b[8:16])
			hdr = 16
		} else if n == 0 {
			n = uint64(len(b))
		}
		if n < hdr || n > uint64(len(b)) {
			break
		}
		out = append(out, box{typ: string(b[4:8]), body: b[hdr:n]})
		b = b[n:]
	}
	return out
}

func find(bs []box, typ string) []byte {
	for _, b := range bs {
		if b.typ == typ {
			return b.body
		}
	}
	return nil
}

// parseHeifMeta reads pitm, iprp/ipco and iprp/ipma from a 'meta' body.
func parseHeifMeta(meta []byte) (heifInfo, error) {
	if len(meta) < 4 {
		return heifInfo{}, errHeifHeader
	}
	children := boxes(meta[4:]) // FullBox: version+flags first
	primary := uint32(0)
	hasPrimary := false
	if p := find(children, "pitm"); len(p) >= 6 {
		if p[0] == 0 {
			primary, hasPrimary = uint32(binary.BigEndian.Uint16(p[4:6])), true
		} else if len(p) >= 8 {
			primary, hasPrimary = binary.BigEndian.Uint32(p[4:8]), true
		}
	}
	iprp := find(children, "iprp")
	if iprp == nil {
		return heifInfo{}, errHeifHeader
	}
	ip := boxes(iprp)
	props := boxes(find(ip, "ipco"))
	assoc := parseIpma(find(ip, "ipma"))
	var idx []int
	if hasPrimary {
		idx = assoc[primary]
	}
	info := heifInfo{mirror: -1}
	found := false
	use := func(p box) {
		switch p.typ {
		case "ispe":
			if len(p.body) >= 12 && !found {
				info.width = int(binary.BigEndian.Uint32(p.body[4:8]))
				info.height = int(binary.BigEndian.Uint32(p.body[8:12]))
				found = true
			}
		case "irot":
			if len(p.body) >= 1 {
				info.rotation = int(p.body[0] & 3)
			}
		case "imir":
			if len(p.body) >= 1 {
				info.mirror = int(p.body[0] & 1)
			}
		case "clap":
			// Clean aperture: libheif crops to it before rotating.
			if len(p.body) >= 16 {
				info.clapW = roundFraction(binary.BigEndian.Uint32(p.body[0:4]), binary.BigEndian.Uint32(p.body[4:8]))
				info.clapH = roundFraction(binary.BigEndian.Uint32(p.body[8:12]), binary.BigEndian.Uint32(p.body[12:16]))
			}
		}
	}
	if len(idx) > 0 {
		for _, i := range idx {
			if i >= 1 && i <= len(props) {
				use(props[i-1])
			}
		}
	} else {
		// No association table for the primary item: take the first size.
		for _, p := range props {
			if p.typ == "ispe" {
				use(p)
				break
			}
		}
	}
	if !found || info.width <= 0 || info.height <= 0 {
		return heifInfo{}, errHeifHeader
	}
	return info, nil
}

// parseIpma maps item IDs to their 1-based property indices.
func parseIpma(b []byte) map[uint32][]int {
	out := map[uint32][]int{}
	if len(b) < 8 {
		return out
	}
	version, flags := b[0], b[3]
	n := binary.BigEndian.Uint32(b[4:8])
	p := b[8:]
	for i := uint32(0); i < n && len(out) < 1<<16; i++ {
		var id uint32
		if version < 1 {
			if len(p) < 2 {
				return out
			}
			id, p = uint32(binary.BigEndian.Uint16(p)), p[2:]
		} else {
			if len(p) < 4 {
				return out
			}
			id, p = binary.BigEndian.Uint32(p), p[4:]
		}
		if len(p) < 1 {
			return out
		}
		cnt := int(p[0])
		p = p[1:]
		for j := 0; j < cnt; j++ {
			var v int
			if flags&1 != 0 {
				if len(p) < 2 {
					return out
				}
				v, p = int(binary.BigEndian.Uint16(p)&0x7fff), p[2:]
			} else {
				if len(p) < 1 {
					return out
				}
				v, p = int(p[0]&0x7f), p[1:]
			}
			out[id] = append(out[id], v)
		}
	}
	return out
}

// exifOrientation is the EXIF orientation equivalent to the HEIF
// transforms (informational: libheif applies them when decoding).
func (h heifInfo) exifOrientation() int {
	// irot is anticlockwise: 1 quarter turn anticlockwise = EXIF 8.
	rot := [4]int{1, 8, 3, 6}[h.rotation]
	if h.mirror < 0 {
		return rot
	}
	// Mirror first about the vertical axis (left-right), then rotate.
	mir := map[int]int{1: 2, 8: 5, 3: 4, 6: 7}[rot]
	if h.mirror == 1 { // horizontal axis = top-bottom flip = left-right flip + half turn
		mir = map[int]int{2: 4, 5: 7, 4: 2, 7: 5}[mir]
	}
	return mir
}

// orientedSize is the displayed size after the transforms: the clean
// aperture (when it is inside the image), then the rotation.
func (h heifInfo) orientedSize() (int, int) {
	w, ht := h.width, h.height
	if h.clapW > 0 && h.clapH > 0 && h.clapW <= w && h.clapH <= ht {
		w, ht = h.clapW, h.clapH
	}
	if h.rotation%2 == 1 {
		return ht, w
	}
	return w, ht
}
