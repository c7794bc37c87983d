package imageprep

import (
	"bytes"
	"unicode/utf8"
)

// sniffLen is how many leading bytes sniff needs to tell every format apart.
const sniffLen = 64

// sniff identifies a container format from the file's first bytes. When the
// bytes are not a format headshot reads, it returns the Kind to refuse with
// (KindUnsupported for images in other formats, KindNotImage for the rest)
// and a short description of what the content looks like.
func sniff(head []byte) (Format, Kind, string) {
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return JPEG, 0, ""
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, 0, ""
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF, 0, ""
	case len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return WebP, 0, ""
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF, 0, ""
	case len(head) >= 14 && head[0] == 'B' && head[1] == 'M' && bmpPlausible(head):
		return BMP, 0, ""
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return sniffFtyp(head)
	}
	if other := otherImage(head); other != "" {
		return "", KindUnsupported, other + " images are not supported"
	}
	if looksLikeText(head) {
		return "", KindNotImage, "the content is text"
	}
	return "", KindNotImage, "unrecognised content"
}

// heifBrands are the ftyp brands of HEIF still images headshot decodes.
var heifBrands = map[string]bool{
	"heic": true, "heix": true, "heim": true, "heis": true,
	"hevc": true, "hevx": true, "mif1": true, "msf1": true,
}

// sniffFtyp tells HEIC/HEIF from other ISO base media files (AVIF, MP4, ...).
func sniffFtyp(head []byte) (Format, Kind, string) {
	size := int(uint32(head[0])<<24 | uint32(head[1])<<16 | uint32(head[2])<<8 | uint32(head[3]))
	if size < 16 || size > len(head) {
		size = len(head)
	}
	major := string(head[8:12])
	var compat []string
	for i := 16; i+4 <= size; i += 4 {
		compat = append(compat, string(head[i:i+4]))
	}
	has := func(b string) bool {
		for _, c := range compat {
			if c == b {
				return true
			}
		}
		return false
	}
	switch {
	case major == "avif" || major == "avis" || ((major == "mif1" || major == "msf1") && (has("avif") || has("avis")) && !has("heic") && !has("heix")):
		return "", KindUnsupported, "AVIF images are not supported"
	case heifBrands[major]:
		return HEIC, 0, ""
	}
	for _, c := range compat {
		if heifBrands[c] {
			return HEIC, 0, ""
		}
	}
	return "", KindNotImage, "an ISO media file (" + printableBrand(major) + "), not a still image"
}

func printableBrand(b string) string {
	for _, r := range b {
		if r < 0x20 || r > 0x7e {
			return "unknown brand"
		}
	}
	return "brand " + b
}

// bmpPlausible checks the BMP file header's reserved fields and the DIB header size.
func bmpPlausible(h []byte) bool {
	if len(h) < 18 {
		return false
	}
	dib := uint32(h[14]) | uint32(h[15])<<8 | uint32(h[16])<<16 | uint32(h[17])<<24
	switch dib {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// otherImage names image formats headshot recognises but does not read.
func otherImage(h []byte) string {
	switch {
	case bytes.HasPrefix(h, []byte{0xFF, 0x0A}), bytes.HasPrefix(h, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")):
		return "JPEG XL"
	case bytes.HasPrefix(h, []byte("8BPS")):
		return "Photoshop"
	case bytes.HasPrefix(h, []byte{0, 0, 1, 0}) && len(h) > 6:
		return "ICO"
	case bytes.HasPrefix(h, []byte("%PDF-")):
		return "PDF"
	case bytes.HasPrefix(h, []byte("<svg")), bytes.HasPrefix(h, []byte("<?xml")) && bytes.Contains(h, []byte("<svg")):
		return "SVG"
	case len(h) >= 12 && string(h[0:4]) == "FORM" && (string(h[8:12]) == "ILBM" || string(h[8:12]) == "PBM "):
		return "IFF"
	}
	return ""
}

// looksLikeText reports whether head is valid UTF-8 with no control
// characters other than whitespace.
func looksLikeText(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	// A multi-byte rune may be cut at the end of the sniffed window.
	for i := 0; i < 3 && !utf8.Valid(head) && len(head) > 0; i++ {
		head = head[:len(head)-1]
	}
	if !utf8.Valid(head) {
		return false
	}
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			return false
		}
		if c == 0x7f {
			return false
		}
	}
	return true
}
