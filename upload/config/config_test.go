package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"headshot/upload"
	"headshot/upload/interact"
	"headshot/upload/netex"
	"headshot/upload/rhombus"
	"headshot/upload/zoom"
)

const good = `journal = "/tmp/j.db"

[zoom]
account_id = "acc"
client_id = "cid"
client_secret = "zoom-s3cret"
rate = "10/s"
concurrency = 2

[rhombus]
api_key = "rh-s3cret"
batch_size = 50

[interact]
base_url = "https://intranet.example.com"
domain_id = "7"
api_key = "ia-s3cret"
person_route = "umiid"
rate = "6/min"

[prep]
crop = "smart"
format = "png"
quality = 80
`

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func noEnv(t *testing.T) {
	t.Helper()
	for _, table := range Tables() {
		for _, f := range Fields(table) {
			t.Setenv(f.EnvVar(), "")
		}
	}
	t.Setenv(EnvJournal, "")
}

func TestLoadGood(t *testing.T) {
	noEnv(t)
	c, err := Load(write(t, good))
	if err != nil {
		t.Fatal(err)
	}
	got := c.Platforms()
	want := []upload.Platform{upload.Zoom, upload.Rhombus, upload.Interact}
	if len(got) != len(want) {
		t.Fatalf("platforms %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("platforms %v, want %v", got, want)
		}
	}
	if Settings[zoom.Config](c, upload.Zoom).ClientSecret != "zoom-s3cret" || Settings[zoom.Config](c, upload.Zoom).Concurrency != 2 || Settings[rhombus.Config](c, upload.Rhombus).BatchSize != 50 || Settings[interact.Config](c, upload.Interact).PersonRoute != "umiid" {
		t.Fatalf("values not read: %+v %+v %+v", Settings[zoom.Config](c, upload.Zoom), Settings[rhombus.Config](c, upload.Rhombus), Settings[interact.Config](c, upload.Interact))
	}
	if c.Journal != "/tmp/j.db" {
		t.Fatalf("journal %q", c.Journal)
	}
	if v := c.Value("zoom", "base_url"); v != "https://api.zoom.us/v2" {
		t.Fatalf("default base_url %q", v)
	}
	if v := c.Value("rhombus", "rate"); v != "10/s" {
		t.Fatalf("default rhombus rate %q", v)
	}
	o := c.PrepOptions()
	if o.Crop != "smart" || o.Profile.Format != "png" || o.Profile.Quality != 80 || o.Profile.Size != 600 {
		t.Fatalf("prep options %+v", o)
	}
	if len(c.Missing()) != 0 {
		t.Fatalf("missing %v", c.Missing())
	}
}

func TestPrepDefaults(t *testing.T) {
	o := (&Config{}).PrepOptions()
	if o.Crop != "face" || o.Profile.Format != "jpeg" || o.Profile.Quality != 90 {
		t.Fatalf("defaults %+v", o)
	}
}

func TestBadValuesNameKeyAndLine(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"rate", "[zoom]\naccount_id = \"a\"\nrate = \"20 per s\"\n", `:3: [zoom] rate: "20 per s" is not a rate (want N/s or N/min`},
		{"url", "[igloo]\n\nbase_url = \"ftp://x\"\n", `:3: [igloo] base_url: is not an http(s) URL`},
		// A secret pasted into a URL field is never repeated.
		{"url secret", "[zoom]\n\nbase_url = \"hunter2-secret\"\n", `:3: [zoom] base_url: is not an http(s) URL`},
		{"url no host", "[netex]\nbase_url = \"https://\"\n", `:2: [netex] base_url:`},
		{"choice", "[interact]\nperson_route = \"email\"\n", `:2: [interact] person_route: "email" is not one of username, person, umiid`},
		{"negative", "[zoom]\nconcurrency = -1\n", `:2: [zoom] concurrency: -1: must be a positive whole number`},
		{"too big batch", "[rhombus]\nbatch_size = 500\n", `:2: [rhombus] batch_size: 500: must be at most 100`},
		{"quoted number", "[zoom]\nconcurrency = \"four\"\n", `:2: [zoom] concurrency: want a whole number`},
		{"number for string", "[netex]\ntoken = 12345\n", `:2: [netex] token: want a quoted string`},
		{"duration", "[zoom]\ntimeout = \"forever\"\n", `:2: [zoom] timeout: "forever" is not a duration`},
		{"quality", "[prep]\nquality = 101\n", `:2: [prep] quality: 101: must be at most 100`},
		{"empty", "[zoom]\nrate = \"\"\n", `:2: [zoom] rate: is empty`},
		{"digits", "[interact]\ndomain_id = \"general\"\n", `:2: [interact] domain_id: "general" is not a number`},
		{"unknown key", "[zoom]\naccount_id = \"a\"\ncolour = \"red\"\n", `:3: [zoom] colour: unknown key (known: account_id`},
		{"unknown table", "[zooom]\naccount_id = \"a\"\n", `:1: [zooom]: unknown table`},
		{"unknown top", "verbose = true\n[zoom]\n", `:1: verbose: unknown key`},
		{"syntax", "[zoom]\nrate = \n", `:2:`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, tc.body)
			_, err := Load(p)
			if err == nil {
				t.Fatalf("no error for %q", tc.body)
			}
			if !strings.Contains(err.Error(), p+tc.want) {
				t.Fatalf("error %q\nwant it to contain %q", err, p+tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error repeats the value: %q", err)
			}
		})
	}
}

