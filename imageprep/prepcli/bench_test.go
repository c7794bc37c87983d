package prepcli

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		o    BenchOptions
		want string
	}{
		{BenchOptions{N: 0, Jobs: 2, Crop: "face"}, "--n 0"},
		{BenchOptions{N: 40, Jobs: -1, Crop: "face"}, "--jobs -1"},
		{BenchOptions{N: 40, Jobs: 2, Crop: "sideways"}, "sideways"},
	} {
		var out, errb bytes.Buffer
		if code := Bench(tc.o, &out, &errb); code != 2 {
			t.Errorf("%+v: exit %d, want 2", tc.o, code)
		}
		if !strings.Contains(errb.String(), tc.want) || !strings.HasPrefix(errb.String(), "headshot bench prep: ") {
			t.Errorf("%+v: stderr %q does not name %q", tc.o, errb.String(), tc.want)
		}
	}
}

// The headshot side of the benchmark prepares every photo in DIR/in into
// DIR/out-headshot and reports its peak RSS; a bad photo fails the run.
func TestBenchWorkerPreparesFolder(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out-headshot")
	for _, d := range []string{in, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	photo(t, in, "a.jpg", 900, 700)
	photo(t, in, "b.png", 640, 800)
	var stdout, stderr bytes.Buffer
	code := Bench(BenchOptions{Worker: dir, N: 40, Jobs: 2, Crop: "center"}, &stdout, &stderr)
	if code != 0 || !strings.HasPrefix(stdout.String(), "prepared 2, failed 0, VmHWM ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	for _, name := range []string{"a.jpg", "b.jpg"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != 600 || cfg.Height != 600 {
			t.Fatalf("%s: %v %dx%d, want a 600x600 JPEG", name, err, cfg.Width, cfg.Height)
		}
	}

	if err := os.WriteFile(filepath.Join(in, "c.jpg"), []byte("not a photo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code = Bench(BenchOptions{Worker: dir, N: 40, Jobs: 2, Crop: "center"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "FAIL c.jpg") || !strings.HasPrefix(stdout.String(), "prepared 2, failed 1") {
		t.Fatalf("with a bad photo: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestBenchVipsCropIsLikeForLike: a face crop is measured against
// vipsthumbnail's attention crop, a centre crop against its centre crop,
// unless --vips-crop says otherwise; anything else is refused.
func TestBenchVipsCropIsLikeForLike(t *testing.T) {
	for _, c := range []struct{ crop, flag, want string }{
		{"face", "", "attention"}, {"smart", "", "attention"}, {"center", "", "centre"}, {"face", "centre", "centre"},
	} {
		cfg, err := parseBench(BenchOptions{N: 1, Jobs: 1, Crop: c.crop, VipsCrop: c.flag})
		if err != nil || cfg.vipsCrop != c.want {
			t.Errorf("--crop %s --vips-crop %q: vips crop %q (%v), want %q", c.crop, c.flag, cfg.vipsCrop, err, c.want)
		}
	}
	if _, err := parseBench(BenchOptions{N: 1, Jobs: 1, Crop: "face", VipsCrop: "low"}); err == nil {
		t.Error("--vips-crop low accepted")
	}
}
