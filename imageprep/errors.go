package imageprep

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Kind says why a photo was refused.
type Kind int

// Refusal kinds.
const (
	KindUnreadable   Kind = iota + 1 // cannot open or read the file
	KindEmpty                        // zero bytes
	KindNotImage                     // content is not an image (whatever its extension)
	KindUnsupported                  // an image format headshot does not read
	KindTruncated                    // the file ends early
	KindCorrupt                      // the data is damaged
	KindTooLarge                     // over the pixel budget (checked from the header)
	KindTooBig                       // cannot fit the byte budget even at lowest quality
	KindFileTooLarge                 // over MaxFileBytes on disk (checked before reading)
	KindTooSmall                     // too few pixels to be a profile photo (see MinSourceSide, MinCropSide)
)

var kindText = map[Kind]string{
	KindUnreadable: "unreadable", KindEmpty: "empty file", KindNotImage: "not an image",
	KindUnsupported: "unsupported format", KindTruncated: "truncated", KindCorrupt: "corrupt",
	KindTooLarge: "too many pixels", KindTooBig: "cannot fit byte budget",
	KindFileTooLarge: "file too large", KindTooSmall: "too small",
}

func (k Kind) String() string {
	if s, ok := kindText[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is a refusal: which file, why, and the detail.
type Error struct {
	Path   string
	Kind   Kind
	Detail string
	Err    error
}

func (e *Error) Error() string {
	s := filepath.Base(e.Path) + ": " + e.Kind.String()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf is err's Kind (0 when err is not an *Error).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
