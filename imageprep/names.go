package imageprep

import (
	"path/filepath"
	"strings"
)

// imageExts are the file extensions of the formats headshot reads. They
// decide what a folder listing or walk picks up without opening a file
// (content sniffing stays the authority once a file is opened).
var imageExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".jpe": true, ".jfif": true, ".png": true, ".gif": true,
	".webp": true, ".heic": true, ".heif": true, ".hif": true, ".bmp": true, ".tif": true, ".tiff": true,
}

// HasImageExt reports whether name ends in the extension of a format
// headshot reads (case-insensitive).
func HasImageExt(name string) bool {
	return imageExts[strings.ToLower(filepath.Ext(name))]
}

// Stem is the name a photo goes by: its base name without the file
// extension (jane.doe@example.com.jpg -> jane.doe@example.com). A photo
// found by content under another extension loses it too
// (kofi.mensah@example.com.dat -> kofi.mensah@example.com), but what is
// part of the name stays: the domain of an address with no extension
// (lukas.berg@example.com, ana@uni.ac.uk, ana@x.com.au) and a dotted user
// name (jane.doe). See fileExtension for the rule.
func Stem(path string) string {
	base := filepath.Base(path)
	if fileExtension(base) {
		return strings.TrimSuffix(base, filepath.Ext(base))
	}
	return base
}

// dataExts are extensions a photo saved or renamed by a tool may carry
// that are never part of a person's name.
var dataExts = map[string]bool{
	".dat": true, ".bin": true, ".tmp": true, ".temp": true, ".bak": true, ".old": true, ".orig": true,
	".img": true, ".image": true, ".pic": true, ".photo": true, ".download": true, ".crdownload": true,
	".part": true, ".file": true, ".data": true, ".unknown": true, ".jpg_large": true, ".jpeg_large": true,
	".png_large": true, ".jpg_orig": true, ".copy": true,
}

// commonTLDs are the generic top-level domains staff addresses end in (a
// two-letter country code counts too, see isTLD).
var commonTLDs = map[string]bool{
	"com": true, "org": true, "net": true, "edu": true, "gov": true, "mil": true, "int": true, "info": true,
	"biz": true, "io": true, "app": true, "dev": true, "name": true, "pro": true, "eu": true, "cloud": true,
	"tech": true, "online": true, "global": true, "group": true,
}

// fileExtension reports whether base's last dot-suffix is a file extension
// rather than part of the name: an image extension; a data extension
// (.dat, .bin, .tmp ...); or, in an address (name@domain), any suffix
// that leaves a whole domain behind: kofi@x.com.dat is kofi@x.com plus
// .dat, while kofi@x.com keeps .com (x is no domain), kofi@x.com.au keeps
// .au (a two-letter country code follows com) and kofi@mail.x.travel
// keeps .travel (mail.x does not end in a top-level domain).
func fileExtension(base string) bool {
	ext := strings.ToLower(filepath.Ext(base))
	if ext == "" || ext == base {
		return false
	}
	if imageExts[ext] || dataExts[ext] {
		return true
	}
	at := strings.LastIndexByte(base, '@')
	if at < 0 {
		return false
	}
	domain := strings.ToLower(strings.TrimSuffix(base[at+1:], filepath.Ext(base)))
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || isCountryCode(ext[1:]) {
		return false
	}
	return isTLD(domain[dot+1:])
}

// isTLD reports whether label is a common generic or a country-code
// top-level domain.
func isTLD(label string) bool { return commonTLDs[label] || isCountryCode(label) }

// isCountryCode reports whether label looks like a country-code top-level
// domain: two ASCII letters.
func isCountryCode(label string) bool {
	return len(label) == 2 && label[0] >= 'a' && label[0] <= 'z' && label[1] >= 'a' && label[1] <= 'z'
}
