package setup

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/config"
	"headshot/upload/igloo"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

func startSandbox(t *testing.T) sandbox.Credentials {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	return sb.Credentials()
}

func newModel(t *testing.T, cfg *config.Config) (*Model, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "headshot", "config.toml")
	m := New(cfg, path, common.NewCommon(common.ColorPlain), WithTestTimeout(10*time.Second))
	m.SetSize(80, 24)
	return m, path
}

func press(m *Model, k tea.KeyType) tea.Cmd { return m.Update(tea.KeyMsg{Type: k}) }

func typeText(m *Model, s string) {
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

// run executes a command the way Bubble Tea would and feeds the message back
// (one level: test and save commands return one message each).
func run(t *testing.T, m *Model, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("expected a command")
	}
	msg := cmd()
	next := m.Update(msg)
	if next != nil {
		return next()
	}
	return msg
}

// fillZoom chooses Zoom alone and types the sandbox's values.
func fillZoom(t *testing.T, m *Model, c sandbox.Credentials, secret string) {
	t.Helper()
	press(m, tea.KeySpace) // cursor starts on Zoom
	press(m, tea.KeyEnter)
	if !m.Capturing() {
		t.Fatal("enter did not open the form")
	}
	for _, v := range []string{c["zoom"]["account_id"], c["zoom"]["client_id"], secret, c["zoom"]["base_url"], c["zoom"]["token_url"]} {
		typeText(m, v)
		press(m, tea.KeyTab)
	}
}

