package demo

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"headshot/upload"
)

// TestHeadlessDemo runs the demo batch through the engine against the
// in-process sandbox (sped up) and checks the expected mix: everyone
// uploaded everywhere except the unknown person (failed on every platform)
// and the photo Zoom refuses.
func TestHeadlessDemo(t *testing.T) {
	root := t.TempDir()
	d, err := Start(Options{Root: root, RateScale: 30, Samples: SampleOptions{BigWidth: 1200, BigHeight: 800}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	sum, err := d.Headless(ctx, &out, false)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if testing.Verbose() {
		t.Log(out.String())
	}
	platforms := d.Config.Platforms()
	n := len(platforms)
	var held []string
	for _, s := range d.Samples {
		if s.Held != "" {
			held = append(held, s.Person)
		}
	}
	if !slices.Contains(held, Placeholder) || !slices.Contains(held, Dark) {
		t.Fatalf("the demo holds %v, want its placeholder and its dark photo among them", held)
	}
	wantFailed := n + 1
	wantHeld := len(held) * n
	wantUploaded := (len(d.Samples)-1-len(held))*n - 1
	if sum.Failed != wantFailed || sum.Uploaded != wantUploaded || sum.Held != wantHeld {
		t.Fatalf("uploaded %d failed %d held %d, want %d, %d and %d\n%s", sum.Uploaded, sum.Failed, sum.Held, wantUploaded, wantFailed, wantHeld, out.String())
	}
	for _, s := range d.Samples {
		if s.Held == "" {
			continue
		}
		if !contains(sum.HeldPhotos, s.Person+": "+s.Held) {
			t.Errorf("%s not held for %q: %v", s.Person, s.Held, sum.HeldPhotos)
		}
		for _, r := range d.Sandbox.Received() {
			if r.User == s.Person {
				t.Errorf("held photo of %s reached %s", s.Person, r.Platform)
			}
		}
	}
	for _, p := range platforms {
		if !contains(sum.Failures, string(p)+" "+UnknownPerson+": not found") {
			t.Fatalf("%s: unknown person not reported as not found: %v", p, sum.Failures)
		}
	}
	if !contains(sum.Failures, "zoom "+ZoomRejected+": rejected") {
		t.Fatalf("Zoom rejection missing: %v", sum.Failures)
	}
	// What the sandbox stored agrees with the summary.
	if got := len(d.Sandbox.Received()); got != wantUploaded {
		t.Fatalf("sandbox stored %d photos, summary says %d", got, wantUploaded)
	}
	for _, r := range d.Sandbox.ReceivedBy(string(upload.Zoom)) {
		if r.Width != 600 || r.Height != 600 {
			t.Fatalf("zoom got a %dx%d photo", r.Width, r.Height)
		}
	}
	// The grainy photo was over the demo's Zoom limit: answered 413,
	// re-encoded smaller and then stored.
	var grainyBytes int
	for _, r := range d.Sandbox.ReceivedBy(string(upload.Zoom)) {
		if r.User == Grainy {
			grainyBytes = r.Bytes
		}
	}
	if grainyBytes == 0 || grainyBytes > DemoZoomMaxBytes {
		t.Fatalf("zoom stored %d bytes for %s, want 1..%d", grainyBytes, Grainy, DemoZoomMaxBytes)
	}
	s := out.String()
	if !regexp.MustCompile(`zoom +retrying +` + regexp.QuoteMeta(Grainy) + `: too large .*re-encoding`).MatchString(s) {
		t.Fatalf("no 413 re-encode for %s in the output:\n%s", Grainy, s)
	}
	for _, want := range []string{"uploaded", "Done in", "Failures", "Held for review"} {
		if !strings.Contains(s, want) {
			t.Fatalf("output lacks %q:\n%s", want, s)
		}
	}
	// One truth: the header counts held photos as the list names them, with
	// the uploads they stopped.
	heldLine := fmt.Sprintf("%d photos held for review (%d uploads not sent)", len(sum.HeldPhotos), sum.Held)
	if len(sum.HeldPhotos) < 2 || !strings.Contains(s, heldLine) {
		t.Fatalf("output lacks %q:\n%s", heldLine, s)
	}
	// Everything stayed inside the demo folder: the journal is there.
	if _, err := os.Stat(d.Config.Journal); err != nil || !strings.HasPrefix(d.Config.Journal, root) {
		t.Fatalf("journal %q: %v", d.Config.Journal, err)
	}
}

func TestCloseRemovesOwnFolder(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	d, err := Start(Options{Samples: SampleOptions{BigWidth: 300, BigHeight: 200}})
	if err != nil {
		t.Fatal(err)
	}
	root := d.Root
	if _, err := os.Stat(d.Photos); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("%s left behind", root)
	}
}

func TestScaleRate(t *testing.T) {
	for in, want := range map[string]string{"20/s": "600/s", "6/min": "180/min", "20/min": "600/min"} {
		if got, err := scaleRate(in, 30); err != nil || got != want {
			t.Errorf("%s x30 = %q, %v; want %s", in, got, err, want)
		}
	}
	if got, _ := scaleRate("6/min", 1); got != "6/min" {
		t.Errorf("x1 changed the rate: %s", got)
	}
}

func contains(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
