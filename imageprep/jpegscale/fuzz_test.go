package jpegscale

import (
	"testing"
)

// FuzzDecode decodes arbitrary input at every denominator: no panics, and
// whatever image/jpeg decodes decodes, at the expected size. The seed corpus
// is every sample under testdata/ plus the generated ones, and the inputs
// the fuzzer found under testdata/fuzz/FuzzDecode (2a19bccc9848cb0f: an
// over-subscribed Huffman table that indexed past the look-up table). The
// seeds are large, so bound minimization:
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 2m -fuzzminimizetime 2s ./imageprep/jpegscale
func FuzzDecode(f *testing.F) {
	for _, s := range allSamples(f) {
		f.Add(s.data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkAgainstStdlib(t, "fuzz input", in)
	})
}
