package heic

import "encoding/binary"

// The primary item's transforms (irot, imir, clap, in the order the item
// lists them) are applied while the tiles are pasted: each plane gets the
// affine map from grid to output coordinates that libheif 1.18's
// plane-by-plane transforms amount to (rotate_ccw, mirror_inplace, crop,
// each plane at its own size), so no second full-size image is made.
// planTransforms sends the cases where libheif resamples the chroma
// instead (odd sizes or crops) to the whole-image decode.

// placement maps one plane's grid coordinates to output coordinates:
// x' = ax*x + bx*y + cx, y' = ay*x + by*y + cy, kept where 0 <= x' < w
// and 0 <= y' < h.
type placement struct {
	ax, bx, cx int
	ay, by, cy int
	w, h       int
}

// then composes p with the map (x, y) -> (mx*x + nx*y + ox, my*x + ny*y + oy).
func (p placement) then(mx, nx, ox, my, ny, oy int) placement {
	return placement{
		ax: mx*p.ax + nx*p.ay, bx: mx*p.bx + nx*p.by, cx: mx*p.cx + nx*p.cy + ox,
		ay: my*p.ax + ny*p.ay, by: my*p.bx + ny*p.by, cy: my*p.cx + ny*p.cy + oy,
		w: p.w, h: p.h,
	}
}

// placements works out each plane's placement: plane 0 at full size, the
// chroma planes at 1/s of it (all sizes and cuts even: planTransforms).
func (g *gridLayout) placements(s int) [3]placement {
	var out [3]placement
	for p := range out {
		div := 1
		if p > 0 {
			div = s
		}
		w, h := g.width, g.height // luma size, for the crop's plane scale
		pl := placement{ax: 1, by: 1, w: w / div, h: h / div}
		for _, t := range g.transforms {
			pw, ph := pl.w, pl.h
			switch t.kind {
			case "irot":
				switch t.body[0] & 3 {
				case 1: // (x, y) -> (y, pw-1-x)
					pl = pl.then(0, 1, 0, -1, 0, pw-1)
				case 2:
					pl = pl.then(-1, 0, pw-1, 0, -1, ph-1)
				case 3: // (x, y) -> (ph-1-y, x)
					pl = pl.then(0, -1, ph-1, 1, 0, 0)
				}
				if t.body[0]&1 != 0 {
					pl.w, pl.h = ph, pw
					w, h = h, w
				}
			case "imir":
				if t.body[0]&1 != 0 {
					pl = pl.then(-1, 0, pw-1, 0, 1, 0)
				} else {
					pl = pl.then(1, 0, 0, 0, -1, ph-1)
				}
			case "clap":
				c := t.crop
				left, right, top, bottom := c[0]*pw/w, c[1]*pw/w, c[2]*ph/h, c[3]*ph/h
				pl = pl.then(1, 0, -left, 0, 1, -top)
				pl.w, pl.h = right-left+1, bottom-top+1
				w, h = c[1]-c[0]+1, c[3]-c[2]+1
			}
		}
		out[p] = pl
	}
	return out
}

// paste copies a tile plane (n samples a row, rows rows, at grid plane
// position px, py) to dst through the placement.
func (pl placement) paste(dst plane, src []byte, srcStride, px, py, n, rows int) {
	for y := 0; y < rows; y++ {
		row := src[y*srcStride:][:n]
		gy := py + y
		ox, oy := pl.ax*px+pl.bx*gy+pl.cx, pl.ay*px+pl.by*gy+pl.cy
		if pl.ax == 1 && pl.ay == 0 {
			// Rows stay rows: copy the part inside the output.
			if oy < 0 || oy >= pl.h {
				continue
			}
			x0, x1 := max(0, -ox), min(n, pl.w-ox)
			if x0 < x1 {
				copy(dst.pix[oy*dst.stride+ox+x0:], row[x0:x1])
			}
			continue
		}
		for x := 0; x < n; x++ {
			if ox >= 0 && ox < pl.w && oy >= 0 && oy < pl.h {
				dst.pix[oy*dst.stride+ox] = row[x]
			}
			ox += pl.ax
			oy += pl.ay
		}
	}
}

// fraction is libheif's Fraction: its arithmetic and rounding, in 64 bits.
type fraction struct{ n, d int64 }

func (a fraction) add(b fraction) fraction {
	if a.d == b.d {
		return fraction{a.n + b.n, a.d}
	}
	return fraction{a.n*b.d + b.n*a.d, a.d * b.d}
}

func (a fraction) sub(b fraction) fraction { return a.add(fraction{-b.n, b.d}) }
func (a fraction) subInt(v int64) fraction { return fraction{a.n - v*a.d, a.d} }
func (a fraction) divInt(v int64) fraction { return fraction{a.n, a.d * v} }
func (a fraction) roundDown() int64        { return a.n / a.d }
func (a fraction) round() int64            { return (a.n + a.d/2) / a.d }

// clapRect is the clean aperture of a w x h image as inclusive pixel
// bounds (left, right, top, bottom), rounded and clamped as libheif does.
func clapRect(b []byte, w, h int) ([4]int, error) {
	var f [4]fraction
	for i := range f {
		n, d := int64(int32(binary.BigEndian.Uint32(b[8*i:]))), int64(int32(binary.BigEndian.Uint32(b[8*i+4:])))
		if d <= 0 || d > 1<<16 || n > 1<<24 || n < -(1<<24) {
			return [4]int{}, notTiled("clap fraction %d/%d", n, d)
		}
		f[i] = fraction{n, d}
	}
	cw, ch, hoff, voff := f[0], f[1], f[2], f[3]
	left := hoff.add(fraction{int64(w - 1), 2}).sub(cw.subInt(1).divInt(2)).roundDown()
	right := cw.subInt(1).add(fraction{left, 1}).round()
	top := voff.add(fraction{int64(h - 1), 2}).sub(ch.subInt(1).divInt(2)).round()
	bottom := ch.subInt(1).add(fraction{top, 1}).round()
	left, top = max(left, 0), max(top, 0)
	right, bottom = min(right, int64(w-1)), min(bottom, int64(h-1))
	if left > right || top > bottom {
		return [4]int{}, notTiled("empty clean aperture")
	}
	return [4]int{int(left), int(right), int(top), int(bottom)}, nil
}
