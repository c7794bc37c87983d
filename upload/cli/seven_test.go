package cli

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/sandbox"
)

// `headshot upload` to every platform at once (all seven: Microsoft 365
// through its $filter lookup, Google Workspace through its key file and
// delegated token) lands each photo exactly once on each platform; the
// second run sends nothing.
func TestUploadToAllSevenPlatformsLandsEachPhotoOnce(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(20), RateScale: 60})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() { sb.Close() })
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	if err := cfg.Set("interact", "rate", "360/min"); err != nil { // the sandbox's 6/min, scaled
		t.Fatal(err)
	}
	if got := len(cfg.Platforms()); got != 7 || got != len(upload.Platforms()) {
		t.Fatalf("config has %d platforms, want all 7: %v", got, cfg.Platforms())
	}
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(cfgPath); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	people := []string{"staff001@example.com", "staff002@example.com", "staff003@example.com", "jane.doe@example.com"}
	for _, p := range people {
		writePhoto(t, dir, p+".jpg")
	}
	opts := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "journal.db")}
	var out, errb bytes.Buffer
	if code := Upload(opts, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, p := range cfg.Platforms() {
		got := map[string]int{}
		for _, r := range sb.ReceivedBy(string(p)) {
			got[r.User]++
			if r.Width != 600 || r.Height != 600 || r.Format != "jpeg" {
				t.Errorf("%s stored %s as %dx%d %s", p, r.User, r.Width, r.Height, r.Format)
			}
		}
		for _, person := range people {
			if got[person] != 1 {
				t.Errorf("%s stored %s's photo %d times, want once", p, person, got[person])
			}
		}
		if len(got) != len(people) {
			t.Errorf("%s stored photos for %v", p, got)
		}
	}
	if n := len(sb.Received()); n != 7*len(people) {
		t.Errorf("%d photos stored in all, want %d", n, 7*len(people))
	}

	out.Reset()
	errb.Reset()
	if code := Upload(opts, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("second run exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if n := len(sb.Received()); n != 7*len(people) {
		t.Errorf("the second run stored %d more", n-7*len(people))
	}
}
