package imageprep

import (
	"image"
	"io"
	"sync"
	_ "unsafe" // for go:linkname

	_ "github.com/gen2brain/heic" // the WASM decoder linked below
	"github.com/tetratelabs/wazero"
)

// heicWASMDecode is gen2brain/heic's WebAssembly decoder (libheif and
// libde265 compiled to WASM, run by wazero). heic.Decode would switch to a
// system libheif.so when one can be loaded, so the same photo could decode
// differently (and with different bugs) from machine to machine; calling
// the WASM path directly makes HEIC decoding the same everywhere. The
// module version is pinned in go.mod and TestDecodeHEIC guards the links.
//
//go:linkname heicWASMDecode github.com/gen2brain/heic.decode
func heicWASMDecode(r io.Reader, configOnly bool) (image.Image, image.Config, error)

// heicInitOnce compiles the WASM module (once per process, about a second).
//
//go:linkname heicInitOnce github.com/gen2brain/heic.initOnce
var heicInitOnce func()

// heicModuleConfig is the config each decode instantiates the module with.
// The package wires the module's stdout and stderr to the process's, where
// a libde265 warning about a damaged file would land in the middle of the
// TUI; headshot discards them (failures still come back as errors).
//
//go:linkname heicModuleConfig github.com/gen2brain/heic.mc
var heicModuleConfig wazero.ModuleConfig

var heicSetup = sync.OnceFunc(func() {
	heicInitOnce()
	heicModuleConfig = wazero.NewModuleConfig().WithStdout(io.Discard).WithStderr(io.Discard)
})

// heicMinWidth: below it the WASM wrapper lays out the planes it copies
// out of libheif with the wrong row stride (libheif pads each plane's rows
// to at least 64 samples, the wrapper assumes 16-byte alignment), which
// garbles the colours. Photos are thousands of pixels wide; such tiny
// HEICs are refused rather than decoded wrongly.
const heicMinWidth = 128

// decodeHEIC decodes a HEIC/HEIF primary image, transforms applied.
func decodeHEIC(r io.Reader) (image.Image, error) {
	heicSetup()
	img, _, err := heicWASMDecode(r, false)
	return img, err
}
