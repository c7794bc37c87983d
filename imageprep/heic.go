package imageprep

import (
	"image"
	"io"
	_ "unsafe" // for go:linkname

	_ "github.com/gen2brain/heic" // the WASM decoder linked below
)

// heicWASMDecode is gen2brain/heic's WebAssembly decoder (libheif and
// libde265 compiled to WASM, run by wazero). heic.Decode would switch to a
// system libheif.so when one can be loaded, so the same photo could decode
// differently (and with different bugs) from machine to machine; calling
// the WASM path directly makes HEIC decoding the same everywhere. The
// module version is pinned in go.mod and TestDecodeHEIC guards the link.
//
//go:linkname heicWASMDecode github.com/gen2brain/heic.decode
func heicWASMDecode(r io.Reader, configOnly bool) (image.Image, image.Config, error)

// heicMinWidth: below it the WASM wrapper lays out the planes it copies
// out of libheif with the wrong row stride (libheif pads each plane's rows
// to at least 64 samples, the wrapper assumes 16-byte alignment), which
// garbles the colours. Photos are thousands of pixels wide; such tiny
// HEICs are refused rather than decoded wrongly.
const heicMinWidth = 128

// decodeHEIC decodes a HEIC/HEIF primary image, transforms applied.
func decodeHEIC(r io.Reader) (image.Image, error) {
	img, _, err := heicWASMDecode(r, false)
	return img, err
}
