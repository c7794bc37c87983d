package imageprep_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"headshot/imageprep"
	"headshot/imageprep/benchdata"
)

// Speed of preparing one photo to the default 600x600 JPEG profile (face
// crop), per input kind: go test -bench Prepare -run '^$' ./imageprep
//
// Each reports ms/photo (wall), cpu-ms/photo (user + system time, steadier
// when other processes compete for the CPUs) and B/op. The
// inputs are generated (bench/benchdata: a real portrait upscaled with
// sensor-like noise, 3 MB per 12 MP like a phone's JPEG). The Preparer's
// caches are off, so every iteration decodes. BenchmarkVipsthumbnail runs
// libvips' vipsthumbnail on the same files in the same run, for the ratio
// (it includes vipsthumbnail's process start, as a batch run would).

// benchKinds are the inputs the benchmarks prepare.
var benchKinds = []benchdata.Kind{
	benchdata.JPEG12MP,
	benchdata.JPEG12MPRotated,
	benchdata.JPEG24MP,
	benchdata.PNG3MP,
}

// writeInput writes kind k into a fresh temporary directory.
func writeInput(b *testing.B, k benchdata.Kind) string {
	b.Helper()
	p, err := benchdata.Write(b.TempDir(), k, 0)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// heicInput is a 12 MP HEIC made from the 12 MP JPEG with libheif's
// heif-enc when it is installed (encoded once per process), else the small
// HEIC the imageprep tests use; name says which.
func heicInput(b *testing.B) (path, name string) {
	b.Helper()
	heicOnce.Do(func() {
		enc, err := exec.LookPath("heif-enc")
		if err != nil {
			return
		}
		dir, err := os.MkdirTemp("", "headshot-bench-heic")
		if err != nil {
			return
		}
		defer os.RemoveAll(dir)
		jpg, err := benchdata.Write(dir, benchdata.JPEG12MP, 0)
		if err != nil {
			return
		}
		out := filepath.Join(dir, "photo.heic")
		if msg, err := exec.Command(enc, "-q", "50", "-o", out, jpg).CombinedOutput(); err != nil {
			b.Logf("heif-enc failed (%v): %s", err, msg)
			return
		}
		heicData, _ = os.ReadFile(out)
	})
	if heicData != nil {
		p := filepath.Join(b.TempDir(), "photo.heic")
		if err := os.WriteFile(p, heicData, 0o644); err != nil {
			b.Fatal(err)
		}
		return p, "heic-12MP"
	}
	p, err := filepath.Abs(filepath.Join("testdata", "bands.heic"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		b.Skip("no HEIC input: heif-enc is not installed and testdata/bands.heic is missing")
	}
	return p, "heic-small"
}

var (
	heicOnce sync.Once
	heicData []byte
)

func BenchmarkPrepare(b *testing.B) {
	for _, k := range benchKinds {
		b.Run(k.Name, func(b *testing.B) { benchPrepare(b, writeInput(b, k)) })
	}
	b.Run("heic", func(b *testing.B) {
		p, name := heicInput(b)
		b.Logf("input: %s", name)
		benchPrepare(b, p)
	})
}

func benchPrepare(b *testing.B, path string) {
	ctx := context.Background()
	p := imageprep.NewPreparer(imageprep.WithResultCache(0, 0), imageprep.WithDecodeCache(0, 0))
	// One untimed run: checks the input prepares, and leaves one-time
	// set-up (the HEIC decoder's WebAssembly compile) out of the figures.
	if _, err := p.Prepare(ctx, path, imageprep.Options{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	for i := 0; i < b.N; i++ {
		res, err := p.Prepare(ctx, path, imageprep.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Width != imageprep.DefaultSize || len(res.Data) == 0 {
			b.Fatalf("result %dx%d, %d bytes", res.Width, res.Height, len(res.Data))
		}
	}
	b.ReportMetric(time.Since(start).Seconds()*1000/float64(b.N), "ms/photo")
	b.ReportMetric((processCPU()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/photo")
}

// processCPU is this process's user + system time so far. Under competition
// from other processes wall time swings; CPU time per photo is steadier.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkVipsthumbnail is the reference: libvips' vipsthumbnail making the
// same 600x600 centre crop of the same inputs.
func BenchmarkVipsthumbnail(b *testing.B) {
	vips, err := exec.LookPath("vipsthumbnail")
	if err != nil {
		b.Skip("vipsthumbnail is not installed (Debian: libvips-tools)")
	}
	for _, k := range benchKinds {
		b.Run(k.Name, func(b *testing.B) { benchVips(b, vips, writeInput(b, k)) })
	}
	b.Run("heic", func(b *testing.B) {
		p, name := heicInput(b)
		b.Logf("input: %s", name)
		benchVips(b, vips, p)
	})
}

func benchVips(b *testing.B, vips, in string) {
	out := b.TempDir()
	b.ResetTimer()
	start := time.Now()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(vips, in, "-s", "600x600", "--smartcrop", "centre", "-o", filepath.Join(out, "%s.jpg[Q=90,strip]"))
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("vipsthumbnail: %v: %s", err, msg)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(time.Since(start).Seconds()*1000/float64(b.N), "ms/photo")
	b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/photo")
}
