package heic

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// This file reads the layout of a grid HEIC (the way phones store a
// photo: a 'grid' item whose 'dimg' references are HEVC tiles, 512x512 on
// an iPhone, each its own HEVC picture) and writes, for one tile, the
// smallest single-image HEIF that libheif decodes to that tile.

// ErrNotTiled says the file is not a grid layout this package decodes tile
// by tile; the caller decodes it whole with Decode instead. It wraps the
// reason.
var ErrNotTiled = errors.New("heic: not a tiled layout")

func notTiled(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotTiled, fmt.Sprintf(format, args...))
}

// Limits on what the tiled path accepts (anything beyond goes to Decode,
// which has its own).
const (
	maxMetaBytes = 4 << 20
	maxTiles     = 4096
	maxBoxes     = 1 << 16
	// maxTileSide bounds a tile's ispe: phone tiles are 512 px; a tile's
	// output buffer (4 bytes a pixel) must stay far from int32's range.
	maxTileSide = 8192
	// minTileWidth: the module copies planes assuming rows aligned to 16
	// bytes, but libheif pads rows to at least 64 samples, so a chroma row
	// narrower than 64 would come out garbled (see imageprep's heicMinWidth).
	minTileWidth = 128
)

// gridLayout is what decoding a grid primary image tile by tile needs.
type gridLayout struct {
	rows, cols    int
	width, height int // output size, before the transforms
	tileW, tileH  int
	tiles         []tile      // row-major
	transforms    []transform // the primary item's, in association order
}

// tile is one HEVC tile: its decoder configuration and coded data.
type tile struct {
	hvcC []byte // the whole 'hvcC' box, header included
	data []byte // the item's extents, concatenated
}

// transform is one of the primary item's transformative properties.
type transform struct {
	kind string // "irot", "imir" or "clap"
	body []byte
	// crop is the clean aperture's inclusive pixel bounds (left, right,
	// top, bottom) in the image it applies to.
	crop [4]int
}

// box is one ISO BMFF box inside a buffer.
type box struct {
	typ  string
	raw  []byte // header and body
	body []byte
}

// parseBoxes splits b into boxes; a box that does not fit is an error.
func parseBoxes(b []byte) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if len(b) < 8 || len(out) >= maxBoxes {
			return nil, notTiled("malformed box list")
		}
		n := uint64(binary.BigEndian.Uint32(b[0:4]))
		hdr := uint64(8)
		switch n {
		case 1:
			if len(b) < 16 {
				return nil, notTiled("malformed box list")
			}
			n, hdr = binary.BigEndian.Uint64(b[8:16]), 16
		case 0:
			n = uint64(len(b))
		}
		if n < hdr || n > uint64(len(b)) {
			return nil, notTiled("box %q overruns its parent", b[4:8])
		}
		out = append(out, box{typ: string(b[4:8]), raw: b[:n], body: b[hdr:n]})
		b = b[n:]
	}
	return out, nil
}

// findBox returns the first box of type typ.
func findBox(bs []box, typ string) (box, bool) {
	for _, b := range bs {
		if b.typ == typ {
			return b, true
		}
	}
	return box{}, false
}

// reader reads big-endian fields from a box body, remembering a short read.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uint(n int) uint64 {
	if n == 0 {
		return 0
	}
	if r.bad || len(r.b) < n || n > 8 {
		r.bad = true
		return 0
	}
	var v uint64
	for _, c := range r.b[:n] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) skip(n int) {
	if r.bad || len(r.b) < n {
		r.bad = true
		return
	}
	r.b = r.b[n:]
}

// item is what the meta box says about one item.
type item struct {
	typ     string
	method  int // iloc construction method: 0 file offsets, 1 idat
	extents [][2]uint64
	located bool
	props   []prop
}

// prop is one associated property.
type prop struct {
	box
	essential bool
}

