package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math/rand"
	"testing"
)

// resamplePlanes (contiguous windows, unrolled sums) gives exactly the
// bytes of the straightforward resampler it was written from, for steps 1
// and 4, reductions and enlargements, fractional windows, windows against
// and past the plane's edges, and tap counts the unrolled cases do not
// cover.
func TestResamplePlanesMatchesStraightforward(t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	for i := 0; i < 60; i++ {
		w, h := 40+rng.Intn(300), 40+rng.Intn(300)
		step := 1
		if i%3 == 0 {
			step = 4
		}
		pix := make([]uint8, w*h*step)
		for j := range pix {
			pix[j] = uint8(rng.Intn(256))
		}
		minPt := image.Pt(rng.Intn(50), rng.Intn(50))
		pl := plane{pix: pix, stride: w * step, step: step, min: minPt, bounds: image.Rectangle{Min: minPt, Max: minPt.Add(image.Pt(w, h))}}
		ps := []plane{pl}
		if step == 4 {
			ps = []plane{pl, {pix: pix[1:], stride: pl.stride, step: 4, min: minPt, bounds: pl.bounds}}
		}
		// A window inside, then ones reaching over the edges.
		x0 := float64(minPt.X) + rng.Float64()*float64(w)/3 - float64(i%4)*3
		y0 := float64(minPt.Y) + rng.Float64()*float64(h)/3 - float64(i%5)*3
		ww := rng.Float64()*float64(w)*0.7 + 8 + float64(i%3)*5
		hh := ww * (0.9 + 0.2*rng.Float64())
		n := 8 + rng.Intn(int(ww*2.5))
		if i%7 == 0 {
			n = max(4, int(ww/(2+rng.Float64()*3))) // strong reductions: many taps
		}
		name := fmt.Sprintf("#%d %dx%d step %d window (%.1f,%.1f %.1fx%.1f) -> %d", i, w, h, step, x0, y0, ww, hh, n)
		got, want := make([][]uint8, len(ps)), make([][]uint8, len(ps))
		for k := range ps {
			got[k], want[k] = make([]uint8, n*n*3), make([]uint8, n*n*3)
		}
		resamplePlanes(ps, x0, y0, ww, hh, n, got, n*3, 3)
		resamplePlanesRef(ps, x0, y0, ww, hh, n, want, n*3, 3)
		for k := range ps {
			if !bytes.Equal(got[k], want[k]) {
				t.Errorf("%s: plane %d differs", name, k)
			}
		}
	}
}

// resamplePlanesRef is the straightforward resampler resamplePlanes was
// written from (taps through offset tables, a running accumulator):
// resamplePlanes must give its bytes exactly.
//
// It resamples the source window (x0, y0, w, h) (in the
// planes' coordinates, fractional for subsampled chroma) of each of ps to
// an n x n plane written to dsts[i][y*dstStride+x*dstStep]. The planes
// share one geometry (stride, step, min, bounds: ps[0]'s), so the taps,
// offsets and the intermediate rows are made once for all of them.
func resamplePlanesRef(ps []plane, x0, y0, w, h float64, n int, dsts [][]uint8, dstStride, dstStep int) {
	p := ps[0]
	xt := filterTaps(x0, w, n)
	yt := filterTaps(y0, h, n)
	// Source rows the vertical taps read, clamped to the plane.
	rowLo, rowHi := yt[0].first, yt[n-1].first+len(yt[n-1].w)-1
	rowLo = max(rowLo, p.bounds.Min.Y)
	rowHi = min(rowHi, p.bounds.Max.Y-1)
	// Horizontal taps flattened to K per output (zero weights pad), with
	// byte offsets into a row, clamped to the plane.
	K := 0
	for _, t := range xt {
		K = max(K, len(t.w))
	}
	xo, xw := make([]int, n*K), make([]int32, n*K)
	for i, t := range xt {
		for k := range K {
			x := min(max(t.first+min(k, len(t.w)-1), p.bounds.Min.X), p.bounds.Max.X-1)
			xo[i*K+k] = (x - p.min.X) * p.step
			if k < len(t.w) {
				xw[i*K+k] = t.w[k]
			}
		}
	}
	// The horizontal pass's output, with midBits fractional bits: at most
	// about 255 * 1.1 (Catmull-Rom overshoots) * 64, so 16 bits hold it.
	mid := make([]int16, (rowHi-rowLo+1)*n)
	acc := make([]int32, n)
	const shift = weightBits + midBits
	for pi, pl := range ps {
		for y := rowLo; y <= rowHi; y++ {
			row := pl.pix[(y-p.min.Y)*p.stride:]
			out := mid[(y-rowLo)*n : (y-rowLo+1)*n]
			for i := range out {
				o, w := xo[i*K:(i+1)*K], xw[i*K:(i+1)*K]
				var sum int32
				for k, wk := range w {
					sum += wk * int32(row[o[k]])
				}
				out[i] = int16((sum + 1<<(weightBits-midBits-1)) >> (weightBits - midBits))
			}
		}
		for oy, t := range yt {
			clear(acc)
			for k, wk := range t.w {
				y := min(max(t.first+k, rowLo), rowHi)
				m := mid[(y-rowLo)*n : (y-rowLo+1)*n]
				for ox, v := range m {
					acc[ox] += wk * int32(v)
				}
			}
			o := dsts[pi][oy*dstStride:]
			for ox, a := range acc {
				v := (a + 1<<(shift-1)) >> shift
				o[ox*dstStep] = uint8(min(max(v, 0), 255))
			}
		}
	}
}

// yccToRGBA is color.YCbCrToRGB for every input.
func TestYCCToRGBAMatchesStdlib(t *testing.T) {
	pix := make([]uint8, 4<<16)
	for hi := 0; hi < 1<<8; hi++ {
		for lo := 0; lo < 1<<16; lo++ {
			pix[4*lo], pix[4*lo+1], pix[4*lo+2], pix[4*lo+3] = uint8(hi), uint8(lo>>8), uint8(lo), 7
		}
		yccToRGBA(pix)
		for lo := 0; lo < 1<<16; lo++ {
			y, cb, cr := uint8(hi), uint8(lo>>8), uint8(lo)
			r, g, b := color.YCbCrToRGB(y, cb, cr)
			if got := pix[4*lo : 4*lo+4]; got[0] != r || got[1] != g || got[2] != b || got[3] != 255 {
				t.Fatalf("YCbCr %d, %d, %d: got RGBA %v, want %d, %d, %d, 255", y, cb, cr, got, r, g, b)
			}
		}
	}
}
