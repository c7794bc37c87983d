package cli

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePNG writes a w x h flat grey PNG: no face, nothing to see.
func writePNG(t *testing.T, dir, name string, w, h int) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// summaryOf is the part of a run's output from "Summary:" on.
func summaryOf(out string) string {
	if i := strings.Index(out, "\nSummary:"); i >= 0 {
		return out[i+1:]
	}
	return ""
}

// A 1x1 placeholder named after a real person is held (never sent, listed
// with its reason, exit 1) while the real photos land; a no-face photo is
// held too until --approve-flagged, which never sends the placeholder.
func TestUploadHoldsPlaceholderNamedAfterRealPerson(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	writePhoto(t, dir, "staff002@example.com.jpg")
	writePNG(t, dir, "staff003@example.com.png", 1, 1)
	jpath := filepath.Join(t.TempDir(), "journal.db")
	base := UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "zoom,rhombus,netex"}

	var out, errb bytes.Buffer
	code := Upload(base, []string{dir}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a photo was held)\n%s\n%s", code, out.String(), errb.String())
	}
	for _, r := range sb.Received() {
		if r.User == "staff003@example.com" {
			t.Errorf("the placeholder reached %s", r.Platform)
		}
	}
	for _, p := range []string{"zoom", "rhombus", "netex"} {
		if n := len(sb.ReceivedBy(p)); n != 2 {
			t.Errorf("%s stored %d photos, want the 2 real ones", p, n)
		}
	}
	sum := summaryOf(out.String())
	for _, want := range []string{
		"zoom      2 uploaded, 0 skipped (unchanged), 1 held, 0 failed, 0 not sent",
		"Held for review (1 photo, sent nowhere",
		"staff003@example.com (staff003@example.com.png): held for review: too small: 1x1 px is not a photo",
		"cannot be approved",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if !strings.HasPrefix(out.String(), "Sending 2 photos to 3 platforms (6 uploads): 1 held for review") {
		t.Errorf("the run does not start with its plan:\n%s", out.String())
	}

	// A no-face photo of a real person: held, then sent with
	// --approve-flagged; the placeholder stays held even then.
	writePNG(t, dir, "staff004@example.com.png", 400, 400)
	out.Reset()
	if code := Upload(base, []string{dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "staff004@example.com (staff004@example.com.png): held for review: no face found") {
		t.Errorf("the no-face photo was not held:\n%s", summaryOf(out.String()))
	}
	out.Reset()
	if code := Upload(with(base, func(o *UploadOptions) { o.ApproveFlagged = true }), []string{dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1 (the placeholder is still held)\n%s", code, out.String())
	}
	got := map[string]int{}
	for _, r := range sb.Received() {
		got[r.User]++
	}
	if got["staff004@example.com"] != 3 || got["staff003@example.com"] != 0 {
		t.Errorf("after --approve-flagged: stored %v, want staff004 on 3 platforms and staff003 nowhere", got)
	}
	if !strings.Contains(summaryOf(out.String()), "Held for review (1 photo") {
		t.Errorf("summary:\n%s", summaryOf(out.String()))
	}
}

// A dry run reads the journal: after a complete run it says nothing would
// be sent, in the real run's summary format with only the verb changed.
func TestDryRunAfterCompleteRunSendsNothing(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	for _, n := range []string{"staff001", "staff002", "staff003"} {
		writePhoto(t, dir, n+"@example.com.jpg")
	}
	jpath := filepath.Join(t.TempDir(), "journal.db")
	base := UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "zoom,netex"}
	var dry1, real, dry2, errb bytes.Buffer
	if code := Upload(with(base, func(o *UploadOptions) { o.DryRun = true }), []string{dir}, &dry1, &errb); code != 0 {
		t.Fatalf("first dry run: exit %d\n%s%s", code, dry1.String(), errb.String())
	}
	if code := Upload(base, []string{dir}, &real, &errb); code != 0 {
		t.Fatalf("real run: exit %d\n%s%s", code, real.String(), errb.String())
	}
	if code := Upload(with(base, func(o *UploadOptions) { o.DryRun = true }), []string{dir}, &dry2, &errb); code != 0 {
		t.Fatalf("dry run after: exit %d\n%s%s", code, dry2.String(), errb.String())
	}
	if n := len(sb.Received()); n != 6 {
		t.Fatalf("sandbox stored %d photos, want 6 (dry runs send nothing)", n)
	}
	// Before: the dry run predicts the real run line by line.
	d, r := summaryOf(dry1.String()), summaryOf(real.String())
	if strings.ReplaceAll(d, "would send", "uploaded") != r {
		t.Errorf("dry run and real run summaries differ beyond the verb:\n--- dry\n%s--- real\n%s", d, r)
	}
	// After: nothing would be sent.
	after := summaryOf(dry2.String())
	for _, p := range []string{"zoom", "netex"} {
		want := p + strings.Repeat(" ", 9-len(p)) + " 0 would send, 3 skipped (unchanged), 0 held, 0 failed, 0 not sent"
		if !strings.Contains(after, want) {
			t.Errorf("dry run after a complete run lacks %q:\n%s", want, after)
		}
	}
	if !strings.HasPrefix(dry2.String(), "Would send 0 photos to 2 platforms (0 uploads): 3 unchanged (skipped)") {
		t.Errorf("plan line: %q", strings.SplitN(dry2.String(), "\n", 2)[0])
	}
}

// Where a platform has no person lookup (Interact), the dry run says it
// cannot check the person instead of claiming it would work.
func TestDryRunSaysInteractCannotCheck(t *testing.T) {
	_, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	var out, errb bytes.Buffer
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "zoom,interact", DryRun: true}
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	sum := summaryOf(out.String())
	if !strings.Contains(sum, "interact  1 would send, 0 skipped (unchanged), 0 held, 0 failed, 0 not sent (1 cannot check before sending: Interact has no person lookup)") {
		t.Errorf("summary:\n%s", sum)
	}
	if strings.Contains(sum, "zoom      1 would send, 0 skipped (unchanged), 0 held, 0 failed, 0 not sent (") {
		t.Errorf("zoom, which looks people up, is said to be unchecked:\n%s", sum)
	}
}
