package tinyface

import (
	"math"
	"math/rand"
	"testing"
)

// maxOf4 (max4 eight lanes at a time, then the loop) gives Go's max of
// the four inputs bit for bit, zeros of either sign, infinities and
// subnormals included, and a NaN wherever an input is one, for lengths
// that leave tails.
func TestMaxOf4MatchesBuiltinMax(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45, -1e-45, 1, -1, 0.5, float32(math.NaN())}
	pick := func() float32 {
		if rng.Intn(3) == 0 {
			return special[rng.Intn(len(special))]
		}
		return float32(rng.NormFloat64())
	}
	for n := 0; n < 70; n++ {
		for rep := 0; rep < 20; rep++ {
			a, b, d, e, dst := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range a {
				a[i], b[i], d[i], e[i] = pick(), pick(), pick(), pick()
			}
			maxOf4(dst, a, b, d, e)
			for i := range dst {
				want := max(a[i], b[i], d[i], e[i])
				if math.IsNaN(float64(want)) {
					if !math.IsNaN(float64(dst[i])) {
						t.Fatalf("n %d: max(%v, %v, %v, %v) = %v, want NaN", n, a[i], b[i], d[i], e[i], dst[i])
					}
					continue
				}
				if math.Float32bits(dst[i]) != math.Float32bits(want) {
					t.Fatalf("n %d: max(%v, %v, %v, %v) = %v (%#x), want %v (%#x)", n, a[i], b[i], d[i], e[i], dst[i], math.Float32bits(dst[i]), want, math.Float32bits(want))
				}
			}
		}
	}
}