func TestSecretsNeverInErrors(t *testing.T) {
	noEnv(t)
	const secret = "hunter2-very-secret"
	bodies := []string{
		"[zoom]\nclient_secret = hunter2-very-secret\n", "[zoom]\nclient_secret = \"h\nx\"\n", // unquoted: a syntax error
		"[zoom]\nclient_secret = \"hunter2-very-secret\"\nrate = \"x\"\n",    // another key's error
		"[zoom]\nclient_secret = \"hunter2-very-secret\nmore\"\n",            // bad string
		"[zoom]\nbase_url = \"https://u:hunter2-very-secret@example.com\"\n", // password in a URL
		"[zoom]\nclient_secret = [\"hunter2-very-secret\"]\n",                // wrong type
	}
	for _, b := range bodies {
		_, err := Load(write(t, b))
		if err == nil {
			t.Fatalf("no error for %q", b)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "'h'") {
			t.Fatalf("secret in error: %v", err)
		}
	}
	t.Setenv("HEADSHOT_ZOOM_CLIENT_SECRET", "hunter2-very-secret\nx")
	_, err := Load(write(t, "[zoom]\n"))
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "HEADSHOT_ZOOM_CLIENT_SECRET") {
		t.Fatalf("env error %v", err)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if !IsNotExist(err) {
		t.Fatalf("want not-exist, got %v", err)
	}
}

func TestEnvOverridesWinAndAreNotSaved(t *testing.T) {
	noEnv(t)
	t.Setenv("HEADSHOT_ZOOM_CLIENT_SECRET", "from-env")
	t.Setenv("HEADSHOT_ZOOM_RATE", "5/s")
	t.Setenv("HEADSHOT_NETEX_TOKEN", "ignored: no [netex] table")
	p := write(t, good)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if Settings[zoom.Config](c, upload.Zoom).ClientSecret != "from-env" || Settings[zoom.Config](c, upload.Zoom).Rate.String() != "5/s" {
		t.Fatalf("env did not win: %+v", Settings[zoom.Config](c, upload.Zoom))
	}
	if c.Has(upload.Netex) {
		t.Fatal("env enabled a platform without a table")
	}
	if c.FromEnv("zoom", "client_secret") != "HEADSHOT_ZOOM_CLIENT_SECRET" {
		t.Fatal("FromEnv")
	}
	if got := strings.Join(c.EnvVars("zoom"), " "); got != "HEADSHOT_ZOOM_CLIENT_SECRET HEADSHOT_ZOOM_RATE" {
		t.Errorf("EnvVars(zoom) = %q", got)
	}
	if got := c.EnvVars("netex"); len(got) != 0 {
		t.Errorf("EnvVars(netex) = %q, want none (no table)", got)
	}
	// An edited key is saved; an untouched env value is not.
	Settings[zoom.Config](c, upload.Zoom).Concurrency = 3
	out := filepath.Join(t.TempDir(), "out.toml")
	if err := c.Save(out); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	if strings.Contains(string(data), "from-env") || !strings.Contains(string(data), "zoom-s3cret") {
		t.Fatalf("saved file:\n%s", data)
	}
	t.Setenv("HEADSHOT_ZOOM_RATE", "fast")
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), `HEADSHOT_ZOOM_RATE: "fast" is not a rate`) {
		t.Fatalf("bad env value: %v", err)
	}
}

