package imageprep

import (
	"encoding/binary"
	"io"
)

// This file reads the one EXIF field headshot needs, Orientation (tag
// 0x0112 in IFD0), from a TIFF-structured block: a JPEG APP1 "Exif"
// segment, a WebP EXIF chunk, a PNG eXIf chunk or a TIFF file itself.
// Every read is bounds-checked; anything malformed means "no orientation"
// (1), never an error: orientation is a hint, the pixels are what matter.

const tagOrientation = 0x0112

// maxExifIFDEntries bounds the IFD0 walk on hostile input.
const maxExifIFDEntries = 1024

// tiffOrientation reads the Orientation tag from a TIFF structure of size
// bytes starting at offset 0 of ra. It returns 1 when absent or invalid.
func tiffOrientation(ra io.ReaderAt, size int64) int {
	var hdr [8]byte
	if size < 8 {
		return 1
	}
	if _, err := ra.ReadAt(hdr[:], 0); err != nil {
		return 1
	}
	var bo binary.ByteOrder
	switch string(hdr[0:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int64(bo.Uint32(hdr[4:8]))
	if ifd < 8 || ifd+2 > size {
		return 1
	}
	var cnt [2]byte
	if _, err := ra.ReadAt(cnt[:], ifd); err != nil {
		return 1
	}
	n := int64(bo.Uint16(cnt[:]))
	if n > maxExifIFDEntries {
		n = maxExifIFDEntries
	}
	var e [12]byte
	for i := int64(0); i < n; i++ {
		off := ifd + 2 + 12*i
		if off+12 > size {
			return 1
		}
		if _, err := ra.ReadAt(e[:], off); err != nil {
			return 1
		}
		if bo.Uint16(e[0:2]) != tagOrientation {
			continue
		}
		typ, count := bo.Uint16(e[2:4]), bo.Uint32(e[4:8])
		var v int
		switch {
		case typ == 3 && count >= 1: // SHORT, stored left-justified in the value field
			v = int(bo.Uint16(e[8:10]))
		case typ == 4 && count >= 1: // LONG (seen in the wild)
			v = int(bo.Uint32(e[8:12]))
		case typ == 1 && count >= 1: // BYTE
			v = int(e[8])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return v
	}
	return 1
}

// exifBlockOrientation reads Orientation from an EXIF payload that may
// start with the "Exif\0\0" identifier (JPEG APP1, some WebP writers) or
// directly with the TIFF header (PNG eXIf, most WebP writers).
func exifBlockOrientation(b []byte) int {
	if len(b) >= 6 && string(b[:6]) == "Exif\x00\x00" {
		b = b[6:]
	}
	return tiffOrientation(bytesReaderAt(b), int64(len(b)))
}

// bytesReaderAt is a minimal io.ReaderAt over a byte slice.
type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// maxExifBytes bounds how much of an EXIF segment or chunk is read.
const maxExifBytes = 1 << 20

// jpegOrientation walks a JPEG's marker segments up to the first frame or
// scan header and reads Orientation from the first APP1 Exif segment.
func jpegOrientation(ra io.ReaderAt, size int64) int {
	off := int64(2) // after SOI
	var m [4]byte
	for seg := 0; seg < 256 && off+4 <= size; seg++ {
		if _, err := ra.ReadAt(m[:], off); err != nil {
			return 1
		}
		if m[0] != 0xFF {
			return 1
		}
		if m[1] == 0xFF { // fill byte
			off++
			continue
		}
		marker := m[1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			off += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
			return 1 // scan, end, or frame header: EXIF comes before these
		}
		n := int64(binary.BigEndian.Uint16(m[2:4]))
		if n < 2 {
			return 1
		}
		if marker == 0xE1 && n >= 8 {
			l := n - 2
			if l > maxExifBytes {
				l = maxExifBytes
			}
			if off+4+l > size {
				l = size - off - 4
			}
			buf := make([]byte, l)
			if _, err := ra.ReadAt(buf, off+4); err == nil || err == io.EOF {
				if len(buf) >= 6 && string(buf[:6]) == "Exif\x00\x00" {
					return exifBlockOrientation(buf)
				}
			}
		}
		off += 2 + n
	}
	return 1
}

// webpOrientation reads Orientation from a WebP's EXIF chunk (extended
// format only).
func webpOrientation(ra io.ReaderAt, size int64) int {
	off := int64(12)
	var h [8]byte
	for i := 0; i < 64 && off+8 <= size; i++ {
		if _, err := ra.ReadAt(h[:], off); err != nil {
			return 1
		}
		n := int64(binary.LittleEndian.Uint32(h[4:8]))
		if string(h[:4]) == "EXIF" {
			if n > maxExifBytes || off+8+n > size {
				return 1
			}
			buf := make([]byte, n)
			if _, err := ra.ReadAt(buf, off+8); err != nil {
				return 1
			}
			return exifBlockOrientation(buf)
		}
		off += 8 + n + n&1
	}
	return 1
}

// pngOrientation reads Orientation from a PNG's eXIf chunk, which must
// precede the image data.
func pngOrientation(ra io.ReaderAt, size int64) int {
	off := int64(8)
	var h [8]byte
	for i := 0; i < 256 && off+8 <= size; i++ {
		if _, err := ra.ReadAt(h[:], off); err != nil {
			return 1
		}
		n := int64(binary.BigEndian.Uint32(h[0:4]))
		switch string(h[4:8]) {
		case "eXIf":
			if n > maxExifBytes || off+8+n > size {
				return 1
			}
			buf := make([]byte, n)
			if _, err := ra.ReadAt(buf, off+8); err != nil {
				return 1
			}
			return exifBlockOrientation(buf)
		case "IDAT", "IEND":
			return 1
		}
		off += 12 + n
	}
	return 1
}
