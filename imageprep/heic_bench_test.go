package imageprep

import (
	"context"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"headshot/imageprep/benchdata"
)

// BenchmarkDecodeHEIC is the HEIC decode alone (libheif in WebAssembly),
// after the module's one-off compile: a 12 MP photo encoded by heif-enc
// when it is installed, and the small test file.
func BenchmarkDecodeHEIC(b *testing.B) {
	inputs := map[string]string{"small": filepath.Join("testdata", "bands.heic")}
	if enc, err := exec.LookPath("heif-enc"); err == nil {
		dir := b.TempDir()
		jpg, err := benchdata.Write(dir, benchdata.JPEG12MP, 0)
		if err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(dir, "photo.heic")
		if msg, err := exec.Command(enc, "-q", "50", "-o", out, jpg).CombinedOutput(); err != nil {
			b.Fatalf("heif-enc: %v: %s", err, msg)
		}
		inputs["12MP"] = out
	}
	ctx := context.Background()
	for _, name := range []string{"small", "12MP"} {
		path, ok := inputs[name]
		if !ok {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := decodeHEIC(ctx, data, image.Rectangle{}); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeHEIC(ctx, data, image.Rectangle{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