// parseGridLayout reads a HEIF file's boxes and returns the layout of its
// primary image when that is a grid of HEVC tiles this package can decode
// one by one; otherwise an error wrapping ErrNotTiled.
func parseGridLayout(file []byte) (*gridLayout, error) {
	top, err := parseBoxes(file)
	if err != nil {
		return nil, err
	}
	if _, ok := findBox(top, "ftyp"); !ok {
		return nil, notTiled("no ftyp box")
	}
	meta, ok := findBox(top, "meta")
	if !ok || len(meta.body) < 4 || len(meta.body) > maxMetaBytes {
		return nil, notTiled("no usable meta box")
	}
	mb, err := parseBoxes(meta.body[4:])
	if err != nil {
		return nil, err
	}
	primary, err := parsePitm(mb)
	if err != nil {
		return nil, err
	}
	items, err := parseIinf(mb)
	if err != nil {
		return nil, err
	}
	if err := parseIloc(mb, items); err != nil {
		return nil, err
	}
	if err := parseIprp(mb, items); err != nil {
		return nil, err
	}
	refs, err := parseIref(mb)
	if err != nil {
		return nil, err
	}
	var idat []byte
	if b, ok := findBox(mb, "idat"); ok {
		idat = b.body
	}
	// Items of several extents are copies: together at most the file's
	// size (a grid naming one such item 4096 times would copy it 4096
	// times).
	budget := len(file)
	data := func(it *item) ([]byte, error) {
		d, err := itemData(it, file, idat)
		if err == nil && len(it.extents) > 1 {
			if budget -= len(d); budget < 0 {
				return nil, notTiled("item data copied beyond the file's size")
			}
		}
		return d, err
	}

	p := items[primary]
	if p == nil || p.typ != "grid" {
		return nil, notTiled("the primary image is not a grid")
	}
	for _, r := range refs {
		if r.typ == "auxl" && contains(r.to, primary) {
			if aux := items[r.from]; aux != nil && isAlpha(aux) {
				return nil, notTiled("the grid has an alpha plane")
			}
		}
	}
	g := &gridLayout{}
	payload, err := data(p)
	if err != nil {
		return nil, err
	}
	if err := g.parseImageGrid(payload); err != nil {
		return nil, err
	}
	if err := g.primaryProps(p.props); err != nil {
		return nil, err
	}
	var tileIDs []uint32
	for _, r := range refs {
		if r.typ == "dimg" && r.from == primary {
			if tileIDs != nil {
				return nil, notTiled("two dimg references from the grid")
			}
			tileIDs = r.to
		}
	}
	if len(tileIDs) != g.rows*g.cols {
		return nil, notTiled("%d tiles for a %dx%d grid", len(tileIDs), g.cols, g.rows)
	}
	for i, id := range tileIDs {
		it := items[id]
		if it == nil || it.typ != "hvc1" {
			return nil, notTiled("tile %d is not an HEVC image", i)
		}
		var t tile
		w, h := 0, 0
		for _, pr := range it.props {
			switch pr.typ {
			case "hvcC":
				t.hvcC = pr.raw
			case "ispe":
				r := reader{b: pr.body}
				r.skip(4)
				w, h = int(r.uint(4)), int(r.uint(4))
				if r.bad {
					return nil, notTiled("short ispe")
				}
			case "colr", "pixi", "pasp":
			default:
				if pr.essential {
					return nil, notTiled("tile %d has an essential %q property", i, pr.typ)
				}
			}
		}
		if t.hvcC == nil || w <= 0 || h <= 0 {
			return nil, notTiled("tile %d has no hvcC or size", i)
		}
		if i == 0 {
			g.tileW, g.tileH = w, h
		} else if w != g.tileW || h != g.tileH {
			return nil, notTiled("tiles of different sizes")
		}
		if t.data, err = data(it); err != nil {
			return nil, err
		}
		g.tiles = append(g.tiles, t)
	}
	switch {
	case g.tileW < minTileWidth:
		return nil, notTiled("tiles %d px wide (under %d)", g.tileW, minTileWidth)
	case g.tileW > maxTileSide || g.tileH > maxTileSide:
		return nil, notTiled("tiles of %dx%d px (over %d)", g.tileW, g.tileH, maxTileSide)
	case g.tileW%2 != 0 || g.tileH%2 != 0:
		return nil, notTiled("odd tile size %dx%d", g.tileW, g.tileH)
	case g.cols*g.tileW < g.width || g.rows*g.tileH < g.height:
		return nil, notTiled("tiles do not cover the %dx%d output", g.width, g.height)
	case (g.cols-1)*g.tileW >= g.width || (g.rows-1)*g.tileH >= g.height:
		return nil, notTiled("a row or column of tiles lies outside the output")
	}
	if err := g.planTransforms(); err != nil {
		return nil, err
	}
	return g, nil
}

