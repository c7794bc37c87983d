package imageprep

import (
	"bytes"
	"context"
	"image"

	"headshot/imageprep/heic"
)

// heicMinWidth: below it the WASM wrapper lays out the planes it copies
// out of libheif with the wrong row stride (libheif pads each plane's rows
// to at least 64 samples, the wrapper assumes 16-byte alignment), which
// garbles the colours. Photos are thousands of pixels wide; such tiny
// HEICs are refused rather than decoded wrongly.
const heicMinWidth = 128

// heicRegionMargin widens a region decode: the whole image is shrunk by
// box blocks (up to 1/8 for a small crop) and the crop is resampled with a
// kernel a few shrunk pixels wide, so the pixels a block or the kernel
// reads near the region's edge must be decoded too.
const heicRegionMargin = 64

// heicSlots bounds concurrent whole-image HEIC decodes. Each runs in a
// fresh WASM instance whose linear memory grows to a few hundred MB for a
// 12 MP photo, so two at once would double the process's peak memory;
// such photos are decoded one at a time. Phone photos (grids of tiles)
// take the tiled path instead, whose small instances are bounded by the
// heic package's own pool.
var heicSlots = make(chan struct{}, 1)

// decodeHEIC decodes a HEIC/HEIF primary image, transforms applied, with
// the WebAssembly libheif of imageprep/heic (the same decoder on every
// machine, its warnings kept off the terminal): tile by tile when the
// photo is a grid the tiled path takes (same pixels, a fraction of the
// memory, every core), otherwise whole. With a region (in the decoded
// image's coordinates; the preparer's finer decode of a crop), only the
// pixels within heicRegionMargin of it are sure to be decoded: a grid
// decodes just the tiles under them, and the rest of the image is left
// undefined.
func decodeHEIC(ctx context.Context, data []byte, region image.Rectangle) (image.Image, error) {
	if !region.Empty() {
		region = region.Inset(-heicRegionMargin)
	}
	img, err := heic.DecodeTiledRegion(ctx, data, region)
	if err == nil {
		return img, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	// Not a layout the tiled path takes, or a tile failed: the
	// whole-image decode has the last word (a damaged file fails there
	// with libheif's verdict).
	select {
	case heicSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-heicSlots }()
	return heic.Decode(bytes.NewReader(data))
}