func TestSetupFillTestSave(t *testing.T) {
	c := startSandbox(t)
	m, path := newModel(t, nil)
	if v := m.View(); !strings.Contains(v, "[ ] Zoom") || !strings.Contains(v, "Which platforms") {
		t.Fatalf("pick view:\n%s", v)
	}
	fillZoom(t, m, c, c["zoom"]["client_secret"])
	v := m.View()
	if strings.Contains(v, c["zoom"]["client_secret"]) {
		t.Fatalf("secret shown:\n%s", v)
	}
	if !strings.Contains(v, strings.Repeat("*", len(c["zoom"]["client_secret"]))) {
		t.Fatalf("secret not masked:\n%s", v)
	}
	if !strings.Contains(v, "Build App > Server-to-Server OAuth") {
		t.Fatalf("no console help:\n%s", v)
	}
	run(t, m, press(m, tea.KeyCtrlT))
	if v := m.View(); !strings.Contains(v, "Zoom: connected") {
		t.Fatalf("test connection did not succeed:\n%s", v)
	}
	msg := run(t, m, press(m, tea.KeyCtrlS))
	done, ok := msg.(DoneMsg)
	if !ok || !done.Saved || done.Path != path {
		t.Fatalf("save gave %#v", msg)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	back, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if ps := back.Platforms(); len(ps) != 1 || ps[0] != upload.Zoom {
		t.Fatalf("saved platforms %v", ps)
	}
	if config.Settings[zoom.Config](back, upload.Zoom).ClientSecret != apihttp.Secret(c["zoom"]["client_secret"]) || config.Settings[zoom.Config](back, upload.Zoom).BaseURL != c["zoom"]["base_url"] {
		t.Fatalf("saved %+v", config.Settings[zoom.Config](back, upload.Zoom))
	}
	if !strings.Contains(m.View(), "Saved") {
		t.Fatalf("no saved status:\n%s", m.View())
	}
}

func TestSetupWrongSecret(t *testing.T) {
	c := startSandbox(t)
	m, _ := newModel(t, nil)
	fillZoom(t, m, c, "not-the-secret")
	run(t, m, press(m, tea.KeyCtrlT))
	v := m.View()
	if !strings.Contains(v, "Zoom: credentials refused") || !strings.Contains(v, "client secret") {
		t.Fatalf("wrong secret not explained:\n%s", v)
	}
	if strings.Contains(v, "not-the-secret") {
		t.Fatalf("secret shown:\n%s", v)
	}
}

func TestSetupValidatesAsTyped(t *testing.T) {
	m, path := newModel(t, nil)
	press(m, tea.KeySpace)
	press(m, tea.KeyEnter)
	for i := 0; i < 5; i++ { // to rate
		press(m, tea.KeyTab)
	}
	typeText(m, "fast")
	if v := m.View(); !strings.Contains(v, `"fast" is not a rate`) {
		t.Fatalf("bad rate accepted:\n%s", v)
	}
	press(m, tea.KeyCtrlS)
	if !strings.Contains(m.View(), "Not saved: Zoom: fix rate") {
		t.Fatalf("saved with a bad rate:\n%s", m.View())
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("file written")
	}
	if cmd := press(m, tea.KeyCtrlT); cmd != nil || !strings.Contains(m.View(), "fix rate first") {
		t.Fatalf("tested with a bad rate:\n%s", m.View())
	}
	// Fix it: the error goes away.
	for range "fast" {
		press(m, tea.KeyBackspace)
	}
	typeText(m, "10/s")
	if strings.Contains(m.View(), "not a rate") {
		t.Fatalf("error stuck:\n%s", m.View())
	}
	// The URL shape is checked too.
	press(m, tea.KeyShiftTab)
	press(m, tea.KeyShiftTab) // base_url
	typeText(m, "api.zoom.us")
	if !strings.Contains(m.View(), "not an http(s) URL") {
		t.Fatalf("bad URL accepted:\n%s", m.View())
	}
}

func TestSetupMissingValuesExplained(t *testing.T) {
	m, _ := newModel(t, nil)
	press(m, tea.KeySpace)
	press(m, tea.KeyEnter)
	run(t, m, press(m, tea.KeyCtrlT))
	if v := m.View(); !strings.Contains(v, "missing account_id") || !strings.Contains(v, "client_secret") {
		t.Fatalf("missing keys not named:\n%s", v)
	}
}

func TestSetupKeepsWhatItDoesNotShow(t *testing.T) {
	c := startSandbox(t)
	cfg := config.FromValues(c)
	config.Settings[zoom.Config](cfg, upload.Zoom).Concurrency = 2
	config.Settings[zoom.Config](cfg, upload.Zoom).MaxBytes = 1_000_000
	cfg.Journal = "/var/tmp/j.db"
	if err := cfg.Set("prep", "quality", "70"); err != nil {
		t.Fatal(err)
	}
	m, path := newModel(t, cfg)
	if !strings.Contains(m.View(), "[x] Rhombus") {
		t.Fatalf("configured platforms not pre-chosen:\n%s", m.View())
	}
	press(m, tea.KeyDown) // Rhombus
	press(m, tea.KeySpace)
	press(m, tea.KeyEnter)
	typeText(m, "-edited") // appended to the Zoom account id
	if _, ok := run(t, m, press(m, tea.KeyCtrlS)).(DoneMsg); !ok {
		t.Fatal("not saved")
	}
	back, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Has(upload.Rhombus) || !back.Has(upload.Netex) {
		t.Fatalf("platforms %v", back.Platforms())
	}
	if config.Settings[zoom.Config](back, upload.Zoom).AccountID != c["zoom"]["account_id"]+"-edited" || config.Settings[zoom.Config](back, upload.Zoom).Concurrency != 2 || config.Settings[zoom.Config](back, upload.Zoom).MaxBytes != 1_000_000 ||
		back.Journal != "/var/tmp/j.db" || back.Prep == nil || back.Prep.Quality != 70 || config.Settings[igloo.Config](back, upload.Igloo).Password != apihttp.Secret(c["igloo"]["password"]) {
		t.Fatalf("values lost: %+v %+v %q", config.Settings[zoom.Config](back, upload.Zoom), back.Prep, back.Journal)
	}
}

func TestSetupFitsSmallTerminal(t *testing.T) {
	c := startSandbox(t)
	m, _ := newModel(t, config.FromValues(c))
	check := func(where string) {
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) > 23 { // one line is the host's help bar
			t.Fatalf("%s: %d lines:\n%s", where, len(lines), v)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > 80 {
				t.Fatalf("%s: line %d wide: %q", where, w, l)
			}
		}
	}
	check("pick")
	press(m, tea.KeyEnter)
	for _, p := range m.order {
		for i := 0; i < len(m.forms[p]); i++ {
			check(string(p))
			press(m, tea.KeyTab)
		}
		typeText(m, "x") // a bad value on the last field: an error line shows
		check(string(p) + " with error")
		press(m, tea.KeyPgDown)
	}
}

func TestSetupPickNeedsOnePlatform(t *testing.T) {
	m, _ := newModel(t, nil)
	press(m, tea.KeyEnter)
	if m.Capturing() || !strings.Contains(m.View(), "Choose at least one platform") {
		t.Fatalf("went on with no platform:\n%s", m.View())
	}
	press(m, tea.KeyDown)
	press(m, tea.KeyDown)
	press(m, tea.KeySpace)
	press(m, tea.KeyEnter)
	if !strings.Contains(m.View(), "[Igloo]") || !strings.Contains(m.View(), "Control Panel > API/Apps") {
		t.Fatalf("Igloo form:\n%s", m.View())
	}
	press(m, tea.KeyEsc)
	if m.Capturing() {
		t.Fatal("esc did not go back to the platform list")
	}
}