func contains(ids []uint32, id uint32) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// isAlpha says whether an auxiliary image is an alpha plane (its auxC
// names one of the alpha URNs).
func isAlpha(it *item) bool {
	for _, p := range it.props {
		if p.typ == "auxC" && len(p.body) > 4 {
			urn := string(p.body[4:])
			if strings.Contains(urn, "alpha") || strings.Contains(urn, "auxid:1") {
				return true
			}
		}
	}
	return false
}

func parsePitm(mb []box) (uint32, error) {
	b, ok := findBox(mb, "pitm")
	if !ok {
		return 0, notTiled("no pitm")
	}
	r := reader{b: b.body}
	v := r.uint(1)
	r.skip(3)
	id := r.uint(2)
	if v != 0 {
		id = id<<16 | r.uint(2)
	}
	if r.bad {
		return 0, notTiled("short pitm")
	}
	return uint32(id), nil
}

func parseIinf(mb []box) (map[uint32]*item, error) {
	b, ok := findBox(mb, "iinf")
	if !ok {
		return nil, notTiled("no iinf")
	}
	r := reader{b: b.body}
	v := r.uint(1)
	r.skip(3)
	if v == 0 {
		r.skip(2)
	} else {
		r.skip(4)
	}
	if r.bad {
		return nil, notTiled("short iinf")
	}
	entries, err := parseBoxes(r.b)
	if err != nil {
		return nil, err
	}
	items := map[uint32]*item{}
	for _, e := range entries {
		if e.typ != "infe" {
			continue
		}
		r := reader{b: e.body}
		v := r.uint(1)
		r.skip(3)
		var id uint64
		switch v {
		case 2:
			id = r.uint(2)
		case 3:
			id = r.uint(4)
		default:
			return nil, notTiled("infe version %d", v)
		}
		r.skip(2) // protection index
		typ := r.b
		r.skip(4)
		if r.bad {
			return nil, notTiled("short infe")
		}
		if items[uint32(id)] != nil {
			return nil, notTiled("item %d listed twice", id)
		}
		items[uint32(id)] = &item{typ: string(typ[:4])}
	}
	return items, nil
}

func parseIloc(mb []box, items map[uint32]*item) error {
	b, ok := findBox(mb, "iloc")
	if !ok {
		return notTiled("no iloc")
	}
	r := reader{b: b.body}
	v := r.uint(1)
	r.skip(3)
	if v > 2 {
		return notTiled("iloc version %d", v)
	}
	sizes := r.uint(2)
	offSize, lenSize := int(sizes>>12), int(sizes>>8&15)
	baseSize, idxSize := int(sizes>>4&15), 0
	if v > 0 {
		idxSize = int(sizes & 15)
	}
	for _, s := range []int{offSize, lenSize, baseSize, idxSize} {
		if s != 0 && s != 4 && s != 8 {
			return notTiled("iloc field size %d", s)
		}
	}
	if lenSize == 0 {
		// Extents "to the end of the file", which the tiled path refuses
		// anyway; and with nothing to read per extent, a hostile count
		// would spin here.
		return notTiled("iloc without extent lengths")
	}
	var count uint64
	if v < 2 {
		count = r.uint(2)
	} else {
		count = r.uint(4)
	}
	for i := uint64(0); i < count && !r.bad; i++ {
		var id uint64
		if v < 2 {
			id = r.uint(2)
		} else {
			id = r.uint(4)
		}
		method := 0
		if v > 0 {
			method = int(r.uint(2) & 15)
		}
		if r.uint(2) != 0 {
			return notTiled("item data in another file")
		}
		base := r.uint(baseSize)
		n := r.uint(2)
		it := items[uint32(id)]
		if it != nil {
			if it.located {
				return notTiled("item %d located twice", id)
			}
			it.located, it.method = true, method
		}
		for j := uint64(0); j < n && !r.bad; j++ {
			r.skip(idxSize)
			off, length := r.uint(offSize), r.uint(lenSize)
			if it != nil {
				if length == 0 || off > 1<<62 || base > 1<<62 {
					return notTiled("item %d: extent to the end of the file", id)
				}
				it.extents = append(it.extents, [2]uint64{base + off, length})
			}
		}
	}
	if r.bad {
		return notTiled("short iloc")
	}
	return nil
}

