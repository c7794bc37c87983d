package jpegscale

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand"
	"reflect"
	"testing"
)

func allSamples(t testing.TB) []sample {
	return append(testdataSamples(t), generatedSamples(t)...)
}

// At denom 1 the decoder is image/jpeg: same type, bounds and pixels. (For
// the progressive file with restart markers, which image/jpeg rejects, the
// expected pixels are image/jpeg's decode of a restart-free lossless
// transcode.)
func TestDecodeDenom1IdenticalToStdlib(t *testing.T) {
	for _, s := range allSamples(t) {
		want, wantErr := jpeg.Decode(bytes.NewReader(s.reference()))
		got, err := Decode(bytes.NewReader(s.data), 1)
		if wantErr != nil {
			if err == nil || err.Error() != wantErr.Error() {
				t.Errorf("%s: err %v, image/jpeg says %v", s.name, err, wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		if reflect.TypeOf(got) != reflect.TypeOf(want) || got.Bounds() != want.Bounds() {
			t.Errorf("%s: got %T %v, want %T %v", s.name, got, got.Bounds(), want, want.Bounds())
			continue
		}
		gp, wp := planes(t, got), planes(t, want)
		for i := range wp {
			if !bytes.Equal(gp[i].pix, wp[i].pix) {
				t.Errorf("%s: plane %s differs from image/jpeg's", s.name, wp[i].name)
			}
		}
	}
}

// At denom 2, 4 and 8 each output pixel is the mean of the source pixels it
// covers: the decoded component planes (before colour conversion, including
// the padding of partial blocks at the right and bottom edges, which the
// block's coefficients describe too) are compared with box-averaged planes of
// a full decode. The public result's type, size and subsampling are checked
// against image/jpeg's.
func TestDecodeScaledMatchesBoxAveragedFullDecode(t *testing.T) {
	const minPSNR = 40.0
	for _, s := range allSamples(t) {
		want, err := jpeg.Decode(bytes.NewReader(s.reference()))
		if err != nil {
			t.Fatalf("%s: image/jpeg: %v", s.name, err)
		}
		full := componentPlanes(t, s.data, 1)
		wb := want.Bounds()
		for _, denom := range []int{2, 4, 8} {
			t.Run(fmt.Sprintf("%s/1:%d", s.name, denom), func(t *testing.T) {
				got, err := Decode(bytes.NewReader(s.data), denom)
				if err != nil {
					t.Fatal(err)
				}
				wantRect := image.Rect(0, 0, (wb.Dx()+denom-1)/denom, (wb.Dy()+denom-1)/denom)
				if got.Bounds() != wantRect {
					t.Fatalf("bounds %v, want %v", got.Bounds(), wantRect)
				}
				if reflect.TypeOf(got) != reflect.TypeOf(want) {
					t.Fatalf("type %T, want %T", got, want)
				}
				if g, ok := got.(*image.YCbCr); ok && g.SubsampleRatio != want.(*image.YCbCr).SubsampleRatio {
					t.Fatalf("subsampling %v, want %v", g.SubsampleRatio, want.(*image.YCbCr).SubsampleRatio)
				}
				scaled := componentPlanes(t, s.data, denom)
				if len(scaled) != len(full) {
					t.Fatalf("%d planes, want %d", len(scaled), len(full))
				}
				for i := range full {
					ref := boxAverage(full[i], denom)
					if ref.w != scaled[i].w || ref.h != scaled[i].h {
						t.Fatalf("plane %s: %dx%d, want %dx%d", full[i].name, scaled[i].w, scaled[i].h, ref.w, ref.h)
					}
					if p := psnr(scaled[i], ref); p < minPSNR {
						t.Errorf("plane %s: PSNR %.1f dB against the box-averaged full decode, want >= %.0f", full[i].name, p, minPSNR)
					}
				}
			})
		}
	}
}

// componentPlanes decodes data at 1:denom and returns its component planes
// as decoded, before colour conversion, whole (padding included).
func componentPlanes(t testing.TB, data []byte, denom int) []plane {
	t.Helper()
	d := decoder{scale: 8 / denom}
	if _, err := d.decode(bytes.NewReader(data), false); err != nil {
		t.Fatalf("1:%d: %v", denom, err)
	}
	whole := func(name string, pix []byte, stride int) plane {
		return plane{name: name, w: stride, h: len(pix) / stride, pix: pix[:len(pix)/stride*stride]}
	}
	if d.img1 != nil {
		return []plane{whole("gray", d.img1.Pix, d.img1.Stride)}
	}
	out := []plane{
		whole("0", d.img3.Y, d.img3.YStride),
		whole("1", d.img3.Cb, d.img3.CStride),
		whole("2", d.img3.Cr, d.img3.CStride),
	}
	if d.blackPix != nil {
		out = append(out, whole("3", d.blackPix, d.blackStride))
	}
	return out
}

// The reduced transforms equal the box average of the exact (floating point)
// 8x8 inverse DCT, to within rounding, on random coefficient blocks.
func TestReducedIDCTMatchesFloatBoxAverage(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var qt, qtNat block
	for i := range qt {
		qt[i] = 1 + int32(rng.Intn(8))
	}
	for zig, nat := range unzig {
		qtNat[nat] = qt[zig]
	}
	for trial := 0; trial < 500; trial++ {
		var b block
		b[0] = int32(rng.Intn(256) - 128)
		for i := 1; i < blockSize; i++ {
			if rng.Intn(3) == 0 {
				b[i] = int32(rng.Intn(41) - 20)
			}
		}
		var full [8][8]float64
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				sum := 0.0
				for v := 0; v < 8; v++ {
					for u := 0; u < 8; u++ {
						cu, cv := 1.0, 1.0
						if u == 0 {
							cu = 1 / math.Sqrt2
						}
						if v == 0 {
							cv = 1 / math.Sqrt2
						}
						f := float64(b[v*8+u] * qtNat[v*8+u])
						sum += cu * cv / 4 * f *
							math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) *
							math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
					}
				}
				full[y][x] = sum
			}
		}
		for _, n := range []int{4, 2, 1} {
			dst := make([]byte, n*n)
			var bc block // dequantized
			for k := range bc {
				bc[k] = b[k] * qtNat[k]
			}
			switch n {
			case 4:
				idct4x4(&bc, dst, n)
			case 2:
				idct2x2(&bc, dst, n)
			case 1:
				dst[0] = idct1x1(b[0] * qt[0])
			}
			m := 8 / n
			for k := 0; k < n; k++ {
				for l := 0; l < n; l++ {
					sum := 0.0
					for y := k * m; y < (k+1)*m; y++ {
						for x := l * m; x < (l+1)*m; x++ {
							sum += full[y][x]
						}
					}
					want := math.Max(0, math.Min(255, sum/float64(m*m)+128))
					if d := math.Abs(float64(dst[k*n+l]) - want); d > 1 {
						t.Fatalf("trial %d, %dx%d, pixel (%d,%d): %d, want %.2f", trial, n, n, l, k, dst[k*n+l], want)
					}
				}
			}
		}
	}
}

