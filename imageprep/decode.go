package imageprep

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"sync/atomic"

	"github.com/disintegration/imaging"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"headshot/imageprep/jpegscale"
)

// decoder decodes photos; jpeg is its JPEG decoder (a Preparer's, so
// tests can count or fake decodes; nil: the standard library at full size,
// whatever denom asks).
type decoder struct {
	jpeg ScaledJPEGDecoder
	// jpegRegion decodes only a region of a JPEG (nil: jpeg decodes all
	// of it, as when a test sets its own decoder).
	jpegRegion func(r io.Reader, denom int, region image.Rectangle) (image.Image, error)
	// jpegIndexed decodes a whole JPEG and indexes it for
	// jpegRegionIndexed, which then decodes a region of the same bytes
	// from the index's checkpoints (both nil: jpeg and jpegRegion).
	jpegIndexed       func(r io.Reader, denom int) (image.Image, *jpegscale.Index, error)
	jpegRegionIndexed func(data []byte, denom int, region image.Rectangle, ix *jpegscale.Index) (image.Image, error)
}

// decodeCount counts pixel decodes (all formats); tests use it to prove the
// cache spares a second decode.
var decodeCount atomic.Int64

// decode reads and decodes the photo at path (already inspected as src):
// the result is upright (EXIF orientation applied), opaque (alpha
// flattened onto white), and shrunk as far as keeps its short side at least
// minSide (minSide <= 0: full size). scale is source pixels per decoded
// pixel, to map decoded coordinates back to oriented source coordinates.
func (d decoder) decode(path string, src Source, minSide int) (img image.Image, scale float64, err error) {
	data, err := readAll(path, src.Bytes)
	if err != nil {
		return nil, 0, err
	}
	return d.decodeBytes(context.Background(), path, data, src, minSide)
}

// decodeBytes is decode over the file's bytes.
func (d decoder) decodeBytes(ctx context.Context, path string, data []byte, src Source, minSide int) (img image.Image, scale float64, err error) {
	img, scale, _, err = d.decodeIndexed(ctx, path, data, src, minSide, image.Rectangle{}, nil)
	return img, scale, err
}

// decodeRegion is decodeBytes for the part of the photo inside region
// (oriented source pixels; empty: all of it). A JPEG is then decoded only
// as far as region needs (see jpegscale.DecodeRegion) and the result's
// Bounds are region's pixels at the decoded scale, in the coordinates of
// the whole decoded photo: scale maps them back as for a whole decode.
// Other formats decode whole.
func (d decoder) decodeRegion(ctx context.Context, path string, data []byte, src Source, minSide int, region image.Rectangle) (img image.Image, scale float64, err error) {
	img, scale, _, err = d.decodeIndexed(ctx, path, data, src, minSide, region, nil)
	return img, scale, err
}