// itemData is an item's extents, concatenated (a single extent is not
// copied).
func itemData(it *item, file, idat []byte) ([]byte, error) {
	src := file
	switch it.method {
	case 0:
	case 1:
		src = idat
	default:
		return nil, notTiled("iloc construction method %d", it.method)
	}
	if !it.located || len(it.extents) == 0 {
		return nil, notTiled("an item without data")
	}
	// Extents may repeat or overlap: an item is never more bytes than
	// the file holds, checked before anything is copied.
	total := uint64(0)
	for _, e := range it.extents {
		if e[0] > uint64(len(src)) || e[1] > uint64(len(src))-e[0] {
			return nil, notTiled("item data beyond the end of the file")
		}
		total += e[1]
		if total > uint64(len(src)) {
			return nil, notTiled("item data larger than the file")
		}
	}
	if len(it.extents) == 1 {
		e := it.extents[0]
		return src[e[0] : e[0]+e[1]], nil
	}
	out := make([]byte, 0, total)
	for _, e := range it.extents {
		out = append(out, src[e[0]:e[0]+e[1]]...)
	}
	return out, nil
}

func parseIprp(mb []box, items map[uint32]*item) error {
	b, ok := findBox(mb, "iprp")
	if !ok {
		return notTiled("no iprp")
	}
	ip, err := parseBoxes(b.body)
	if err != nil {
		return err
	}
	ipco, ok := findBox(ip, "ipco")
	if !ok {
		return notTiled("no ipco")
	}
	props, err := parseBoxes(ipco.body)
	if err != nil {
		return err
	}
	seen := map[uint32]bool{}
	for _, ipma := range ip {
		if ipma.typ != "ipma" {
			continue
		}
		r := reader{b: ipma.body}
		v := r.uint(1)
		flags := r.uint(3)
		n := r.uint(4)
		for i := uint64(0); i < n && !r.bad; i++ {
			var id uint64
			if v < 1 {
				id = r.uint(2)
			} else {
				id = r.uint(4)
			}
			if seen[uint32(id)] {
				return notTiled("item %d associated twice", id)
			}
			seen[uint32(id)] = true
			cnt := r.uint(1)
			it := items[uint32(id)]
			for j := uint64(0); j < cnt && !r.bad; j++ {
				var idx uint64
				var essential bool
				if flags&1 != 0 {
					x := r.uint(2)
					idx, essential = x&0x7fff, x&0x8000 != 0
				} else {
					x := r.uint(1)
					idx, essential = x&0x7f, x&0x80 != 0
				}
				if idx == 0 || it == nil {
					continue
				}
				if idx > uint64(len(props)) {
					return notTiled("property %d of %d", idx, len(props))
				}
				it.props = append(it.props, prop{box: props[idx-1], essential: essential})
			}
		}
		if r.bad {
			return notTiled("short ipma")
		}
	}
	return nil
}

// reference is one entry of the iref box.
type reference struct {
	typ  string
	from uint32
	to   []uint32
}

func parseIref(mb []box) ([]reference, error) {
	b, ok := findBox(mb, "iref")
	if !ok {
		return nil, nil
	}
	r := reader{b: b.body}
	v := r.uint(1)
	r.skip(3)
	if r.bad {
		return nil, notTiled("short iref")
	}
	size := 2
	if v != 0 {
		size = 4
	}
	entries, err := parseBoxes(r.b)
	if err != nil {
		return nil, err
	}
	var out []reference
	for _, e := range entries {
		r := reader{b: e.body}
		ref := reference{typ: e.typ, from: uint32(r.uint(size))}
		n := int(r.uint(2))
		if n > maxTiles {
			return nil, notTiled("%d references", n)
		}
		for i := 0; i < n; i++ {
			ref.to = append(ref.to, uint32(r.uint(size)))
		}
		if r.bad {
			return nil, notTiled("short %s reference", e.typ)
		}
		out = append(out, ref)
	}
	return out, nil
}

