package heic

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero/api"
)

// Decoding a grid tile by tile: each tile goes to the module as its own
// small HEIF (tileFile), in one of a few module instances, and its planes
// are copied into the output image. An instance then only ever holds a
// few tiles (a 12 MP whole-image decode grows one instance's memory to
// hundreds of MB), and the tiles of one photo decode on every core. The
// output is the same YCbCr planes the whole-image decode returns: libheif
// decodes each tile of a grid the same way, and the transforms are
// applied plane by plane as libheif does (transform.go) where that is
// exact (planTransforms).

// poolSize is how many module instances decode tiles at once, over all
// decodes in the process.
var poolSize = min(runtime.NumCPU(), 4)

// maxInstanceMemory: an instance whose linear memory has grown past this
// is closed and replaced by a fresh one (0.5 ms). The module's decode
// never frees the image it decoded (heif_image_release is not called), so
// each 512x512 tile leaks its planes (about 390 KB) inside the instance;
// replacing it bounds that. Instances live for one decode, so nothing
// stays allocated between photos.
const maxInstanceMemory = 32 << 20

// initialHeap is the heap an instance starts with: a 512x512 tile's
// decode needs about 3 MB, and each leaks about 390 KB.
const initialHeap = 16 << 20

// instances bounds the live instances.
var instances = make(chan struct{}, poolSize)

// instance is one module instance with buffers kept between tiles.
type instance struct {
	mod                  api.Module
	mem                  api.Memory
	malloc, free, decode api.Function
	in, inCap            uint32
	out, outCap          uint32
	fields               uint32
}

