package prepcli

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func photo(t *testing.T, dir, name string, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var b bytes.Buffer
	if strings.HasSuffix(name, ".png") {
		png.Encode(&b, img)
	} else {
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// opts are the command line's defaults changed by set.
func opts(set func(*Options)) Options {
	o := Options{Crop: "face", Out: "prepared", Format: "jpeg", Jobs: 2}
	if set != nil {
		set(&o)
	}
	return o
}

func runPrep(t *testing.T, o Options, paths ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(o, paths, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPrepFolderWithAFailingFile(t *testing.T) {
	src := t.TempDir()
	photo(t, src, "alice.jpg", 900, 700)
	photo(t, src, "bob.png", 700, 900)
	os.WriteFile(filepath.Join(src, "carol.jpg"), []byte("not a photo, a note\n"), 0o644)
	os.WriteFile(filepath.Join(src, "readme.txt"), []byte("ignored: no image extension"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runPrep(t, opts(func(o *Options) { o.Crop, o.Out, o.Jobs = "center", out, 2 }), src)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one failure)\n%s%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 3 photo lines and a summary, got:\n%s", stdout)
	}
	// Lines come in walk order: alice, bob, carol.
	if !strings.HasPrefix(lines[0], "ok") || !strings.Contains(lines[0], "alice.jpg") || !strings.Contains(lines[0], "center") ||
		!strings.Contains(lines[0], "600x600") || !strings.Contains(lines[0], "q90") || !strings.Contains(lines[0], "bytes") {
		t.Errorf("alice line: %q", lines[0])
	}
	if !strings.HasPrefix(lines[2], "FAIL") || !strings.Contains(lines[2], "carol.jpg: not an image") {
		t.Errorf("carol line: %q", lines[2])
	}
	// The generated photos are smooth gradients without a face: marked
	// for review (what `headshot upload` would hold; the detector runs
	// for centre crops too), but still prepared.
	if !strings.Contains(lines[0], "NEEDS REVIEW: no face found; blurry") {
		t.Errorf("alice line does not say it needs review: %q", lines[0])
	}
	if !strings.Contains(lines[3], "prepared 2 of 3") || !strings.Contains(lines[3], "1 failed") || !strings.Contains(lines[3], "2 need review") {
		t.Errorf("summary: %q", lines[3])
	}
	for _, name := range []string{"alice.jpg", "bob.jpg"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != 600 || img.Bounds().Dy() != 600 {
			t.Errorf("%s: %v %v", name, err, img)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "carol.jpg")); err == nil {
		t.Error("a failed photo left an output")
	}
}

func TestPrepAllGoodExitsZeroAndWritesPNG(t *testing.T) {
	src := t.TempDir()
	p := photo(t, src, "dave.jpg", 640, 640)
	out := t.TempDir()
	code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out, o.Format, o.Crop = out, "png", "smart" }), p)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "dave.png"))
	if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Fatalf("dave.png: %v", err)
	}
	if !strings.Contains(stdout, "png") || !strings.Contains(stdout, "prepared 1 of 1") {
		t.Errorf("output: %s", stdout)
	}
}

func TestPrepUsage(t *testing.T) {
	for _, c := range []struct {
		set   func(*Options)
		paths []string
		want  string
	}{
		{nil, nil, "no PATH given"},
		{func(o *Options) { o.Crop = "sideways" }, []string{"x.jpg"}, "sideways"},
		{func(o *Options) { o.Format = "gif" }, []string{"x.jpg"}, `format "gif"`},
		{func(o *Options) { o.Jobs = 0 }, []string{"x.jpg"}, "jobs 0"},
		{func(o *Options) { o.MaxBytes = -5 }, []string{"x.jpg"}, "max-bytes -5"},
		{func(o *Options) { o.Out = "" }, []string{"x.jpg"}, "empty output folder"},
	} {
		code, _, stderr := runPrep(t, opts(c.set), c.paths...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%+v %q: exit %d, stderr %q, want %q", opts(c.set), c.paths, code, stderr, c.want)
		}
	}
}

func TestPrepMissingFileAndBudget(t *testing.T) {
	src := t.TempDir()
	p := photo(t, src, "erin.jpg", 600, 600)
	out := t.TempDir()
	code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out, o.Crop, o.MaxBytes = out, "center", 500 }), filepath.Join(src, "nobody.jpg"), p)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if !strings.Contains(stdout, "nobody.jpg: unreadable: no such file") || !strings.Contains(stdout, "erin.jpg: cannot fit byte budget") {
		t.Errorf("output:\n%s", stdout)
	}
}