func TestSaveRoundTripAnd0600(t *testing.T) {
	noEnv(t)
	c, err := Parse("good", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	c.Enable(upload.Netex) // an empty table must survive: it means "used"
	p := filepath.Join(t.TempDir(), "new", "dir", "config.toml")
	if err := c.Save(p); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v", st.Mode().Perm())
		}
		dst, _ := os.Stat(filepath.Dir(p))
		if dst.Mode().Perm() != 0o700 {
			t.Fatalf("dir mode %v", dst.Mode().Perm())
		}
	}
	back, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range Tables() {
		if c.HasTable(table) != back.HasTable(table) {
			t.Fatalf("table %s presence changed", table)
		}
		for _, f := range Fields(table) {
			if a, b := c.Get(table, f.Key), back.Get(table, f.Key); a != b {
				t.Fatalf("[%s] %s: %q became %q", table, f.Key, a, b)
			}
		}
	}
	if back.Journal != c.Journal {
		t.Fatal("journal lost")
	}
	// Overwriting keeps 0600 and leaves no temporary files behind.
	if err := back.Save(p); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestSetValidates(t *testing.T) {
	c := &Config{}
	if err := c.Set("zoom", "rate", "lots"); err == nil || !strings.Contains(err.Error(), "[zoom] rate") {
		t.Fatalf("Set accepted a bad rate: %v", err)
	}
	if c.Has(upload.Zoom) {
		t.Fatal("a failed Set added the table")
	}
	if err := c.Set("zoom", "concurrency", "3"); err != nil || Settings[zoom.Config](c, upload.Zoom).Concurrency != 3 {
		t.Fatalf("Set: %v", err)
	}
	if err := c.Set("zoom", "client_secret", "s\nx"); err == nil || strings.Contains(err.Error(), "s\nx") {
		t.Fatalf("secret check %v", err)
	}
	if err := c.Set("zoom", "nope", "1"); err == nil {
		t.Fatal("unknown key accepted")
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	noEnv(t)
	t.Setenv("HEADSHOT_RHOMBUS_API_KEY", "env-key-value")
	c, err := Load(write(t, good))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Redacted()
	for _, s := range []string{"zoom-s3cret", "env-key-value", "ia-s3cret"} {
		if strings.Contains(r, s) {
			t.Fatalf("secret %q in redacted form:\n%s", s, r)
		}
	}
	for _, s := range []string{"client_secret = (set)", "api_key = (set) (from HEADSHOT_RHOMBUS_API_KEY)", "base_url = https://api.zoom.us/v2 (default)", "client_id = cid"} {
		if !strings.Contains(r, s) {
			t.Fatalf("redacted form lacks %q:\n%s", s, r)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv(EnvConfig, "")
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	if p := DefaultPath(); p != filepath.Join("/xdg", "headshot", "config.toml") {
		t.Fatalf("xdg path %q", p)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/tech")
	if p := DefaultPath(); p != "/home/tech/.config/headshot/config.toml" {
		t.Fatalf("home path %q", p)
	}
	t.Setenv(EnvConfig, "/etc/h.toml")
	if p := DefaultPath(); p != "/etc/h.toml" {
		t.Fatalf("env path %q", p)
	}
	if p := Resolve("/flag.toml"); p != "/flag.toml" {
		t.Fatalf("flag path %q", p)
	}
}

func TestMissingRequiredAndClients(t *testing.T) {
	noEnv(t)
	c, err := Parse("x", []byte("[zoom]\naccount_id = \"a\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := strings.Join(c.Missing(), "; ")
	if !strings.Contains(m, "[zoom] client_id") || !strings.Contains(m, "HEADSHOT_ZOOM_CLIENT_SECRET") {
		t.Fatalf("missing: %s", m)
	}
	if _, err := c.Clients(); err == nil || !strings.Contains(err.Error(), "client_secret") {
		t.Fatalf("Clients with missing keys: %v", err)
	}
	if _, err := (&Config{}).Clients(); err == nil {
		t.Fatal("no platforms accepted")
	}
}

func TestEmptyTableWithEnvSecret(t *testing.T) {
	noEnv(t)
	t.Setenv("HEADSHOT_NETEX_TOKEN", "tok-from-env")
	t.Setenv("HEADSHOT_NETEX_BASE_URL", "https://acme.learningcloud.me")
	c, err := Load(write(t, "[netex]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Has(upload.Netex) || Settings[netex.Config](c, upload.Netex).Token != "tok-from-env" || len(c.Missing()) != 0 {
		t.Fatalf("empty table + env: %+v missing %v", Settings[netex.Config](c, upload.Netex), c.Missing())
	}
	data, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "tok-from-env") || !strings.Contains(string(data), "[netex]") {
		t.Fatalf("marshalled:\n%s", data)
	}
}

func TestBoolKeyRoundTrip(t *testing.T) {
	c := &Config{}
	if err := c.Set("interact", "username_from_email", "false"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("interact", "username_from_email", "maybe"); err == nil || !strings.Contains(err.Error(), "not true or false") {
		t.Fatalf("bad bool: %v", err)
	}
	data, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("x", data)
	if err != nil {
		t.Fatal(err)
	}
	if v := back.Get("interact", "username_from_email"); v != "false" {
		t.Fatalf("false became %q:\n%s", v, data)
	}
	if _, err := Parse("x", []byte("[interact]\nusername_from_email = \"yes\"\n")); err == nil || !strings.Contains(err.Error(), ":2: [interact] username_from_email") {
		t.Fatalf("string for bool: %v", err)
	}
}