// acquire returns a fresh instance, waiting while poolSize are in use.
func acquire(ctx context.Context) (*instance, error) {
	select {
	case instances <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	in, err := newInstance(ctx)
	if err != nil {
		<-instances
		return nil, err
	}
	return in, nil
}

// release closes an instance and frees its place.
func release(in *instance) {
	in.mod.Close(context.Background())
	<-instances
}

func newInstance(ctx context.Context) (*instance, error) {
	m, err := compile()
	if err != nil {
		return nil, err
	}
	mod, err := m.rt.InstantiateModule(ctx, m.cm, m.cfg)
	if err != nil {
		return nil, err
	}
	in := &instance{mod: mod, mem: mod.Memory(), malloc: mod.ExportedFunction("malloc"),
		free: mod.ExportedFunction("free"), decode: mod.ExportedFunction("decode")}
	if in.mem == nil || in.malloc == nil || in.free == nil || in.decode == nil {
		mod.Close(ctx)
		return nil, errors.New("heic: module without malloc, free or decode")
	}
	// Grow the memory to what a few tiles need in one step (a block
	// malloc'd and freed stays with the allocator): grown a little at a
	// time, each step would copy the whole linear memory.
	p, err := in.alloc(ctx, initialHeap)
	if err == nil {
		_, err = in.free.Call(ctx, uint64(p))
	}
	if err == nil {
		in.fields, err = in.alloc(ctx, 4*5)
	}
	if err != nil {
		mod.Close(ctx)
		return nil, err
	}
	return in, nil
}

func (in *instance) alloc(ctx context.Context, n int) (uint32, error) {
	res, err := in.malloc.Call(ctx, uint64(n))
	if err != nil {
		return 0, fmt.Errorf("alloc: %w", err)
	}
	if res[0] == 0 {
		return 0, fmt.Errorf("alloc: out of module memory")
	}
	return uint32(res[0]), nil
}

// ensure makes *ptr point at a module buffer of at least n bytes.
func (in *instance) ensure(ctx context.Context, ptr, capacity *uint32, n int) error {
	if *capacity >= uint32(n) {
		return nil
	}
	if *ptr != 0 {
		if _, err := in.free.Call(ctx, uint64(*ptr)); err != nil {
			return fmt.Errorf("free: %w", err)
		}
		*ptr, *capacity = 0, 0
	}
	p, err := in.alloc(ctx, n)
	if err != nil {
		return err
	}
	*ptr, *capacity = p, uint32(n)
	return nil
}

// decodedTile describes the planes the module wrote for one tile.
type decodedTile struct {
	colorspace, chroma uint32
	pix                []byte // a view of the instance's memory
}

// decodeTile decodes one single-tile HEIF; pix is valid until the next
// call on the instance.
func (in *instance) decodeTile(ctx context.Context, file []byte, w, h int) (decodedTile, error) {
	if err := in.ensure(ctx, &in.in, &in.inCap, len(file)); err != nil {
		return decodedTile{}, err
	}
	if !in.mem.Write(in.in, file) {
		return decodedTile{}, ErrMemWrite
	}
	// Room for any layout the module may write: interleaved RGBA is the
	// largest.
	size := align16(w*4) * h
	if err := in.ensure(ctx, &in.out, &in.outCap, size); err != nil {
		return decodedTile{}, err
	}
	f := uint64(in.fields)
	res, err := in.decode.Call(ctx, uint64(in.in), uint64(len(file)), 0, f, f+4, f+8, f+12, f+16, uint64(in.out))
	if err != nil {
		return decodedTile{}, fmt.Errorf("decode: %w", err)
	}
	if res[0] == 0 {
		return decodedTile{}, ErrDecode
	}
	var v [4]uint32
	for i := range v {
		x, ok := in.mem.ReadUint32Le(in.fields + uint32(4*i))
		if !ok {
			return decodedTile{}, ErrMemRead
		}
		v[i] = x
	}
	if int(v[0]) != w || int(v[1]) != h {
		return decodedTile{}, notTiled("a tile decoded to %dx%d, not %dx%d", v[0], v[1], w, h)
	}
	pix, ok := in.mem.Read(in.out, uint32(size))
	if !ok {
		return decodedTile{}, ErrMemRead
	}
	return decodedTile{colorspace: v[2], chroma: v[3], pix: pix}, nil
}

// planar is an image as libheif holds it: one to three 8-bit planes.
type planar struct {
	w, h   int
	sx, sy int // chroma subsampling: 2,2 for 4:2:0; 2,1 4:2:2; 1,1 4:4:4
	planes []plane
}

type plane struct {
	w, h, stride int
	pix          []byte
}

func newPlane(w, h int) plane { return plane{w: w, h: h, stride: w, pix: make([]byte, w*h)} }

// tileLayout is where each plane of a decoded tile lies in the module's
// buffer, as the module lays them out (rows aligned to 16 bytes).
func tileLayout(colorspace, chroma uint32, w, h int) (sx, sy int, strides, rows []int, err error) {
	switch colorspace {
	case colorspaceMonochrome:
		return 1, 1, []int{align16(w)}, []int{h}, nil
	case colorspaceYCbCr:
		switch chroma {
		case chroma420:
			sx, sy = 2, 2
		case chroma422:
			sx, sy = 2, 1
		case chroma444:
			sx, sy = 1, 1
		default:
			return 0, 0, nil, nil, notTiled("tile chroma %d", chroma)
		}
		cw, ch := (w+sx-1)/sx, (h+sy-1)/sy
		return sx, sy, []int{align16(w), align16(cw), align16(cw)}, []int{h, ch, ch}, nil
	}
	return 0, 0, nil, nil, notTiled("tile colorspace %d", colorspace)
}

// DecodeTiled decodes a grid HEIC tile by tile, transforms applied, to the
// same pixels as Decode. A file it does not handle (not a grid, tiles it
// cannot stitch, anything unusual) gives an error wrapping ErrNotTiled,
// and the caller decodes it with Decode; other errors are failures to
// decode a tile.
func DecodeTiled(ctx context.Context, file []byte) (image.Image, error) {
	return DecodeTiledRegion(ctx, file, image.Rectangle{})
}

// DecodeTiledRegion is DecodeTiled that decodes only the tiles under
// region (in the decoded, transformed image's coordinates; empty: all).
// The image has the whole photo's bounds and its pixels inside region are
// the whole decode's; outside region they are undefined.
func DecodeTiledRegion(ctx context.Context, file []byte, region image.Rectangle) (image.Image, error) {
	g, err := parseGridLayout(file)
	if err != nil {
		return nil, err
	}
	return g.decode(ctx, g.tilesUnder(region))
}

// tilesUnder lists the tiles whose pixels land in region once the
// transforms are applied (all of them for an empty region).
func (g *gridLayout) tilesUnder(region image.Rectangle) []int {
	var out []int
	for i := range g.tiles {
		r := image.Rect(i%g.cols*g.tileW, i/g.cols*g.tileH, (i%g.cols+1)*g.tileW, (i/g.cols+1)*g.tileH)
		if region.Empty() || g.displayRect(r).Overlaps(region) {
			out = append(out, i)
		}
	}
	return out
}

// displayRect maps a rectangle of the grid to where the transforms put it.
func (g *gridLayout) displayRect(r image.Rectangle) image.Rectangle {
	w, h := g.width, g.height
	r = r.Intersect(image.Rect(0, 0, w, h))
	for _, t := range g.transforms {
		switch t.kind {
		case "irot":
			switch t.body[0] & 3 {
			case 1:
				r = image.Rect(r.Min.Y, w-r.Max.X, r.Max.Y, w-r.Min.X)
			case 2:
				r = image.Rect(w-r.Max.X, h-r.Max.Y, w-r.Min.X, h-r.Min.Y)
			case 3:
				r = image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
			}
			if t.body[0]&1 != 0 {
				w, h = h, w
			}
		case "imir":
			if t.body[0]&1 != 0 {
				r = image.Rect(w-r.Max.X, r.Min.Y, w-r.Min.X, r.Max.Y)
			} else {
				r = image.Rect(r.Min.X, h-r.Max.Y, r.Max.X, h-r.Min.Y)
			}
		case "clap":
			c := t.crop
			w, h = c[1]-c[0]+1, c[3]-c[2]+1
			r = r.Sub(image.Pt(c[0], c[2])).Intersect(image.Rect(0, 0, w, h))
		}
	}
	return r
}

func (g *gridLayout) decode(ctx context.Context, tiles []int) (image.Image, error) {
	if len(tiles) == 0 {
		return nil, notTiled("no tile under the region")
	}
	// The first tile fixes the layout of the output.
	var (
		out    *planar
		placed [3]placement
	)
	place := func(i int, t decodedTile) error {
		sx, sy, strides, rows, err := tileLayout(t.colorspace, t.chroma, g.tileW, g.tileH)
		if err != nil {
			return err
		}
		if sx != 2 || sy != 2 || len(strides) != 3 {
			// Only 4:2:0 (what phones write) is checked against the
			// whole-image decode.
			return notTiled("tiles are not 4:2:0")
		}
		if out == nil {
			// The output as the transforms leave it; tiles are pasted
			// straight to their place in it.
			placed = g.placements(2)
			out = &planar{w: placed[0].w, h: placed[0].h, sx: sx, sy: sy}
			for p := range strides {
				out.planes = append(out.planes, newPlane(placed[p].w, placed[p].h))
			}
		} else if sx != out.sx || sy != out.sy || len(strides) != len(out.planes) {
			return notTiled("tiles of different colour layouts")
		}
		x0, y0 := i%g.cols*g.tileW, i/g.cols*g.tileH
		off := 0
		for p, dst := range out.planes {
			s := [2]int{1, 1}
			if p > 0 {
				s = [2]int{sx, sy}
			}
			tw, px, py := (g.tileW+s[0]-1)/s[0], x0/s[0], y0/s[1]
			// The grid's plane is cut to the output size first.
			gw, gh := (g.width+s[0]-1)/s[0], (g.height+s[1]-1)/s[1]
			placed[p].paste(dst, t.pix[off:], strides[p], px, py, min(tw, gw-px), min(rows[p], gh-py))
			off += strides[p] * rows[p]
		}
		return nil
	}

	file := g.tileFile(g.tiles[tiles[0]], nil)
	in, err := acquire(ctx)
	if err != nil {
		return nil, err
	}
	t, err := in.decodeTile(ctx, file, g.tileW, g.tileH)
	if err == nil {
		err = place(tiles[0], t)
	}
	if err != nil {
		release(in)
		return nil, err
	}

	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
		failed  atomic.Bool
	)
	next.Store(1)
	fail := func(err error) {
		errOnce.Do(func() { first = err })
		failed.Store(true)
	}
	// The first worker goes on in the first tile's instance.
	for w := range max(1, min(poolSize, len(tiles)-1)) {
		var own *instance
		if w == 0 {
			own = in
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The caller's recover (decode.go) cannot see this goroutine:
			// a panic here would stop the program, so it becomes the error.
			defer func() {
				if r := recover(); r != nil {
					fail(fmt.Errorf("heic: tile worker: %v", r))
				}
			}()
			if err := g.decodeTiles(ctx, own, tiles, &next, &failed, place); err != nil {
				fail(err)
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out.image()
}

// decodeTiles decodes tiles in one instance (in, or one it acquires when
// in is nil), taking the next entry of tiles from next until none is left
// or another worker has failed; it releases the instance.
func (g *gridLayout) decodeTiles(ctx context.Context, in *instance, tiles []int, next *atomic.Int64, failed *atomic.Bool, place func(int, decodedTile) error) error {
	if in == nil {
		var err error
		if in, err = acquire(ctx); err != nil {
			return err
		}
	}
	defer func() { release(in) }()
	var buf []byte
	for !failed.Load() {
		k := int(next.Add(1) - 1)
		if k >= len(tiles) {
			return nil
		}
		i := tiles[k]
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = g.tileFile(g.tiles[i], buf)
		t, err := in.decodeTile(ctx, buf, g.tileW, g.tileH)
		if err == nil {
			err = place(i, t)
		}
		if err != nil {
			return fmt.Errorf("tile %d: %w", i, err)
		}
		if in.mem.Size() > maxInstanceMemory {
			fresh, err := newInstance(ctx)
			if err != nil {
				return err
			}
			in.mod.Close(ctx)
			in = fresh
		}
	}
	return nil
}

// image wraps the planes as the Go image Decode returns for them.
func (p *planar) image() (image.Image, error) {
	rect := image.Rect(0, 0, p.w, p.h)
	if len(p.planes) == 1 {
		y := p.planes[0]
		if y.w < p.w || y.h < p.h {
			return nil, notTiled("plane smaller than the image")
		}
		return &image.Gray{Pix: y.pix, Stride: y.stride, Rect: rect}, nil
	}
	y, cb, cr := p.planes[0], p.planes[1], p.planes[2]
	cw, ch := (p.w+p.sx-1)/p.sx, (p.h+p.sy-1)/p.sy
	if y.w < p.w || y.h < p.h || cb.w < cw || cb.h < ch || cr.w < cw || cr.h < ch || cb.stride != cr.stride {
		return nil, notTiled("plane smaller than the image")
	}
	ratio := image.YCbCrSubsampleRatio444
	switch {
	case p.sx == 2 && p.sy == 2:
		ratio = image.YCbCrSubsampleRatio420
	case p.sx == 2:
		ratio = image.YCbCrSubsampleRatio422
	}
	return &image.YCbCr{Y: y.pix, Cb: cb.pix, Cr: cr.pix, YStride: y.stride, CStride: cb.stride,
		SubsampleRatio: ratio, Rect: rect}, nil
}
