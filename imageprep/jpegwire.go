package imageprep

import (
	"image"
	"io"

	"headshot/imageprep/jpegscale"
)

// ScaledJPEGDecoder decodes a JPEG at 1/denom of its size (denom 1, 2, 4
// or 8), rounding up.
type ScaledJPEGDecoder func(r io.Reader, denom int) (image.Image, error)

// JPEGs decode through the DCT-scaling decoder by default: a 1/2, 1/4 or
// 1/8 decode costs a fraction of a full one and keeps the 2x headroom the
// output needs.
// The whole decode indexes the file, so a finer decode of the crop alone
// (a face in a group photo) starts at the crop's MCUs.
var defaultDecoder = decoder{
	jpeg: jpegscale.Decode, jpegRegion: jpegscale.DecodeRegion,
	jpegIndexed: jpegscale.DecodeIndexed, jpegRegionIndexed: jpegscale.DecodeRegionIndexed,
}
