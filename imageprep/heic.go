package imageprep

import (
	"context"
	"image"
	"io"

	"headshot/imageprep/heic"
)

// heicMinWidth: below it the WASM wrapper lays out the planes it copies
// out of libheif with the wrong row stride (libheif pads each plane's rows
// to at least 64 samples, the wrapper assumes 16-byte alignment), which
// garbles the colours. Photos are thousands of pixels wide; such tiny
// HEICs are refused rather than decoded wrongly.
const heicMinWidth = 128

// heicSlots bounds concurrent HEIC decodes. Each decode runs in a fresh
// WASM instance whose linear memory grows to a few hundred MB for a 12 MP
// photo, so two at once would double the process's peak memory; HEIC
// photos are decoded one at a time (other formats keep every core).
var heicSlots = make(chan struct{}, 1)

// decodeHEIC decodes a HEIC/HEIF primary image, transforms applied, with
// the WebAssembly libheif of imageprep/heic (the same decoder on every
// machine, its warnings kept off the terminal).
func decodeHEIC(ctx context.Context, r io.Reader) (image.Image, error) {
	select {
	case heicSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-heicSlots }()
	return heic.Decode(r)
}
