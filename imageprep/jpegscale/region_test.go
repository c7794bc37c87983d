package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// DecodeRegion's pixels inside the region are Decode's, for every sample
// (baseline and progressive, every subsampling, restart markers, grey,
// CMYK) at every scale; the image has Decode's type and size; and a
// sequential file is read no further than the region's last row of
// blocks (a file cut off below the region still decodes).
func TestDecodeRegionMatchesDecodeInside(t *testing.T) {
	for _, s := range allSamples(t) {
		cfg, err := DecodeConfig(bytes.NewReader(s.data))
		if err != nil {
			continue
		}
		w, h := cfg.Width, cfg.Height
		regions := []image.Rectangle{
			image.Rect(w/4, h/5, w/4+w/2, h/5+h/2),
			image.Rect(0, 0, w/3+1, h/3+1),
			image.Rect(w/2, h/2, w, h),
			image.Rect(0, 0, w, h),
		}
		for _, denom := range []int{1, 2, 4, 8} {
			want, err := Decode(bytes.NewReader(s.data), denom)
			if err != nil {
				continue // TestDecodeDenom1IdenticalToStdlib covers errors
			}
			for _, r := range regions {
				if r.Empty() {
					continue
				}
				name := fmt.Sprintf("%s 1/%d %v", s.name, denom, r)
				got, err := DecodeRegion(bytes.NewReader(s.data), denom, r)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) || got.Bounds() != want.Bounds() {
					t.Errorf("%s: got %T %v, want %T %v", name, got, got.Bounds(), want, want.Bounds())
					continue
				}
				scaled := image.Rect(r.Min.X/denom, r.Min.Y/denom, (r.Max.X+denom-1)/denom, (r.Max.Y+denom-1)/denom).Intersect(want.Bounds())
				if x, y, ok := samePixels(got, want, scaled); !ok {
					t.Errorf("%s: pixel (%d,%d) differs from Decode's", name, x, y)
				}
			}
		}
	}
}

func samePixels(a, b image.Image, r image.Rectangle) (int, int, bool) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(a.At(x, y)) != color.RGBAModel.Convert(b.At(x, y)) {
				return x, y, false
			}
		}
	}
	return 0, 0, true
}

// A region in the top of a sequential photo needs only the top of the
// file: the same region decodes from the file cut off below it, and the
// blocks outside the region are left zero (not transformed).
func TestDecodeRegionStopsBelowTheRegion(t *testing.T) {
	data := phonePhotoSmall()
	full, err := Decode(bytes.NewReader(data), 2)
	if err != nil {
		t.Fatal(err)
	}
	r := image.Rect(200, 0, 600, 200) // full-size pixels
	got, err := DecodeRegion(bytes.NewReader(data[:len(data)*3/5]), 2, r)
	if err != nil {
		t.Fatalf("region decode of a file cut off below the region: %v", err)
	}
	scaled := image.Rect(100, 0, 300, 100)
	if x, y, ok := samePixels(got, full, scaled); !ok {
		t.Errorf("pixel (%d,%d) differs from Decode's", x, y)
	}
	if _, err := Decode(bytes.NewReader(data[:len(data)*3/5]), 2); err == nil {
		t.Fatal("a whole decode of the cut file succeeded: the test proves nothing")
	}
	y := got.(*image.YCbCr)
	if v := y.Y[y.YOffset(700/2, 150/2)]; v != 0 {
		t.Errorf("a block outside the region was decoded (Y=%d)", v)
	}
}

// phonePhotoSmall is a 1000x800 4:2:0 photo-like JPEG.
func phonePhotoSmall() []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photoLike(1000, 800), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// DecodeRegionIndexed, jumping to the region's MCUs with DecodeIndexed's
// checkpoints, gives exactly DecodeRegion's image (every pixel, inside the
// region and out) for every sample at every scale, on regions at the
// edges, inside one checkpoint span and across several; DecodeIndexed's
// image is Decode's; samples that cannot be indexed (progressive, grey,
// several scans) get no index and still decode.
func TestDecodeRegionIndexedMatchesDecodeRegion(t *testing.T) {
	indexed := 0
	for _, s := range allSamples(t) {
		cfg, err := DecodeConfig(bytes.NewReader(s.data))
		if err != nil {
			continue
		}
		w, h := cfg.Width, cfg.Height
		regions := []image.Rectangle{
			image.Rect(w/4, h/5, w/4+w/2, h/5+h/2),
			image.Rect(0, 0, w/3+1, h/3+1),
			image.Rect(w/2, h/2, w, h),
			image.Rect(0, 0, w, h),
			image.Rect(w-5, 3, w, 9),
			image.Rect(17, h/2, 17+70, h/2+40),
			image.Rect(w+10, h+10, w+20, h+20),
		}
		for _, denom := range []int{1, 2, 4, 8} {
			whole, err := Decode(bytes.NewReader(s.data), denom)
			if err != nil {
				continue
			}
			img, ix, err := DecodeIndexed(bytes.NewReader(s.data), denom)
			if err != nil {
				t.Errorf("%s 1/%d: DecodeIndexed: %v", s.name, denom, err)
				continue
			}
			if x, y, ok := samePixels(img, whole, whole.Bounds()); !ok {
				t.Errorf("%s 1/%d: DecodeIndexed's pixel (%d,%d) differs from Decode's", s.name, denom, x, y)
			}
			if ix != nil {
				indexed++
			}
			for fine := range []int{1, 2, 4, 8} {
				fd := []int{1, 2, 4, 8}[fine]
				for _, r := range regions {
					name := fmt.Sprintf("%s index 1/%d, region 1/%d %v", s.name, denom, fd, r)
					want, werr := DecodeRegion(bytes.NewReader(s.data), fd, r)
					got, gerr := DecodeRegionIndexed(s.data, fd, r, ix)
					if (werr == nil) != (gerr == nil) {
						t.Errorf("%s: error %v, DecodeRegion's %v", name, gerr, werr)
						continue
					}
					if werr != nil {
						continue
					}
					if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) || got.Bounds() != want.Bounds() {
						t.Errorf("%s: got %T %v, want %T %v", name, got, got.Bounds(), want, want.Bounds())
						continue
					}
					if x, y, ok := samePixels(got, want, want.Bounds()); !ok {
						t.Errorf("%s: pixel (%d,%d) differs from DecodeRegion's", name, x, y)
					}
				}
			}
		}
	}
	if indexed == 0 {
		t.Fatal("no sample got an index")
	}
}