func TestExplainClasses(t *testing.T) {
	cases := map[string]error{
		"credentials refused: check the token": &upload.Error{Platform: upload.Netex, Class: upload.ClassAuth, Status: 401},
		"cannot reach the server":              &upload.Error{Platform: upload.Netex, Class: upload.ClassNetwork},
		"the server failed (HTTP 503)":         &upload.Error{Platform: upload.Netex, Class: upload.ClassServer, Status: 503},
		"was not Netex learningCloud's API":    &upload.Error{Platform: upload.Netex, Class: upload.ClassServer, Status: 200, Message: "not JSON"},
		"nothing found at that address":        &upload.Error{Platform: upload.Netex, Class: upload.ClassNotFound, Status: 404},
		"rate limited right now":               &upload.Error{Platform: upload.Netex, Class: upload.ClassThrottled, Status: 429},
	}
	for want, err := range cases {
		if got := Explain(upload.Netex, err); !strings.Contains(got, want) {
			t.Errorf("%v: %q lacks %q", err, got, want)
		}
	}
	got := Explain(upload.Zoom, &upload.Error{Platform: upload.Zoom, Class: upload.ClassAuth, Message: "bad\x1b[31m client"})
	if strings.Contains(got, "\x1b") {
		t.Fatalf("escape not cleaned: %q", got)
	}
}

func TestSetupPickTakesRunsOfKeys(t *testing.T) {
	m, _ := newModel(t, nil)
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	if !m.chosen[upload.Igloo] || m.chosen[upload.Zoom] {
		t.Fatalf("jj then x chose %v", m.chosen)
	}
}

// fakeClient answers Check and Resolve as told.
type fakeClient struct {
	upload.Client
	check, resolve error
}

func (f fakeClient) Check(context.Context) error { return f.check }
func (f fakeClient) Resolve(context.Context, string) (upload.Target, error) {
	return upload.Target{}, f.resolve
}

func TestTestConnectionLooksUpAPerson(t *testing.T) {
	ctx := context.Background()
	notFound := &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Status: 404}
	if err := TestConnection(ctx, fakeClient{resolve: notFound}); err != nil {
		t.Fatalf("not found is a working lookup: %v", err)
	}
	denied := &upload.Error{Platform: upload.Zoom, Class: upload.ClassAuth, Status: 403, Message: "scope user:read:admin missing"}
	err := TestConnection(ctx, fakeClient{resolve: denied})
	got := Explain(upload.Zoom, err)
	if !strings.Contains(got, "Zoom: signed in, but looking up a person failed: credentials refused") || !strings.Contains(got, "scope") {
		t.Fatalf("lookup failure explained as %q", got)
	}
	if err := TestConnection(ctx, fakeClient{check: denied}); upload.ClassOf(err) != upload.ClassAuth {
		t.Fatalf("check failure: %v", err)
	}
}

// TestSetupTestsEveryPlatform: re-running setup on a sandbox config, every
// platform's test connection succeeds.
func TestSetupTestsEveryPlatform(t *testing.T) {
	c := startSandbox(t)
	m, _ := newModel(t, config.FromValues(c))
	press(m, tea.KeyEnter)
	for i, p := range m.order {
		if !config.Supported(p) {
			t.Logf("%s: no client in this build", p)
		} else {
			run(t, m, press(m, tea.KeyCtrlT))
			if v := m.View(); !strings.Contains(v, p.Title()+": connected") {
				t.Fatalf("%s:\n%s", p, v)
			}
		}
		if i < len(m.order)-1 {
			press(m, tea.KeyPgDown)
		}
	}
	if len(m.order) != len(upload.Platforms()) || len(m.order) != 7 {
		t.Fatalf("pages %v", m.order)
	}
}

// TestSetupEnterOpensPlatformUnderCursor: enter on a chosen platform opens
// that platform's form, not the first chosen one.
func TestSetupEnterOpensPlatformUnderCursor(t *testing.T) {
	c := startSandbox(t)
	m, _ := newModel(t, config.FromValues(c))
	press(m, tea.KeyDown) // Rhombus
	if !strings.Contains(m.View(), "> [x] Rhombus") {
		t.Fatalf("cursor not on Rhombus:\n%s", m.View())
	}
	press(m, tea.KeyEnter)
	if got := m.order[m.page]; got != upload.Rhombus {
		t.Fatalf("enter on Rhombus opened %s:\n%s", got, m.View())
	}
	if !strings.Contains(m.View(), "[Rhombus]") {
		t.Fatalf("Rhombus tab not current:\n%s", m.View())
	}
}