func TestDecodeConfigMatchesStdlib(t *testing.T) {
	for _, s := range allSamples(t) {
		want, wantErr := jpeg.DecodeConfig(bytes.NewReader(s.data))
		got, err := DecodeConfig(bytes.NewReader(s.data))
		if (err == nil) != (wantErr == nil) || got != want {
			t.Errorf("%s: DecodeConfig = %+v, %v; image/jpeg says %+v, %v", s.name, got, err, want, wantErr)
		}
	}
}

func TestDecodeRejectsBadDenominator(t *testing.T) {
	data := testdataSamples(t)[0].data
	for _, denom := range []int{0, -1, 3, 16} {
		if _, err := Decode(bytes.NewReader(data), denom); err == nil {
			t.Errorf("denom %d: no error", denom)
		}
	}
}

// Corrupt input: truncation points through the headers and the scan data,
// byte overwrites and random junk. The decoder must not panic, must decode
// whatever image/jpeg decodes (at the expected size) and otherwise fail with a
// FormatError, UnsupportedError or io.ErrUnexpectedEOF as image/jpeg does.
func TestDecodeGarbageFailsLikeStdlib(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	var inputs [][]byte
	for _, s := range testdataSamples(t)[:6] {
		d := s.data
		for n := 0; n < len(d); n += 1 + n/8 {
			inputs = append(inputs, d[:n])
		}
		for i := 0; i < 60; i++ {
			c := append([]byte(nil), d...)
			for j := 0; j < 1+rng.Intn(4); j++ {
				c[rng.Intn(len(c))] = byte(rng.Intn(256))
			}
			inputs = append(inputs, c)
		}
	}
	for i := 0; i < 50; i++ {
		junk := make([]byte, rng.Intn(300))
		rng.Read(junk)
		if i%2 == 0 && len(junk) > 2 {
			junk[0], junk[1] = 0xff, 0xd8
		}
		inputs = append(inputs, junk)
	}
	inputs = append(inputs, nil, []byte("not a jpeg at all, just text named .jpg\n"))
	for i, in := range inputs {
		checkAgainstStdlib(t, fmt.Sprintf("input %d (%d bytes)", i, len(in)), in)
	}
}

// checkAgainstStdlib decodes in at every denominator and fails the test if
// it panics, fails where image/jpeg succeeds, returns the wrong size or an
// error of an unexpected type (inputs with more than 256 kilopixels
// are skipped so corrupt headers cannot exhaust memory).
func checkAgainstStdlib(t testing.TB, name string, in []byte) {
	t.Helper()
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(in)); err == nil && cfg.Width*cfg.Height > 1<<18 {
		return
	}
	want, wantErr := jpeg.Decode(bytes.NewReader(in))
	for _, denom := range []int{1, 2, 4, 8} {
		got, err := Decode(bytes.NewReader(in), denom)
		switch {
		case err != nil && wantErr == nil:
			t.Fatalf("%s, 1:%d: err %v; image/jpeg decodes it", name, denom, err)
		case err != nil:
			var fe FormatError
			var ue UnsupportedError
			if !errors.As(err, &fe) && !errors.As(err, &ue) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("%s, 1:%d: err %T %v is neither a FormatError nor an UnsupportedError", name, denom, err, err)
			}
		case wantErr != nil:
			// This decoder reads progressive files with restart markers
			// that image/jpeg rejects; nothing to compare with.
		default:
			wb := want.Bounds()
			wantRect := image.Rect(0, 0, (wb.Dx()+denom-1)/denom, (wb.Dy()+denom-1)/denom)
			if got.Bounds() != wantRect {
				t.Fatalf("%s, 1:%d: bounds %v, want %v", name, denom, got.Bounds(), wantRect)
			}
		}
	}
}
