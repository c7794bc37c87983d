package imageprep

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// MaxFileBytes is the largest file headshot reads: a photo is read whole
// into memory to hash and decode it.
const MaxFileBytes = 256 << 20

// Inspect identifies the photo at path by its content and reads its header:
// format, oriented size and EXIF orientation. It decodes no pixels, so a
// header claiming more than maxPixels (0: DefaultMaxPixels) is refused
// before anything large is allocated. Every refusal is an *Error naming
// the file.
func Inspect(path string, maxPixels int64) (Source, error) {
	// Refuse a FIFO or device before opening it: opening a FIFO blocks
	// until something writes to it, and a device never ends.
	if st, err := os.Stat(path); err == nil && !st.IsDir() && !st.Mode().IsRegular() {
		return Source{}, &Error{Path: path, Kind: KindUnreadable, Detail: "not a regular file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return Source{}, openError(path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Source{}, &Error{Path: path, Kind: KindUnreadable, Detail: "cannot stat", Err: err}
	}
	if st.IsDir() {
		return Source{}, &Error{Path: path, Kind: KindUnreadable, Detail: "is a folder"}
	}
	if !st.Mode().IsRegular() {
		return Source{}, &Error{Path: path, Kind: KindUnreadable, Detail: "not a regular file"}
	}
	src, err := inspectAt(path, f, st.Size(), maxPixels)
	src.ModTime = st.ModTime()
	return src, err
}

// openError classifies a failure to open a file.
func openError(path string, err error) error {
	detail := "cannot open"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		detail = "no such file"
	case errors.Is(err, fs.ErrPermission):
		detail = "permission denied"
	}
	return &Error{Path: path, Kind: KindUnreadable, Detail: detail, Err: err}
}

// inspectAt is Inspect over any random-access reader of size bytes.
func inspectAt(path string, ra io.ReaderAt, size int64, maxPixels int64) (Source, error) {
	src := Source{Path: path, Bytes: size, Orientation: 1}
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if size == 0 {
		return src, &Error{Path: path, Kind: KindEmpty, Detail: "the file has no bytes"}
	}
	if size > MaxFileBytes {
		return src, &Error{Path: path, Kind: KindFileTooLarge, Detail: fmt.Sprintf("the file is %d MB, over the %d MB limit", size>>20, MaxFileBytes>>20)}
	}
	head := make([]byte, sniffLen)
	n, err := ra.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return src, &Error{Path: path, Kind: KindUnreadable, Detail: "read failed", Err: err}
	}
	head = head[:n]
	format, kind, why := sniff(head)
	if kind != 0 {
		if kind == KindNotImage && len(head) < 8 && n < sniffLen && isImagePrefix(head) {
			return src, &Error{Path: path, Kind: KindTruncated, Detail: "the file ends inside its header"}
		}
		return src, &Error{Path: path, Kind: kind, Detail: why}
	}
	src.Format = format
	w, h, orient, err := headerSize(format, ra, size)
	if err != nil {
		return src, headerError(path, format, err)
	}
	if w <= 0 || h <= 0 {
		return src, &Error{Path: path, Kind: KindCorrupt, Detail: fmt.Sprintf("%s header gives an empty size %dx%d", format, w, h)}
	}
	if int64(w)*int64(h) > maxPixels {
		return src, &Error{Path: path, Kind: KindTooLarge, Detail: fmt.Sprintf("%dx%d is %.0f megapixels, over the %.0f megapixel budget",
			w, h, float64(w)*float64(h)/1e6, float64(maxPixels)/1e6)}
	}
	src.Orientation = orient
	if orient >= 5 && format != HEIC {
		w, h = h, w
	}
	src.Width, src.Height = w, h
	return src, nil
}

// isImagePrefix reports whether b is a prefix of a known image signature.
func isImagePrefix(b []byte) bool {
	for _, sig := range []string{"\xff\xd8\xff", "\x89PNG\r\n\x1a\n", "GIF8", "RIFF", "II*\x00", "MM\x00*"} {
		if len(b) > 0 && len(b) < len(sig) && strings.HasPrefix(sig, string(b)) {
			return true
		}
	}
	return false
}

// headerSize reads the stored (unoriented) size and the orientation. For
// HEIC the size returned is already oriented (libheif applies irot/imir).
func headerSize(format Format, ra io.ReaderAt, size int64) (w, h, orient int, err error) {
	r := bufio.NewReaderSize(io.NewSectionReader(ra, 0, size), 32<<10)
	var cfg image.Config
	orient = 1
	switch format {
	case JPEG:
		cfg, err = jpeg.DecodeConfig(r)
		if err == nil {
			orient = jpegOrientation(ra, size)
		}
	case PNG:
		cfg, err = png.DecodeConfig(r)
		if err == nil {
			orient = pngOrientation(ra, size)
		}
	case GIF:
		cfg, err = gif.DecodeConfig(r)
	case WebP:
		cfg, err = webp.DecodeConfig(r)
		if err == nil {
			orient = webpOrientation(ra, size)
		}
	case BMP:
		cfg, err = bmp.DecodeConfig(r)
	case TIFF:
		cfg, err = tiff.DecodeConfig(r)
		if err == nil {
			orient = tiffOrientation(ra, size)
		}
	case HEIC:
		var info heifInfo
		info, err = readHeifInfo(ra, size)
		if err != nil {
			return 0, 0, 1, err
		}
		w, h = info.orientedSize()
		return w, h, info.exifOrientation(), nil
	default:
		return 0, 0, 1, fmt.Errorf("no header reader for %s", format)
	}
	return cfg.Width, cfg.Height, orient, err
}

// headerError turns a header-reading failure into a refusal.
func headerError(path string, format Format, err error) error {
	if isTruncation(err) {
		return &Error{Path: path, Kind: KindTruncated, Detail: fmt.Sprintf("the %s header is cut short", format), Err: err}
	}
	if errors.Is(err, bmpUnsupported) || strings.Contains(err.Error(), "unsupported") {
		return &Error{Path: path, Kind: KindUnsupported, Detail: fmt.Sprintf("a %s variant headshot cannot read (%s)", format, oneLine(err)), Err: err}
	}
	return &Error{Path: path, Kind: KindCorrupt, Detail: fmt.Sprintf("bad %s header (%s)", format, oneLine(err)), Err: err}
}

var bmpUnsupported = bmp.ErrUnsupported

// isTruncation reports whether err means the data ended early.
func isTruncation(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		(err != nil && strings.Contains(err.Error(), "unexpected EOF"))
}

// oneLine shortens an error message to one bounded line.
func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
