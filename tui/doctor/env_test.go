package doctor

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

// A secret refused while it comes from HEADSHOT_<TABLE>_<KEY> is fixed in
// the environment, not with setup (which edits the file the variable
// overrides); the fix names the variable, never its value.
func TestDoctorAuthFixNamesTheEnvironmentVariable(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	for _, p := range cfg.Platforms() {
		if p != upload.Netex && p != upload.Rhombus {
			cfg.Disable(p)
		}
	}
	cfg.Journal = filepath.Join(t.TempDir(), "journal.db")
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HEADSHOT_NETEX_TOKEN", "env-token-value")
	t.Setenv("HEADSHOT_RHOMBUS_API_KEY", "") // empty: not an override
	var out bytes.Buffer
	Print(&out, Run(context.Background(), Options{ConfigPath: path, Timeout: 5 * time.Second, Getenv: env(nil)}))
	s := out.String()
	if !strings.Contains(s, "fix: check HEADSHOT_NETEX_TOKEN: set in the environment, it wins over the file") {
		t.Errorf("netex fix does not name the variable:\n%s", s)
	}
	if !strings.Contains(s, "Rhombus: connected") {
		t.Errorf("rhombus should pass:\n%s", s)
	}
	if strings.Contains(s, "env-token-value") {
		t.Fatal("the variable's value was printed")
	}
}

// A file that does not parse is fixed by editing it: setup refuses to open
// it, so doctor must not send the technician there.
func TestDoctorBadConfigFixIsTheEdit(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("[zoom]\nconcurency = 3\n"), 0o600)
	var out bytes.Buffer
	Print(&out, Run(context.Background(), Options{ConfigPath: bad, Getenv: env(nil)}))
	s := out.String()
	if !strings.Contains(s, "bad.toml:2: [zoom] concurency: unknown key") || !strings.Contains(s, "setup will not open a file it cannot read") {
		t.Errorf("bad config report:\n%s", s)
	}
}

// Igloo paces photos at rate/4 (four requests each); doctor says the
// configured request rate and the photo pace, not "5/4s".
func TestLimitTextInTheConfigsWords(t *testing.T) {
	cfg := &config.Config{}
	if err := cfg.Set("igloo", "rate", "5/s"); err != nil {
		t.Fatal(err)
	}
	photo := upload.Rate{N: 5, Per: 4 * time.Second}
	if got := limitText(cfg, upload.Igloo, photo); got != "limit 5/s requests (about 1.25 photos/s)" {
		t.Errorf("igloo: %q", got)
	}
	if got := limitText(cfg, upload.Zoom, upload.Rate{N: 20, Per: time.Second}); got != "limit 20/s" {
		t.Errorf("zoom (default rate): %q", got)
	}
}

// On a terminal, long findings wrap between words onto indented lines that
// fit the width (80 columns cut words mid-way before).
func TestPrintWidthWrapsBetweenWords(t *testing.T) {
	fs := []Finding{
		{Area: "igloo", Detail: "Igloo: connected: credentials accepted, people can be looked up in 401ms; limit 5/s requests (about 1.25 photos/s)"},
		{Area: "zoom", Level: Fail, Detail: "Zoom: credentials refused: check the account ID, client ID and client secret (Zoom says: Invalid client_id or client_secret)",
			Fix: "check HEADSHOT_ZOOM_CLIENT_SECRET: set in the environment, it wins over the file; correct or unset it"},
	}
	var out bytes.Buffer
	if n := PrintWidth(&out, fs, 80); n != 1 {
		t.Errorf("failed count %d", n)
	}
	text := out.String()
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("line longer than 80: %q", line)
		}
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{fs[0].Detail, fs[1].Detail, "fix: " + fs[1].Fix} {
		if !strings.Contains(flat, want) {
			t.Errorf("text changed by wrapping: lacks %q\n%s", want, text)
		}
	}
	if !strings.Contains(text, "\n"+indent+"photos/s)") && !strings.Contains(text, "\n"+indent) {
		t.Errorf("continuation lines not indented:\n%s", text)
	}
	out.Reset()
	Print(&out, fs)
	if strings.Count(out.String(), "\n") != 5 { // 3 lines + blank + summary
		t.Errorf("Print (no width) wrapped:\n%s", out.String())
	}
}

// A Zoom token_url that answers with a web page or a router's 404 is an
// address to fix now, not "try again later", and token_url is named.
func TestDoctorWrongAddressIsNotTryLater(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	for _, p := range cfg.Platforms() {
		if p != upload.Zoom {
			cfg.Disable(p)
		}
	}
	config.Settings[zoom.Config](cfg, upload.Zoom).TokenURL += "/" // the sandbox's router answers 404 text
	cfg.Journal = filepath.Join(t.TempDir(), "journal.db")
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if n := Print(&out, Run(context.Background(), Options{ConfigPath: path, Timeout: 5 * time.Second, Getenv: env(nil)})); n != 1 {
		t.Fatalf("%d failures:\n%s", n, out.String())
	}
	s := out.String()
	if strings.Contains(s, "try again later") || !strings.Contains(s, "fix: check base_url and token_url in the config: the address answers, but not as Zoom's API") {
		t.Errorf("fix:\n%s", s)
	}
}
