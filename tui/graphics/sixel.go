package graphics

import (
	"image"
	"strconv"
	"strings"
)

// EncodeSixel encodes img as a DEC sixel image: 1:1 pixel aspect (raster
// attributes), unset pixels left transparent, colours from a uniform
// cube that fits registers (256 when 0) with Floyd-Steinberg error
// diffusion, runs of one sixel compressed with '!'.
func EncodeSixel(img *image.NRGBA, registers int) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return nil
	}
	lv := cubeFor(registers)
	idx := ditherToCube(img, lv)

	var sb strings.Builder
	sb.Grow(w * h / 2)
	sb.WriteString("\x1bP0;1;0q\"1;1;")
	sb.WriteString(strconv.Itoa(w) + ";" + strconv.Itoa(h))
	used := make([]bool, lv[0]*lv[1]*lv[2])
	for _, c := range idx {
		used[c] = true
	}
	for c, u := range used {
		if !u {
			continue
		}
		r, g, bl := cubeColour(c, lv)
		sb.WriteString("#" + strconv.Itoa(c) + ";2;" + strconv.Itoa(r*100/255) + ";" + strconv.Itoa(g*100/255) + ";" + strconv.Itoa(bl*100/255))
	}
	// One pass per band of six rows fills a row of sixel bits for each
	// colour present in it; then each colour's row is written.
	rows := make([][]byte, len(used))
	var present []int
	seen := make([]bool, len(used))
	for y0 := 0; y0 < h; y0 += 6 {
		present = present[:0]
		for y := y0; y < min(y0+6, h); y++ {
			bit := byte(1) << (y - y0)
			for x, c := range idx[y*w : y*w+w] {
				r := rows[c]
				if !seen[c] {
					seen[c] = true
					present = append(present, int(c))
					if r == nil {
						r = make([]byte, w)
						rows[c] = r
					} else {
						clear(r)
					}
				}
				r[x] |= bit
			}
		}
		for pi, c := range present {
			seen[c] = false
			sb.WriteString("#" + strconv.Itoa(c))
			writeSixelRuns(&sb, rows[c])
			if pi < len(present)-1 {
				sb.WriteByte('$')
			}
		}
		sb.WriteByte('-')
	}
	sb.WriteString("\x1b\\")
	return []byte(sb.String())
}

// writeSixelRuns writes one colour's row of sixels, trailing empties
// dropped, runs of more than three written as !n.
func writeSixelRuns(sb *strings.Builder, bits []byte) {
	end := len(bits)
	for end > 0 && bits[end-1] == 0 {
		end--
	}
	for x := 0; x < end; {
		v := bits[x]
		n := 1
		for x+n < end && bits[x+n] == v {
			n++
		}
		ch := byte(63 + v)
		if n > 3 {
			sb.WriteString("!" + strconv.Itoa(n))
			sb.WriteByte(ch)
		} else {
			for i := 0; i < n; i++ {
				sb.WriteByte(ch)
			}
		}
		x += n
	}
}

// cubeFor picks red, green and blue levels whose product fits the
// colour registers (green gets the most: the eye sees it best).
func cubeFor(registers int) [3]int {
	if registers <= 0 {
		registers = 256
	}
	best := [3]int{2, 2, 2}
	for r := 2; r <= 8; r++ {
		for g := r; g <= r+2; g++ {
			for b := r - 1; b <= r; b++ {
				if b >= 2 && r*g*b <= registers && r*g*b > best[0]*best[1]*best[2] {
					best = [3]int{r, g, b}
				}
			}
		}
	}
	return best
}

func cubeColour(c int, lv [3]int) (int, int, int) {
	b := c % lv[2]
	g := (c / lv[2]) % lv[1]
	r := c / (lv[1] * lv[2])
	return r * 255 / (lv[0] - 1), g * 255 / (lv[1] - 1), b * 255 / (lv[2] - 1)
}

// ditherToCube maps every pixel to a cube index with Floyd-Steinberg
// error diffusion.
func ditherToCube(img *image.NRGBA, lv [3]int) []uint16 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := make([]uint16, w*h)
	cur := make([][3]int, w+2)
	next := make([][3]int, w+2)
	for y := 0; y < h; y++ {
		for i := range next {
			next[i] = [3]int{}
		}
		o := img.PixOffset(b.Min.X, b.Min.Y+y)
		for x := 0; x < w; x++ {
			var q [3]int
			var e [3]int
			for k := 0; k < 3; k++ {
				v := int(img.Pix[o+4*x+k])*16 + cur[x+1][k]
				v = min(max(v, 0), 255*16)
				n := lv[k] - 1
				q[k] = (v*n + 255*8) / (255 * 16)
				e[k] = v - q[k]*255*16/n
			}
			out[y*w+x] = uint16((q[0]*lv[1]+q[1])*lv[2] + q[2])
			for k := 0; k < 3; k++ {
				cur[x+2][k] += e[k] * 7 / 16
				next[x][k] += e[k] * 3 / 16
				next[x+1][k] += e[k] * 5 / 16
				next[x+2][k] += e[k] / 16
			}
		}
		cur, next = next, cur
	}
	return out
}
