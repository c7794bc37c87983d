package jpegscale

import (
	"bytes"
	"image"
	"testing"
)

// FuzzDecode decodes arbitrary input at every denominator: no panics, and
// whatever image/jpeg decodes decodes, at the expected size; a region
// decoded from DecodeIndexed's index is DecodeRegion's. The seed corpus
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
		checkIndexed(t, in)
	})
}

// checkIndexed decodes a region of in from DecodeIndexed's index: no
// panic, and the result is DecodeRegion's (both fail, or same pixels).
func checkIndexed(t *testing.T, in []byte) {
	cfg, err := DecodeConfig(bytes.NewReader(in))
	if err != nil || cfg.Width*cfg.Height > 1<<18 {
		return
	}
	_, ix, err := DecodeIndexed(bytes.NewReader(in), 4)
	if err != nil || ix == nil {
		return
	}
	r := image.Rect(cfg.Width/3, cfg.Height/4, cfg.Width*2/3+1, cfg.Height*3/4+1)
	want, werr := DecodeRegion(bytes.NewReader(in), 2, r)
	got, gerr := DecodeRegionIndexed(in, 2, r, ix)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("region from the index: error %v, DecodeRegion's %v", gerr, werr)
	}
	if werr == nil {
		if x, y, ok := samePixels(got, want, want.Bounds()); !ok {
			t.Fatalf("region from the index: pixel (%d,%d) differs from DecodeRegion's", x, y)
		}
	}
}