// parseImageGrid reads the grid item's payload (ISO/IEC 23008-12 6.6.2.3).
func (g *gridLayout) parseImageGrid(b []byte) error {
	r := reader{b: b}
	if r.uint(1) != 0 {
		return notTiled("grid version")
	}
	size := 2
	if r.uint(1)&1 != 0 {
		size = 4
	}
	g.rows, g.cols = int(r.uint(1))+1, int(r.uint(1))+1
	g.width, g.height = int(r.uint(size)), int(r.uint(size))
	if r.bad || g.width <= 0 || g.height <= 0 {
		return notTiled("short or empty grid")
	}
	if g.rows*g.cols > maxTiles {
		return notTiled("%d tiles", g.rows*g.cols)
	}
	return nil
}

// primaryProps checks the grid item's properties and keeps its
// transforms in order.
func (g *gridLayout) primaryProps(props []prop) error {
	sawIspe := false
	for _, p := range props {
		switch p.typ {
		case "ispe":
			sawIspe = true
			r := reader{b: p.body}
			r.skip(4)
			if w, h := int(r.uint(4)), int(r.uint(4)); r.bad || w != g.width || h != g.height {
				return notTiled("ispe %dx%d differs from the grid's %dx%d", w, h, g.width, g.height)
			}
		case "irot", "imir":
			if len(p.body) < 1 {
				return notTiled("short %s", p.typ)
			}
			g.transforms = append(g.transforms, transform{kind: p.typ, body: p.body})
		case "clap":
			if len(p.body) < 32 {
				return notTiled("short clap")
			}
			g.transforms = append(g.transforms, transform{kind: p.typ, body: p.body})
		case "colr":
			// nclx with matrix_coefficients 0 (RGB) makes libheif decode to
			// RGB, which the tiled path does not do.
			if len(p.body) >= 11 && string(p.body[0:4]) == "nclx" && binary.BigEndian.Uint16(p.body[8:10]) == 0 {
				return notTiled("an RGB (matrix 0) grid")
			}
		case "pixi", "pasp", "hvcC":
		default:
			if p.essential {
				return notTiled("an essential %q property on the grid", p.typ)
			}
		}
	}
	if !sawIspe {
		// The header's size (what Inspect checked against the pixel
		// limit) would then be some other item's: decode whole.
		return notTiled("grid without ispe")
	}
	return nil
}

// planTransforms works out each transform's geometry and refuses those
// the tiled path would not reproduce to the sample. libheif transforms a
// 4:2:0 image plane by plane (as transform.go does) only while every edge
// and cut falls on a whole chroma sample; an odd size or an odd crop
// offset makes it resample the chroma (through 4:4:4), which the tiled
// path leaves to the whole-image decode (measured: TestTiledMatchesWholeDecode
// and TestTiledFallsBack).
func (g *gridLayout) planTransforms() error {
	w, h := g.width, g.height
	if w%2 != 0 || h%2 != 0 {
		return notTiled("odd output size %dx%d", w, h)
	}
	for i := range g.transforms {
		t := &g.transforms[i]
		switch t.kind {
		case "irot":
			if t.body[0]&1 != 0 {
				w, h = h, w
			}
		case "clap":
			c, err := clapRect(t.body, w, h)
			if err != nil {
				return err
			}
			cw, ch := c[1]-c[0]+1, c[3]-c[2]+1
			if c[0]%2 != 0 || c[2]%2 != 0 || cw%2 != 0 || ch%2 != 0 {
				return notTiled("clean aperture %dx%d at %d,%d cuts chroma samples", cw, ch, c[0], c[2])
			}
			t.crop = c
			w, h = cw, ch
		}
	}
	return nil
}

