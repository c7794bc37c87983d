package imageprep

import (
	"context"
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

// heicSlots bounds concurrent HEIC decodes. Each decode runs in a fresh
// WASM instance whose linear memory grows to a few hundred MB for a 12 MP
// photo, so two at once would double the process's peak memory; HEIC
// photos are decoded one at a time (other formats keep every core).
var heicSlots = make(chan struct{}, 1)

// decodeHEIC decodes a HEIC/HEIF primary image, transforms applied. The
// pixels are copied out of the WASM instance's memory (the decoder hands
// back a view into it), so that memory is garbage as soon as this returns.
func decodeHEIC(ctx context.Context, r io.Reader) (image.Image, error) {
	select {
	case heicSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-heicSlots }()
	heicSetup()
	img, _, err := heicWASMDecode(r, false)
	if err != nil {
		return nil, err
	}
	return detach(img), nil
}

// detach copies an image's pixels into fresh memory of their own.
func detach(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.YCbCr:
		c := *m
		c.Y = append([]byte(nil), m.Y...)
		c.Cb = append([]byte(nil), m.Cb...)
		c.Cr = append([]byte(nil), m.Cr...)
		return &c
	case *image.Gray:
		c := *m
		c.Pix = append([]byte(nil), m.Pix...)
		return &c
	case *image.RGBA:
		c := *m
		c.Pix = append([]byte(nil), m.Pix...)
		return &c
	case *image.NRGBA:
		c := *m
		c.Pix = append([]byte(nil), m.Pix...)
		return &c
	}
	return img
}