// TestSetupAsksBeforeSavingAfterFailedTest: ctrl+s right after a refused
// secret asks; n keeps the file unwritten, y writes it.
func TestSetupAsksBeforeSavingAfterFailedTest(t *testing.T) {
	c := startSandbox(t)
	m, path := newModel(t, nil)
	m.now = func() time.Time { return time.Date(2026, 12, 3, 5, 31, 0, 0, time.Local) }
	fillZoom(t, m, c, "wrong-secret")
	run(t, m, press(m, tea.KeyCtrlT))
	if !strings.Contains(m.View(), "credentials refused") {
		t.Fatalf("test did not fail:\n%s", m.View())
	}
	if cmd := press(m, tea.KeyCtrlS); cmd != nil {
		t.Fatal("saved without asking")
	}
	if v := m.View(); !strings.Contains(v, "The last test failed (Zoom). Save anyway?") {
		t.Fatalf("no question:\n%s", v)
	}
	typeText(m, "n")
	if _, err := os.Stat(path); err == nil || m.confirmSave {
		t.Fatal("n saved or kept asking")
	}
	if strings.Contains(m.View(), "wrong-secretn") {
		t.Fatal("n typed into the field")
	}
	press(m, tea.KeyEsc) // back to the list: the failed test shows there
	if v := m.View(); !strings.Contains(v, "[x] Zoom                 ✗ 05:31") {
		t.Fatalf("list lacks the failed test:\n%s", v)
	}
	press(m, tea.KeyCtrlS)
	if _, ok := run(t, m, m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})).(DoneMsg); !ok || m.confirmSave {
		t.Fatal("y did not save")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// TestSetupListShowsLastTest: a passing test shows ✓ and its time on the
// platform list; untested platforms show nothing.
func TestSetupListShowsLastTest(t *testing.T) {
	c := startSandbox(t)
	m, _ := newModel(t, nil)
	m.now = func() time.Time { return time.Date(2026, 12, 3, 6, 2, 0, 0, time.Local) }
	fillZoom(t, m, c, c["zoom"]["client_secret"])
	run(t, m, press(m, tea.KeyCtrlT))
	press(m, tea.KeyEsc)
	v := m.View()
	if !strings.Contains(v, "[x] Zoom                 ✓ 06:02") || strings.Contains(v, "Rhombus              ✓") {
		t.Fatalf("list:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("line %d wide: %q", w, l)
		}
	}
}

// TestSetupChoiceIsSelector: a choice field takes ←/→ and a first letter,
// never free text; a typed space is refused.
func TestSetupChoiceIsSelector(t *testing.T) {
	m, _ := newModel(t, nil)
	for upload.Platforms()[m.cursor] != upload.Interact {
		press(m, tea.KeyDown)
	}
	press(m, tea.KeySpace)
	press(m, tea.KeyEnter)
	form := m.forms[upload.Interact]
	idx := -1
	for i, f := range form {
		if f.field.Key == "person_route" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("no person_route field")
	}
	m.focusField(idx)
	in := form[idx]
	press(m, tea.KeySpace)
	typeText(m, "zz")
	if in.in.Value() != "" || in.err != "" || !strings.Contains(m.View(), "is a choice") {
		t.Fatalf("free text taken: %q %q\n%s", in.in.Value(), in.err, m.View())
	}
	press(m, tea.KeyRight)
	first := in.in.Value()
	if first == "" || !contains(in.field.Choices, first) {
		t.Fatalf("→ gave %q", first)
	}
	press(m, tea.KeyRight)
	if in.in.Value() == first {
		t.Fatal("→ did not move")
	}
	typeText(m, "u")
	if in.in.Value() != "umiid" {
		typeText(m, "u") // username, then umiid
	}
	if in.in.Value() != "umiid" || in.err != "" {
		t.Fatalf("u gave %q", in.in.Value())
	}
	if !strings.Contains(m.View(), "← umiid →") {
		t.Fatalf("selector not drawn:\n%s", m.View())
	}
	if v, _ := m.Config().Get(string(upload.Interact), "person_route"), 0; v != "umiid" {
		t.Fatalf("config has %q", v)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
