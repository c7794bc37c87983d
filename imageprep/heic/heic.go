// Package heic decodes HEIC/HEIF images with libheif and libde265 compiled
// to WebAssembly and run by wazero: no cgo, and the same decoder on every
// machine.
//
// It is a trimmed fork of github.com/gen2brain/heic v0.4.5 (MIT, LICENSE;
// the WebAssembly module and its source lib/heif.c and lib/Makefile are
// that project's, libheif and libde265 are LGPL, lib/LICENSE.*). Kept in
// the tree instead of linking to the module's unexported symbols (which a
// routine version bump would break), and changed where headshot needs it:
//   - WebAssembly only: upstream switches to a system libheif.so when one
//     loads, so a photo could decode differently from machine to machine;
//   - the module's stdout and stderr are discarded (upstream wires them to
//     the process's, where a libde265 warning about a damaged file landed
//     in the middle of the TUI); failures still come back as errors;
//   - the pixels are copied out of the module's memory, which is garbage
//     as soon as Decode returns;
//   - a broken embedded module is an error, not a panic.
//
// Phone photos (a 'grid' of 512x512 HEVC tiles) are decoded by
// DecodeTiled instead: one small synthesized HEIF per tile, in a few
// short-lived instances at once, stitched and transformed in Go to the
// very pixels Decode gives (grid.go, tiles.go, transform.go); anything
// else is Decode's, which holds the whole image in one instance.
package heic

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Errors from the module.
var (
	ErrMemRead  = errors.New("heic: mem read failed")
	ErrMemWrite = errors.New("heic: mem write failed")
	ErrDecode   = errors.New("heic: decode failed")
)

//go:embed lib/heif.wasm.gz
var heifWasm []byte

// module is the compiled module, shared by every decode.
type module struct {
	rt  wazero.Runtime
	cm  wazero.CompiledModule
	cfg wazero.ModuleConfig
}

// compile compiles the module once per process (about a second).
var compile = sync.OnceValues(func() (*module, error) {
	ctx := context.Background()
	zr, err := gzip.NewReader(bytes.NewReader(heifWasm))
	if err != nil {
		return nil, fmt.Errorf("heic: embedded module: %w", err)
	}
	wasm, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("heic: embedded module: %w", err)
	}
	cfg := wazero.NewRuntimeConfig()
	if cache := compilationCache(); cache != nil {
		cfg = cfg.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		return nil, fmt.Errorf("heic: wasi: %w", err)
	}
	cm, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, fmt.Errorf("heic: compile: %w", err)
	}
	return &module{rt: rt, cm: cm, cfg: wazero.NewModuleConfig().WithStdout(io.Discard).WithStderr(io.Discard)}, nil
})

// compilationCache keeps the module's machine code between processes in
// the user's cache folder (headshot/wasm), so only the first HEIC decode
// after an install pays the compile (about a second). The folder must be
// the user's own, private (0700): nobody else may plant code that this
// process would run. Without one, each process compiles.
func compilationCache() wazero.CompilationCache {
	base, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	dir := filepath.Join(base, "headshot", "wasm")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() || st.Mode().Perm()&0o077 != 0 || !ownedByMe(st) {
		return nil
	}
	c, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return nil
	}
	return c
}

// Init compiles the module now rather than on the first Decode.
func Init() error {
	_, err := compile()
	return err
}

// Values of libheif's enums that the module reports.
const (
	colorspaceYCbCr      = 0
	colorspaceRGB        = 1
	colorspaceMonochrome = 2

	chroma420 = 1
	chroma422 = 2
	chroma444 = 3
)

