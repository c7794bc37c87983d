package heic

import "encoding/binary"

// The primary item's transforms, applied to the planes in the order the
// item lists them, each plane on its own, as libheif 1.18 does when no
// chroma sample is cut (planTransforms sends the other cases to the
// whole-image decode), so the tiled decode gives the whole-image pixels.

func (t transform) apply(p *planar) (*planar, error) {
	switch t.kind {
	case "irot":
		return p.rotateCCW(int(t.body[0] & 3)), nil
	case "imir":
		return p.mirror(t.body[0]&1 != 0), nil
	case "clap":
		if t.crop[1] >= p.w || t.crop[3] >= p.h {
			return nil, notTiled("clean aperture outside the image")
		}
		return p.crop(t.crop[0], t.crop[1], t.crop[2], t.crop[3]), nil
	}
	return p, nil
}

// rotateCCW turns the image quarter turns anticlockwise.
func (p *planar) rotateCCW(quarters int) *planar {
	if quarters == 0 {
		return p
	}
	out := &planar{w: p.w, h: p.h, sx: p.sx, sy: p.sy}
	if quarters%2 == 1 {
		out.w, out.h = p.h, p.w
		out.sx, out.sy = p.sy, p.sx
	}
	for _, in := range p.planes {
		w, h := in.w, in.h
		var o plane
		if quarters == 2 {
			o = newPlane(w, h)
			for y := 0; y < h; y++ {
				src := in.pix[(h-1-y)*in.stride:]
				dst := o.pix[y*o.stride:]
				for x := 0; x < w; x++ {
					dst[x] = src[w-1-x]
				}
			}
		} else {
			o = newPlane(h, w)
			for y := 0; y < w; y++ {
				dst := o.pix[y*o.stride:]
				for x := 0; x < h; x++ {
					if quarters == 1 {
						dst[x] = in.pix[x*in.stride+w-1-y]
					} else {
						dst[x] = in.pix[(h-1-x)*in.stride+y]
					}
				}
			}
		}
		out.planes = append(out.planes, o)
	}
	return out
}

// mirror flips the image in place: leftRight about the vertical axis,
// otherwise top to bottom.
func (p *planar) mirror(leftRight bool) *planar {
	for _, pl := range p.planes {
		if leftRight {
			for y := 0; y < pl.h; y++ {
				row := pl.pix[y*pl.stride : y*pl.stride+pl.w]
				for x := 0; x < pl.w/2; x++ {
					row[x], row[pl.w-1-x] = row[pl.w-1-x], row[x]
				}
			}
			continue
		}
		for y := 0; y < pl.h/2; y++ {
			a := pl.pix[y*pl.stride : y*pl.stride+pl.w]
			b := pl.pix[(pl.h-1-y)*pl.stride : (pl.h-1-y)*pl.stride+pl.w]
			for x := range a {
				a[x], b[x] = b[x], a[x]
			}
		}
	}
	return p
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

// crop keeps columns left..right and rows top..bottom (inclusive); each
// plane is cut at its own scale, as libheif's HeifPixelImage::crop does.
func (p *planar) crop(left, right, top, bottom int) *planar {
	out := &planar{w: right - left + 1, h: bottom - top + 1, sx: p.sx, sy: p.sy}
	for _, in := range p.planes {
		pl, pr := left*in.w/p.w, right*in.w/p.w
		pt, pb := top*in.h/p.h, bottom*in.h/p.h
		o := newPlane(pr-pl+1, pb-pt+1)
		for y := 0; y < o.h; y++ {
			copy(o.pix[y*o.stride:][:o.w], in.pix[(pt+y)*in.stride+pl:])
		}
		out.planes = append(out.planes, o)
	}
	return out
}
