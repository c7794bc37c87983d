package tinyface

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"headshot/imageprep/internal/par"
)

// TestMatmulBiasMatchesNaive checks the matrix product (the assembly
// kernel where the CPU has AVX2 and FMA, the Go loops otherwise and for
// the pixels left over) against the textbook sum, with and without the
// leaky ReLU, for pixel counts that are and are not multiples of 4.
func TestMatmulBiasMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ n, cin, cout int }{{7, 27, 16}, {8, 16, 32}, {13, 256, 512}, {5, 512, 25}, {1, 3, 8}} {
		in := make([]float32, c.n*c.cin)
		wt := make([]float32, c.cin*c.cout)
		bias := make([]float32, c.cout)
		for _, s := range [][]float32{in, wt, bias} {
			for i := range s {
				s[i] = rng.Float32()*2 - 1
			}
		}
		for _, act := range []bool{false, true} {
			out := make([]float32, c.n*c.cout)
			matmulBias(out, in, c.n, c.cin, wt, transpose(wt, c.cin, c.cout), bias, act)
			for p := range c.n {
				for o := range c.cout {
					want := float64(bias[o])
					for k := range c.cin {
						want += float64(in[p*c.cin+k]) * float64(wt[k*c.cout+o])
					}
					if act && want < 0 {
						want *= 0.1
					}
					if got := float64(out[p*c.cout+o]); math.Abs(got-want) > 1e-4*(1+math.Abs(want)) {
						t.Fatalf("%+v act=%v: out[%d][%d] = %v, want %v", c, act, p, o, got, want)
					}
				}
			}
		}
	}
}

// conv0Pool is conv3x3Valid then maxPool2 (stride 2), value for value, on
// odd and even sizes (the 'same' padding of the last row and column).
func TestConv0PoolIsConvThenPool(t *testing.T) {
	n := Default()
	for _, sz := range [][2]int{{32, 32}, {37, 50}, {64, 45}} {
		h, w := sz[0], sz[1]
		x := make([]float32, h*w*3)
		for i := range x {
			x[i] = float32((i*7919)%255)/255 - 0.5
		}
		conv, ch, cw := conv3x3Valid(x, h, w, n.conv0, n.conv0T, n.conv0Bias, nil)
		want, wh, ww := maxPool2(conv, ch, cw, 16, 2, nil)
		got, gh, gw := conv0Pool(x, h, w, n.conv0, n.conv0T, n.conv0Bias, new(scratch))
		if gh != wh || gw != ww || len(got) != len(want) {
			t.Fatalf("%dx%d: got %dx%d (%d values), want %dx%d (%d)", h, w, gh, gw, len(got), wh, ww, len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%dx%d: value %d is %v, want %v", h, w, i, got[i], want[i])
			}
		}
	}
}

// applyPool is apply then maxPool2 (stride 2) on every layer that pools,
// on odd and even sizes, within float rounding (a pixel's 1x1 convolution
// may take the kernel's other path in a two-row band).
func TestApplyPoolIsApplyThenPool(t *testing.T) {
	n := Default()
	for li := range len(n.seps) - 1 {
		l := &n.seps[li]
		for _, sz := range [][2]int{{8, 8}, {13, 10}, {9, 17}, {1, 6}} {
			h, w := sz[0], sz[1]
			x := make([]float32, h*w*l.in)
			for i := range x {
				x[i] = float32((i*7919)%255)/255 - 0.5
			}
			a := l.apply(x, h, w, nil)
			want, wh, ww := maxPool2(a, h, w, l.out, 2, nil)
			got, gh, gw := l.applyPool(x, h, w, new(scratch))
			if gh != wh || gw != ww || len(got) != len(want) {
				t.Fatalf("conv%d %dx%d: got %dx%d (%d values), want %dx%d (%d)", li+1, h, w, gh, gw, len(got), wh, ww, len(want))
			}
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*max(1, math.Abs(float64(want[i]))) {
					t.Fatalf("conv%d %dx%d: value %d is %v, want %v", li+1, h, w, i, got[i], want[i])
				}
			}
		}
	}
}

// The input tensor of an image already at the input size (the shortcut)
// holds each pixel's own values, mean-subtracted and scaled, and black
// padding below the image: what the bilinear path gives at scale 1.
func TestInputTensorAtInputSizeIsExact(t *testing.T) {
	const s = 64
	img := benchImage(s, 48) // long side s: the shortcut
	fast := inputTensor(img, s, s, 64, nil)
	for y := range 64 {
		for x := range s {
			for ch := range 3 {
				var want float32
				if y < 48 {
					c := img.(interface{ RGBAAt(x, y int) color.RGBA }).RGBAAt(x, y)
					want = float32([3]uint8{c.R, c.G, c.B}[ch])
				}
				want = (want - meanRGB[ch]) / 255
				if got := fast[(y*s+x)*3+ch]; got != want {
					t.Fatalf("(%d,%d) channel %d: %v, want %v", x, y, ch, got, want)
				}
			}
		}
	}
}

// The forward pass gives the same bits whether a helper goroutine takes
// some of each layer's rows (package par, a core idle) or the caller does
// all of them.
func TestForwardSameWithHelper(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	n := Default()
	img := benchImage(640, 480)
	run := func() []float32 {
		x := inputTensor(img, 416, 416, 320, nil)
		_, _, out := n.forward(x, 416, 320, new(scratch))
		return out
	}
	par.SetEnabled(false)
	want := run()
	par.SetEnabled(true)
	before := par.HelpedChunks()
	for i := 0; i < 20 && par.HelpedChunks() == before; i++ {
		got := run()
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("output %d: %v with a helper, %v without", i, got[i], want[i])
			}
		}
	}
	if par.HelpedChunks() == before {
		t.Skip("no helper took a chunk in 20 passes (machine busy?)")
	}
}

// inputTensor's NRGBA shortcut (an image already the input size, as
// imageprep hands over) gives the bits of the general row loader, on an
// image narrower and shorter than the padded input.
func TestInputTensorNRGBAShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][2]int{{416, 300}, {250, 416}, {416, 416}} {
		w, h := sz[0], sz[1]
		n := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := range n.Pix {
			n.Pix[i] = uint8(rng.IntN(256))
			if i%4 == 3 {
				n.Pix[i] = 255
			}
		}
		r := &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
		sw, sh := (w+31)/32*32, (h+31)/32*32
		got, want := inputTensor(n, 416, sw, sh, nil), inputTensor(r, 416, sw, sh, nil)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%dx%d: value %d is %v, the general loader's %v", w, h, i, got[i], want[i])
			}
		}
	}
}
