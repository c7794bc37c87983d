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

// Stem is the base name of path without its image extension: the name a
// photo goes by (jane.doe@example.com.jpg -> jane.doe@example.com). Only an
// image extension is dropped, so a photo whose name has none
// (lukas.berg@example.com) keeps its whole name.
func Stem(path string) string {
	base := filepath.Base(path)
	if HasImageExt(base) {
		return strings.TrimSuffix(base, filepath.Ext(base))
	}
	return base
}