func TestPrepSidecarCrop(t *testing.T) {
	src := t.TempDir()
	p := photo(t, src, "fay.jpg", 1000, 800)
	os.WriteFile(p+".crop", []byte("100,50,400\n"), 0o644)
	out := t.TempDir()
	if code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out = out }), p); code != 0 || !strings.Contains(stdout, "manual 1.00") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	// A malformed sidecar fails that photo, naming the sidecar.
	q := photo(t, src, "gus.jpg", 500, 500)
	os.WriteFile(filepath.Join(src, "gus.crop"), []byte("left,top"), 0o644)
	code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out = out }), q)
	if code != 1 || !strings.Contains(stdout, "crop sidecar gus.crop") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

func TestPrepNeverOverwritesSourceAndCleansNames(t *testing.T) {
	src := t.TempDir()
	p := photo(t, src, "hal\x1b[31m.jpg", 600, 600)
	orig, _ := os.ReadFile(p)
	// Output into the source folder itself: hal*.jpg must not be replaced.
	code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out, o.Crop = src, "center" }), p)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if strings.Contains(stdout, "\x1b") {
		t.Errorf("escape sequence reached the terminal: %q", stdout)
	}
	now, _ := os.ReadFile(p)
	if !bytes.Equal(orig, now) {
		t.Error("the source was overwritten")
	}
	if _, err := os.Stat(filepath.Join(src, "hal\x1b[31m-2.jpg")); err != nil {
		t.Errorf("output should go to a -2 name: %v", err)
	}
}

// A crop saved on the TUI's Correct screen (looked up by the source's
// content hash) is the crop prep uses; another file's saved crop is not.
func TestPrepUsesSavedCrop(t *testing.T) {
	src := t.TempDir()
	p := photo(t, src, "ida.jpg", 1000, 800)
	other := photo(t, src, "jon.jpg", 1000, 700)
	hash, err := hashFile(p)
	if err != nil {
		t.Fatal(err)
	}
	saved := map[string]image.Rectangle{hash: image.Rect(0, 0, 400, 400)}
	var asked []string
	lookup := func(h string) (image.Rectangle, bool) {
		asked = append(asked, h)
		r, ok := saved[h]
		return r, ok
	}
	// centreRed is the red (x position) at the middle of an output.
	centreRed := func(out string) int {
		t.Helper()
		f, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		r, _, _, _ := img.At(b.Dx()/2, b.Dy()/2).RGBA()
		return int(r >> 8)
	}
	plain, saveOut := t.TempDir(), t.TempDir()
	if code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out, o.Crop, o.Jobs = plain, "center", 1 }), p, other); code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out, o.Crop, o.Jobs, o.SavedCrop = saveOut, "center", 1, lookup }), p, other)
	if code != 0 || !strings.Contains(stdout, "ida.jpg  manual 1.00") || strings.Contains(stdout, "jon.jpg  manual") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if len(asked) != 2 {
		t.Errorf("lookup asked %d times, want once per photo", len(asked))
	}
	// The centre crop's middle is x=500 (red ~127); the saved square's is
	// x=200 (red ~51).
	if a, b := centreRed(filepath.Join(plain, "ida.jpg")), centreRed(filepath.Join(saveOut, "ida.jpg")); a < 110 || b > 70 {
		t.Errorf("centre red: auto %d, saved crop %d (want ~127 and ~51)", a, b)
	}
	if a, b := centreRed(filepath.Join(plain, "jon.jpg")), centreRed(filepath.Join(saveOut, "jon.jpg")); a != b {
		t.Errorf("jon has no saved crop, yet its output changed: %d vs %d", a, b)
	}
	// A sidecar beside the photo wins over the saved crop.
	os.WriteFile(p+".crop", []byte("600,400,400\n"), 0o644)
	sideOut := t.TempDir()
	if code, stdout, _ := runPrep(t, opts(func(o *Options) { o.Out, o.Crop, o.SavedCrop = sideOut, "center", lookup }), p); code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if r := centreRed(filepath.Join(sideOut, "ida.jpg")); r < 190 {
		t.Errorf("sidecar crop centre red %d, want ~204", r)
	}
}
