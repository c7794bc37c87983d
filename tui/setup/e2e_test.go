package setup_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/tui/setup/tmuxtest"
	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/config"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

// TestSetupInTmux drives `headshot setup` in an 80x24 tmux window against
// an in-process sandbox: choose Zoom, fill in its values, see a wrong secret
// refused in plain words, fix it, see the connection succeed, save, and
// find a 0600 file that loads back.
func TestSetupInTmux(t *testing.T) {
	bin := tmuxtest.Binary(t)
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	c := sb.Credentials()
	home := t.TempDir()
	path := filepath.Join(home, "cfg", "config.toml")
	s := tmuxtest.Start(t, 80, 24, []string{"HOME=" + home, "TERM=xterm-256color"}, bin+" setup --config "+path)

	s.WaitFor("Which platforms", 10*time.Second)
	s.Keys("Space", "Enter")
	s.WaitFor("[Zoom]", 5*time.Second)
	for _, v := range []string{c["zoom"]["account_id"], c["zoom"]["client_id"], "wrong-secret", c["zoom"]["base_url"], c["zoom"]["token_url"]} {
		s.Type(v)
		s.Keys("Tab")
	}
	s.Keys("C-t")
	screen := s.WaitFor("Zoom: credentials refused", 15*time.Second)
	if contains(screen, "wrong-secret") {
		t.Fatalf("secret on screen:\n%s", screen)
	}
	s.Keys("Up", "Up", "Up") // rate -> token url -> base url -> client secret
	s.Keys("C-u")            // clear it
	s.Type(c["zoom"]["client_secret"])
	s.Keys("C-t")
	s.WaitFor("Zoom: connected", 15*time.Second)
	s.Keys("C-s")
	s.WaitFor("EXIT=0", 10*time.Second)
	s.WaitFor("Saved", time.Second)

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ps := cfg.Platforms(); len(ps) != 1 || ps[0] != upload.Zoom || config.Settings[zoom.Config](cfg, upload.Zoom).ClientSecret != apihttp.Secret(c["zoom"]["client_secret"]) {
		t.Fatalf("saved %v %+v", ps, config.Settings[zoom.Config](cfg, upload.Zoom))
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
