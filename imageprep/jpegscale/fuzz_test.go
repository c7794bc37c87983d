package jpegscale

import (
	"testing"
)

// FuzzDecode decodes arbitrary input at every denominator: no panics, and
// success or failure exactly as image/jpeg. The seed corpus is every sample
// under testdata/ plus the generated ones (and anything the fuzzer saved
// under testdata/fuzz/FuzzDecode).
func FuzzDecode(f *testing.F) {
	for _, s := range allSamples(f) {
		f.Add(s.data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkAgainstStdlib(t, "fuzz input", in)
	})
}