// Decode reads a HEIC image from r: its primary image, with the file's
// rotation and mirroring applied by libheif. Each call runs in a fresh
// module instance (its memory grows to a few hundred MB for a 12 MP photo
// and is released when Decode returns).
func Decode(r io.Reader) (image.Image, error) {
	m, err := compile()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	ctx := context.Background()
	mod, err := m.rt.InstantiateModule(ctx, m.cm, m.cfg)
	if err != nil {
		return nil, err
	}
	defer mod.Close(ctx)
	mem := mod.Memory()
	alloc, decode := mod.ExportedFunction("malloc"), mod.ExportedFunction("decode")
	malloc := func(n int) (uint64, error) {
		res, err := alloc.Call(ctx, uint64(n))
		if err != nil {
			return 0, fmt.Errorf("alloc: %w", err)
		}
		return res[0], nil
	}

	inPtr, err := malloc(len(data))
	if err != nil {
		return nil, err
	}
	if !mem.Write(uint32(inPtr), data) {
		return nil, ErrMemWrite
	}
	// width, height, colorspace, chroma, premultiplied: five uint32s.
	fields, err := malloc(4 * 5)
	if err != nil {
		return nil, err
	}
	call := func(configOnly, out uint64) error {
		res, err := decode.Call(ctx, inPtr, uint64(len(data)), configOnly, fields, fields+4, fields+8, fields+12, fields+16, out)
		if err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		if res[0] == 0 {
			return ErrDecode
		}
		return nil
	}
	if err := call(1, 0); err != nil {
		return nil, err
	}
	var f [5]uint32
	for i := range f {
		v, ok := mem.ReadUint32Le(uint32(fields) + uint32(4*i))
		if !ok {
			return nil, ErrMemRead
		}
		f[i] = v
	}
	width, height, colorspace, chroma, premultiplied := int(f[0]), int(f[1]), f[2], f[3], f[4]

	rect := image.Rect(0, 0, width, height)
	var size, stride, yStride, cStride, ch int
	var ratio image.YCbCrSubsampleRatio
	switch colorspace {
	case colorspaceYCbCr:
		switch chroma {
		case chroma420:
			ratio = image.YCbCrSubsampleRatio420
		case chroma422:
			ratio = image.YCbCrSubsampleRatio422
		case chroma444:
			ratio = image.YCbCrSubsampleRatio444
		default:
			return nil, fmt.Errorf("unsupported chroma %d", chroma)
		}
		// The module copies libheif's planes with rows aligned to 16 bytes.
		cw := width
		ch = height
		switch ratio {
		case image.YCbCrSubsampleRatio420:
			cw, ch = (width+1)/2, (height+1)/2
		case image.YCbCrSubsampleRatio422:
			cw = (width + 1) / 2
		}
		yStride, cStride = align16(width), align16(cw)
		size = yStride*height + 2*cStride*ch
	case colorspaceMonochrome:
		stride = align16(width)
		size = height * stride
	case colorspaceRGB:
		stride = align16(width * 4)
		size = height * stride
	default:
		return nil, fmt.Errorf("unsupported colorspace %d", colorspace)
	}

	outPtr, err := malloc(size)
	if err != nil {
		return nil, err
	}
	if err := call(0, outPtr); err != nil {
		return nil, err
	}
	view, ok := mem.Read(uint32(outPtr), uint32(size))
	if !ok {
		return nil, ErrMemRead
	}
	out := bytes.Clone(view) // the module's memory goes with the instance

	switch colorspace {
	case colorspaceYCbCr:
		i0 := yStride * height
		i1 := i0 + cStride*ch
		i2 := i1 + cStride*ch
		return &image.YCbCr{Y: out[:i0:i0], Cb: out[i0:i1:i1], Cr: out[i1:i2:i2],
			SubsampleRatio: ratio, YStride: yStride, CStride: cStride, Rect: rect}, nil
	case colorspaceMonochrome:
		return &image.Gray{Pix: out, Stride: stride, Rect: rect}, nil
	}
	if premultiplied == 1 {
		return &image.RGBA{Pix: out, Stride: stride, Rect: rect}, nil
	}
	return &image.NRGBA{Pix: out, Stride: stride, Rect: rect}, nil
}

func align16(n int) int { return (n + 15) &^ 15 }