// tileFile writes the HEIF that holds tile t alone, as a 1x1 grid: ftyp,
// a meta box (hdlr, pitm, iinf with the grid and the tile, iref, iloc,
// iprp with the tile's hvcC and size, idat with the grid payload) and an
// mdat box with the coded tile. A 1x1 grid rather than a plain image:
// libheif (1.18, as compiled in the module) post-processes a grid's tiles
// differently from a single image (a single image's chroma differs at its
// borders), and with the grid its pixels are the whole-image decode's, to
// the sample (TestTiledMatchesWholeDecode).
func (g *gridLayout) tileFile(t tile, dst []byte) []byte {
	var w boxWriter
	w.buf = dst[:0]
	w.open("ftyp")
	w.raw([]byte("heic"))
	w.u32(0)
	w.raw([]byte("mif1heic"))
	w.close()

	w.openFull("meta", 0, 0)
	w.openFull("hdlr", 0, 0)
	w.u32(0)
	w.raw([]byte("pict"))
	w.u32(0)
	w.u32(0)
	w.u32(0)
	w.u8(0) // empty name
	w.close()
	w.openFull("pitm", 0, 0)
	w.u16(1)
	w.close()
	w.openFull("iinf", 0, 0)
	w.u16(2)
	w.openFull("infe", 2, 0)
	w.u16(1) // item ID
	w.u16(0) // protection index
	w.raw([]byte("grid"))
	w.u8(0) // empty name
	w.close()
	w.openFull("infe", 2, 1) // hidden
	w.u16(2)
	w.u16(0)
	w.raw([]byte("hvc1"))
	w.u8(0)
	w.close()
	w.close()
	w.openFull("iref", 0, 0)
	w.open("dimg")
	w.u16(1)
	w.u16(1)
	w.u16(2)
	w.close()
	w.close()
	w.openFull("iloc", 1, 0)
	w.u8(0x44) // offset and length: 4 bytes
	w.u8(0)    // no base offset, no index
	w.u16(2)
	w.u16(1) // the grid: in idat
	w.u16(1)
	w.u16(0)
	w.u16(1)
	w.u32(0)
	w.u32(12)
	w.u16(2) // the tile: in this file
	w.u16(0)
	w.u16(0)
	w.u16(1)
	offsetAt := len(w.buf)
	w.u32(0) // patched below
	w.u32(uint32(len(t.data)))
	w.close()
	w.open("iprp")
	w.open("ipco")
	w.raw(t.hvcC)
	w.openFull("ispe", 0, 0)
	w.u32(uint32(g.tileW))
	w.u32(uint32(g.tileH))
	w.close()
	w.close()
	w.openFull("ipma", 0, 0)
	w.u32(2)
	w.u16(1)   // the grid
	w.u8(1)    // one association
	w.u8(0x02) // ispe
	w.u16(2)   // the tile
	w.u8(2)
	w.u8(0x81) // hvcC, essential
	w.u8(0x02) // ispe
	w.close()
	w.close()
	w.open("idat")
	w.u8(0) // version
	w.u8(1) // 32-bit sizes
	w.u8(0) // one row
	w.u8(0) // one column
	w.u32(uint32(g.tileW))
	w.u32(uint32(g.tileH))
	w.close()
	w.close() // meta

	w.open("mdat")
	binary.BigEndian.PutUint32(w.buf[offsetAt:], uint32(len(w.buf)))
	w.raw(t.data)
	w.close()
	return w.buf
}

// boxWriter appends boxes to a buffer; open and close nest.
type boxWriter struct {
	buf   []byte
	stack []int
}

func (w *boxWriter) open(typ string) {
	w.stack = append(w.stack, len(w.buf))
	w.buf = append(w.buf, 0, 0, 0, 0)
	w.buf = append(w.buf, typ...)
}

func (w *boxWriter) openFull(typ string, version byte, flags uint32) {
	w.open(typ)
	w.u32(uint32(version)<<24 | flags&0xffffff)
}

func (w *boxWriter) close() {
	start := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	binary.BigEndian.PutUint32(w.buf[start:], uint32(len(w.buf)-start))
}

func (w *boxWriter) raw(b []byte) { w.buf = append(w.buf, b...) }
func (w *boxWriter) u8(v uint8)   { w.buf = append(w.buf, v) }
func (w *boxWriter) u16(v uint16) { w.buf = binary.BigEndian.AppendUint16(w.buf, v) }
func (w *boxWriter) u32(v uint32) { w.buf = binary.BigEndian.AppendUint32(w.buf, v) }
