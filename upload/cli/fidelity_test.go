package cli

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/interact"
	"headshot/upload/sandbox"
)

// TestHeadlessUploadOnDocumentedTenants runs `headshot upload` on all five
// platforms against a sandbox set up as the hard case: the Igloo
// workplace offers only the documented v1 login (a SAML community) and the
// Interact tenant's usernames are whole emails. Every photo must land on
// every platform, with the default settings.
func TestHeadlessUploadOnDocumentedTenants(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(10), RateScale: 10,
		IglooLogin: "v1", InteractUsernames: "email"})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	config.Settings[interact.Config](cfg, upload.Interact).Rate = upload.Rate{N: 60, Per: time.Minute} // the sandbox's 6/min, scaled by 10
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(cfgPath); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const n = 4
	for i := 1; i <= n; i++ {
		writePhoto(t, dir, fmt.Sprintf("staff%03d@example.com.jpg", i))
	}
	var out, errb bytes.Buffer
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db")}
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, p := range []string{"zoom", "rhombus", "igloo", "interact", "netex"} {
		got := map[string]bool{}
		for _, r := range sb.ReceivedBy(p) {
			got[r.User] = true
		}
		if len(got) != n {
			t.Errorf("%s: %d of %d people got their photo\n%s", p, len(got), n, out.String())
		}
	}
	if strings.Contains(out.String(), "not found") || strings.Contains(out.String(), "login failed") {
		t.Errorf("the summary reports failures:\n%s", out.String())
	}
}

// A Netex sub-platform that refuses every photo makes them partly
// uploaded: sent twice, counted as uploaded, listed by sub-platform; not
// failures.
func TestHeadlessUploadReportsNetexPartialSuccess(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(5), NetexFailPart: "social", NetexFailMessage: "social is read-only"})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := config.FromValues(sb.Credentials()).Save(cfgPath); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	writePhoto(t, dir, "staff002@example.com.jpg")
	var out, errb bytes.Buffer
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "netex"}
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: a partial success is not a failure\n%s\n%s", code, out.String(), errb.String())
	}
	s := out.String()
	for _, want := range []string{"2 uploaded (2 partly: a sub-platform refused)", "0 failed",
		"Partly uploaded", "social 500 (social is read-only) refused it"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if n := len(sb.ReceivedBy("netex")); n != 4 {
		t.Errorf("netex received %d images, want 4 (each photo sent once more)", n)
	}
}