// decodeIndexed is decodeRegion that, decoding a whole JPEG, also returns
// its index (nil when the decoder or the file has none), and decoding a
// region of a JPEG with ix (that index, from the same bytes) decodes only
// the region's MCUs.
func (d decoder) decodeIndexed(ctx context.Context, path string, data []byte, src Source, minSide int, region image.Rectangle, ix *jpegscale.Index) (img image.Image, scale float64, index *jpegscale.Index, err error) {
	defer func() {
		// The decoders are meant never to panic on garbage; if one does,
		// the photo is refused rather than the program stopped.
		if r := recover(); r != nil {
			img, scale, index, err = nil, 0, nil, &Error{Path: path, Kind: KindCorrupt, Detail: fmt.Sprintf("%s decoder failed: %v", src.Format, r)}
		}
	}()
	decodeCount.Add(1)
	// Stored (unoriented) size.
	sw, sh := src.Width, src.Height
	if src.Orientation >= 5 && src.Format != HEIC {
		sw, sh = sh, sw
	}
	var raw image.Image
	r := bytes.NewReader(data)
	denom := 1
	stored := image.Rectangle{} // region in stored full-size pixels
	switch src.Format {
	case JPEG:
		denom = jpegDenom(min(sw, sh), minSide)
		if !region.Empty() && d.jpegRegion != nil {
			stored = orientRect(region, src.Orientation, src.Width, src.Height, false).Intersect(image.Rect(0, 0, sw, sh))
			if ix != nil && d.jpegRegionIndexed != nil {
				raw, err = d.jpegRegionIndexed(data, denom, stored, ix)
			} else {
				raw, err = d.jpegRegion(bufio.NewReaderSize(r, 64<<10), denom, stored)
			}
		} else if region.Empty() && d.jpegIndexed != nil {
			raw, index, err = d.jpegIndexed(bufio.NewReaderSize(r, 64<<10), denom)
		} else if d.jpeg != nil {
			raw, err = d.jpeg(bufio.NewReaderSize(r, 64<<10), denom)
		} else {
			raw, err = jpeg.Decode(r)
		}
	case PNG:
		raw, err = png.Decode(r)
	case GIF:
		raw, err = gif.Decode(r) // the first frame
		if err == nil {
			raw = onCanvas(raw, sw, sh)
		}
	case WebP:
		raw, err = webp.Decode(r)
	case BMP:
		raw, err = bmp.Decode(r)
	case TIFF:
		raw, err = tiff.Decode(r)
	case HEIC:
		if src.Width < heicMinWidth {
			return nil, 0, nil, &Error{Path: path, Kind: KindUnsupported, Detail: fmt.Sprintf("HEIC images narrower than %d px are not supported (this one is %d px)", heicMinWidth, src.Width)}
		}
		// A phone's grid decodes only the tiles around the region; the
		// image is then shrunk whole, as before (same pixels in it).
		raw, err = decodeHEIC(ctx, data, region)
	default:
		return nil, 0, nil, &Error{Path: path, Kind: KindUnsupported, Detail: fmt.Sprintf("no decoder for %q", src.Format)}
	}
	if err != nil {
		return nil, 0, nil, decodeError(path, src.Format, err, endsEarly(src.Format, data))
	}
	if raw == nil || raw.Bounds().Empty() {
		return nil, 0, nil, &Error{Path: path, Kind: KindCorrupt, Detail: fmt.Sprintf("the %s decoder returned no pixels", src.Format)}
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, nil, err
	}
	// Decoders size their output from the header; a mismatch with what
	// Inspect read would break the coordinate mapping, so refuse it.
	b := raw.Bounds()
	if src.Format != JPEG && (b.Dx() != sw || b.Dy() != sh) {
		return nil, 0, nil, &Error{Path: path, Kind: KindCorrupt, Detail: fmt.Sprintf("header says %dx%d but the image is %dx%d", sw, sh, b.Dx(), b.Dy())}
	}
	orient := src.Orientation
	if src.Format == HEIC {
		orient = 1 // libheif has applied the container's transforms
	}
	if !stored.Empty() {
		img, scale, err := cutRegion(raw, stored, denom, orient, src)
		return img, scale, nil, err
	}
	shrunk := shrinkBox(raw, minSide)
	if orient == 1 && opaqueKind(shrunk) {
		// Upright and without alpha: keep the decoder's own layout (a
		// YCbCr image is under half the memory of NRGBA, and converting
		// it would cost a pass over every pixel).
		return shrunk, float64(src.Width) / float64(shrunk.Bounds().Dx()), index, nil
	}
	up := applyOrientation(shrunk, orient)
	flattenOnWhite(up)
	return up, float64(src.Width) / float64(up.Bounds().Dx()), index, nil
}

// cutRegion is the part of a region decode that was decoded: stored is the
// region in stored full-size pixels, raw the whole photo decoded at
// 1/denom. The part is turned upright and placed in the coordinates of the
// whole upright decode.
func cutRegion(raw image.Image, stored image.Rectangle, denom, orient int, src Source) (image.Image, float64, error) {
	b := raw.Bounds()
	part := image.Rect(stored.Min.X/denom, stored.Min.Y/denom, (stored.Max.X+denom-1)/denom, (stored.Max.Y+denom-1)/denom).Intersect(b)
	ow := b.Dx() // the whole decode's upright width
	if orient >= 5 {
		ow = b.Dy()
	}
	scale := float64(src.Width) / float64(ow)
	sub := subImage(raw, part)
	if orient == 1 && opaqueKind(raw) {
		return sub, scale, nil
	}
	up := applyOrientation(sub, orient)
	flattenOnWhite(up)
	at := orientRect(part, orient, b.Dx(), b.Dy(), true)
	up.Rect = up.Rect.Add(at.Min)
	return up, scale, nil
}

