package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"reflect"
	"testing"
)

// The sequential fast path (decodeSequentialScan, decodeSeqBlock) gives
// what the general scan loop gives, pixel for pixel and error for error, at
// every scale, for whole and partial decodes, and for files cut short or
// with damaged entropy-coded data.
func TestSequentialFastPathMatchesGeneralLoop(t *testing.T) {
	type input struct {
		name string
		data []byte
	}
	var ins []input
	for _, s := range allSamples(t) {
		ins = append(ins, input{s.name, s.data})
		n := len(s.data)
		ins = append(ins, input{s.name + "/cut-half", s.data[:n/2]}, input{s.name + "/cut-end", s.data[:n-3]})
		for off := 1; off < 4; off++ {
			c := append([]byte(nil), s.data...)
			for i := n * off / 4; i < n*off/4+200 && i < n; i += 13 {
				if v := c[i] ^ 0x21; c[i] != 0xff && v != 0xff {
					c[i] = v
				}
			}
			ins = append(ins, input{fmt.Sprintf("%s/flipped%d", s.name, off), c})
		}
		c := append([]byte(nil), s.data...)
		for i := n / 2; i < n/2+40 && i < n; i += 7 {
			c[i] ^= 0x5a
		}
		ins = append(ins, input{s.name + "/xored", c})
	}
	for _, in := range ins {
		cfg, cfgErr := DecodeConfig(bytes.NewReader(in.data))
		for _, denom := range []int{1, 2, 4, 8} {
			regions := []image.Rectangle{{}}
			if cfgErr == nil {
				regions = append(regions, image.Rect(cfg.Width/3, cfg.Height/5, cfg.Width/2+7, cfg.Height/2+3))
			}
			for _, r := range regions {
				fast := decoder{scale: 8 / denom, region: r}
				general := decoder{scale: 8 / denom, region: r, generalSeq: true}
				got, gotErr := fast.decode(bytes.NewReader(in.data), false)
				want, wantErr := general.decode(bytes.NewReader(in.data), false)
				what := fmt.Sprintf("%s 1:%d region %v", in.name, denom, r)
				if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Errorf("%s: error %v, general loop says %v", what, gotErr, wantErr)
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: pixels differ from the general loop's", what)
				}
			}
		}
	}
}
