package config

import (
	"headshot/upload"
	"headshot/upload/netex"
	"headshot/upload/zoom"
	"os"
	"path/filepath"
	"testing"
)

// A value pasted with spaces around it is accepted by the check (which
// trims) and so must be used trimmed: " http://host" reached the client as
// is and failed as "cannot build the request".
func TestLoadTrimsValues(t *testing.T) {
	noEnv(t)
	p := filepath.Join(t.TempDir(), "c.toml")
	body := "[zoom]\nbase_url = ' http://127.0.0.1:1/zoom/v2 '\nclient_secret = 's3cret\t'\nrate = ' 20/s'\naccount_id = 'a'\nclient_id = 'b'\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if Settings[zoom.Config](c, upload.Zoom).BaseURL != "http://127.0.0.1:1/zoom/v2" || Settings[zoom.Config](c, upload.Zoom).ClientSecret != "s3cret" || Settings[zoom.Config](c, upload.Zoom).Rate.String() != "20/s" {
		t.Errorf("not trimmed: %q %q %q", Settings[zoom.Config](c, upload.Zoom).BaseURL, Settings[zoom.Config](c, upload.Zoom).ClientSecret, Settings[zoom.Config](c, upload.Zoom).Rate)
	}
	if _, err := c.Client("zoom"); err != nil {
		t.Errorf("client from trimmed values: %v", err)
	}
}

// Saving through a symlink writes the file it points to and keeps the link.
func TestSaveFollowsSymlink(t *testing.T) {
	noEnv(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "headshot.toml")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("[netex]\ntoken = 'old'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	c, err := Load(link)
	if err != nil {
		t.Fatal(err)
	}
	Settings[netex.Config](c, upload.Netex).Token = "new"
	if err := c.Save(link); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
	back, err := Load(real)
	if err != nil || Settings[netex.Config](back, upload.Netex).Token != "new" {
		t.Fatalf("target not updated: %v %+v", err, back)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o600 {
		t.Errorf("target mode %v", st.Mode().Perm())
	}
}