// orientRect maps a rectangle between upright (EXIF orientation o applied)
// and stored pixel coordinates: toUpright false maps upright -> stored in an
// image w x h upright; true maps stored -> upright in an image w x h as
// stored. The stored -> upright map of o is the upright -> stored map of
// o's inverse orientation (6 and 8 undo each other; the rest undo
// themselves) with the same w and h.
func orientRect(r image.Rectangle, o, w, h int, toUpright bool) image.Rectangle {
	if toUpright {
		switch o {
		case 6:
			o = 8
		case 8:
			o = 6
		}
	}
	pt := func(x, y int) image.Point {
		switch o {
		case 2:
			return image.Pt(w-x, y)
		case 3:
			return image.Pt(w-x, h-y)
		case 4:
			return image.Pt(x, h-y)
		case 5:
			return image.Pt(y, x)
		case 6:
			return image.Pt(y, w-x)
		case 7:
			return image.Pt(h-y, w-x)
		case 8:
			return image.Pt(h-y, x)
		}
		return image.Pt(x, y)
	}
	return image.Rectangle{Min: pt(r.Min.X, r.Min.Y), Max: pt(r.Max.X, r.Max.Y)}.Canon()
}

// subImage is the part r of img: a view sharing img's pixels (and
// coordinates) when img's type can give one, else a copy at the origin.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return imaging.Crop(img, r)
}

// opaqueKind reports whether img is of a type that cannot carry alpha and
// is anchored at the origin.
func opaqueKind(img image.Image) bool {
	if img.Bounds().Min != (image.Point{}) {
		return false
	}
	switch img.(type) {
	case *image.YCbCr, *image.Gray:
		return true
	}
	return false
}

// pixelBytes is the memory an image's pixels take.
func pixelBytes(img image.Image) int64 {
	switch m := img.(type) {
	case *image.YCbCr:
		return int64(len(m.Y) + len(m.Cb) + len(m.Cr))
	case *image.Gray:
		return int64(len(m.Pix))
	case *image.NRGBA:
		return int64(len(m.Pix))
	}
	b := img.Bounds()
	return int64(b.Dx()) * int64(b.Dy()) * 4
}

// onCanvas places a GIF frame, which may cover only part of the logical
// screen, on a transparent canvas of the screen's size.
func onCanvas(frame image.Image, w, h int) image.Image {
	if frame.Bounds() == image.Rect(0, 0, w, h) {
		return frame
	}
	c := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(c, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return c
}

// jpegDenom picks the largest DCT scale (8, 4, 2, 1) that keeps the short
// side at least minSide.
func jpegDenom(short, minSide int) int {
	if minSide <= 0 {
		return 1
	}
	for _, d := range []int{8, 4, 2} {
		if (short+d-1)/d >= minSide {
			return d
		}
	}
	return 1
}

// shrinkBox box-averages img by the largest integer factor that keeps its
// short side at least minSide; it returns img itself when no factor fits.
func shrinkBox(img image.Image, minSide int) image.Image {
	b := img.Bounds()
	if minSide <= 0 {
		return img
	}
	k := min(b.Dx(), b.Dy()) / minSide
	if k < 2 {
		return img
	}
	return imaging.Resize(img, b.Dx()/k, b.Dy()/k, imaging.Box)
}

// applyOrientation returns img turned upright per EXIF orientation o, as a
// fresh *image.NRGBA (never img itself, so callers may modify it).
func applyOrientation(img image.Image, o int) *image.NRGBA {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img) // 90 degrees clockwise
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img) // 90 degrees anticlockwise
	}
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n
	}
	return imaging.Clone(img)
}

// flattenOnWhite composites every translucent pixel onto white, in place.
func flattenOnWhite(img *image.NRGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			a := uint32(row[i+3])
			if a == 255 {
				continue
			}
			inv := 255 - a
			row[i+0] = uint8((uint32(row[i+0])*a + 255*inv + 127) / 255)
			row[i+1] = uint8((uint32(row[i+1])*a + 255*inv + 127) / 255)
			row[i+2] = uint8((uint32(row[i+2])*a + 255*inv + 127) / 255)
			row[i+3] = 255
		}
	}
}

// endsEarly reports whether a file lacks its format's end marker, which
// tells a cut-off file from a damaged one when the decoder fails.
func endsEarly(format Format, data []byte) bool {
	tail := data[max(0, len(data)-64):]
	switch format {
	case JPEG:
		return !bytes.Contains(tail, []byte{0xFF, 0xD9})
	case PNG:
		return !bytes.Contains(tail, []byte("IEND"))
	case GIF:
		return len(tail) == 0 || tail[len(tail)-1] != 0x3B
	}
	return false
}

// decodeError turns a decoder failure into a refusal.
func decodeError(path string, format Format, err error, cut bool) error {
	if cut || isTruncation(err) {
		return &Error{Path: path, Kind: KindTruncated, Detail: fmt.Sprintf("the %s data ends early", format), Err: err}
	}
	return &Error{Path: path, Kind: KindCorrupt, Detail: fmt.Sprintf("cannot decode the %s data (%s)", format, oneLine(err)), Err: err}
}
