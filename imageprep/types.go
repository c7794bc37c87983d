// Package imageprep turns any photo a technician is handed into a correct
// profile picture: it identifies the file by content, refuses hostile or
// broken input before decoding, decodes only as much as the output needs,
// applies EXIF orientation, finds the face and frames a square around it
// (falling back to a content-aware, then a centre crop), flags what a human
// should look at, and encodes a metadata-free 600x600 image under a byte
// budget. It knows nothing of networks or terminals.
//
// Coordinates: every Crop rectangle is in the ORIENTED source image's pixel
// space (after EXIF orientation, at full resolution), so callers can read,
// nudge, zoom and pass a crop back in regardless of how it was decoded.
package imageprep

import (
	"fmt"
	"image"
	"time"
)

// Format is an image container format, identified by content.
type Format string

// Formats headshot reads (JPEG and PNG are also the output formats).
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	HEIC Format = "heic"
	BMP  Format = "bmp"
	TIFF Format = "tiff"
)

// MIME is the format's media type.
func (f Format) MIME() string {
	if f == HEIC {
		return "image/heic"
	}
	return "image/" + string(f)
}

// Method says how a crop was chosen.
type Method string

// Crop methods. Face, Smart and Center are also the values callers ask for
// (each falls back to the next when it finds nothing); Manual is a crop a
// person set.
const (
	MethodFace   Method = "face"
	MethodSmart  Method = "smart"
	MethodCenter Method = "center"
	MethodManual Method = "manual"
)

// ParseMethod reads "face", "smart", "center"/"centre".
func ParseMethod(s string) (Method, error) {
	switch s {
	case "face", "":
		return MethodFace, nil
	case "smart":
		return MethodSmart, nil
	case "center", "centre":
		return MethodCenter, nil
	}
	return "", fmt.Errorf("crop %q: want face, smart or center", s)
}

// Flag marks something a human should look at.
type Flag string

// Flags a result can carry.
const (
	FlagNoFace    Flag = "no-face"       // no face found: smart or centre crop used
	FlagManyFaces Flag = "several-faces" // more than one face: the largest was framed
	FlagUpscaled  Flag = "upscaled"      // the crop is well under the output size (UpscaledBelow); a note, not a review reason
	FlagDark      Flag = "dark"          // very dark
	FlagBlurry    Flag = "blurry"        // very little detail
)

// Source describes an input file, read from its header only.
type Source struct {
	Path        string
	Format      Format
	Width       int // oriented (after EXIF orientation)
	Height      int // oriented
	Orientation int // EXIF orientation 1..8 (1 when absent)
	Bytes       int64
	ModTime     time.Time
}

// Profile is an output specification: size, format and byte budget.
type Profile struct {
	Size     int    // square side in pixels; default 600
	Format   Format // JPEG (default) or PNG
	MaxBytes int64  // byte budget (0: no limit)
	Quality  int    // starting JPEG quality, searched downward until it fits; default 90
}

// Key identifies the profile in cache keys.
func (p Profile) Key() string {
	return fmt.Sprintf("%d-%s-%d-%d", p.Size, p.Format, p.MaxBytes, p.Quality)
}

// DefaultMaxPixels is the default pixel budget (100 megapixels).
const DefaultMaxPixels = 100_000_000

// Options say how to prepare one photo.
type Options struct {
	Crop      Method           // face (default), smart or center
	Manual    *image.Rectangle // when set, use this crop (oriented source coordinates)
	Profile   Profile
	MaxPixels int64 // refuse larger images before decoding; default DefaultMaxPixels
}

// Result is one prepared photo.
type Result struct {
	Source     Source
	Hash       string          // hex SHA-256 of the source file's bytes
	Crop       image.Rectangle // oriented source coordinates
	Method     Method          // how Crop was chosen
	Confidence float64         // 0..1: how sure the method was
	Faces      []image.Rectangle
	Face       image.Rectangle // the framed face (MethodFace; else empty)
	FaceScore  float64         // the framed face's detector confidence, 0..1
	FaceCount  int             // significant faces found (see FlagManyFaces)
	Flags      []Flag          // review reasons (Flag.IsReview, Review) and notes
	Data       []byte          // encoded output
	Format     Format          // JPEG or PNG
	Quality    int             // JPEG quality used (0 for PNG)
	Width      int
	Height     int
}

// Has reports whether the result carries flag f.
func (r *Result) Has(f Flag) bool {
	for _, g := range r.Flags {
		if g == f {
			return true
		}
	}
	return false
}
