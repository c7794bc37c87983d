package panes

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/google"
	"headshot/upload/m365"
)

var update = flag.Bool("update", false, "rewrite golden files")

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// fakeEngine records what the panes asked of it.
type fakeEngine struct {
	stats    []engine.PlatformStats
	paused   []upload.Platform
	resumed  []upload.Platform
	canceled []upload.Platform
	slowed   map[upload.Platform]float64
}

func (f *fakeEngine) Snapshot() []engine.PlatformStats {
	return append([]engine.PlatformStats(nil), f.stats...)
}
func (f *fakeEngine) Pause(p upload.Platform, _ string) {
	f.paused = append(f.paused, p)
	for i := range f.stats {
		if p == "" || f.stats[i].Platform == p {
			f.stats[i].Paused = true
		}
	}
}
func (f *fakeEngine) Resume(p upload.Platform) {
	f.resumed = append(f.resumed, p)
	for i := range f.stats {
		if p == "" || f.stats[i].Platform == p {
			f.stats[i].Paused = false
		}
	}
}
func (f *fakeEngine) Cancel(p upload.Platform) { f.canceled = append(f.canceled, p) }
func (f *fakeEngine) SlowDown(p upload.Platform, factor float64) {
	if f.slowed == nil {
		f.slowed = map[upload.Platform]float64{}
	}
	f.slowed[p] = factor
}

func busyEngine() *fakeEngine {
	sec := func(n int) upload.Rate { return upload.Rate{N: n, Per: time.Second} }
	return &fakeEngine{stats: []engine.PlatformStats{
		{Platform: upload.Zoom, Limit: sec(20), Total: 40, Done: 22, Failed: 1, InFlight: 3, Queued: 14, Rate: 19.4, Pace: 1, Reencoded: 1, TooLarge: 1, ReencodedSent: 1,
			Recent: []engine.Event{{Kind: engine.EventFailed, Person: "omar.haddad@example.com",
				Err: &upload.Error{Class: upload.ClassRejected, Message: "Invalid picture \x1b[31mexplicit\x1b[0m content"}}}},
		{Platform: upload.Rhombus, Limit: sec(10), Total: 40, Done: 40, Rate: 0, Pace: 1},
		{Platform: upload.Igloo, Limit: sec(5), Total: 40, Done: 12, InFlight: 2, Queued: 26, Rate: 4.9, Pace: 1},
		{Platform: upload.Interact, Limit: upload.Rate{N: 6, Per: time.Minute}, Total: 40, Done: 6, Queued: 34,
			Rate: 0.1, Pace: 0.8, Throttles: 1, ThrottleStatus: 429, ThrottledUntil: t0.Add(42 * time.Second)},
		{Platform: upload.Netex, Limit: sec(5), Total: 40, Done: 8, Queued: 32, Paused: true, PauseReason: "auth: token refused"},
	}}
}

func newModel(t *testing.T, eng *fakeEngine, w, h int, now *time.Time) *Model {
	t.Helper()
	c := common.NewCommon(common.ColorPlain)
	ps := make([]upload.Platform, 0, len(eng.stats))
	for _, s := range eng.stats {
		ps = append(ps, s.Platform)
	}
	m := New(c, ps, eng, WithClock(func() time.Time { return *now }))
	m.SetSize(w, h)
	return m
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestEveryPaneFitsAt80x24And120x40(t *testing.T) {
	now := t0
	for _, size := range [][2]int{{80, 22}, {120, 38}} {
		eng := busyEngine()
		m := newModel(t, eng, size[0], size[1], &now)
		view := m.View()
		lines := strings.Split(view, "\n")
		if len(lines) > size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
			}
		}
		for _, s := range eng.stats {
			if !strings.Contains(view, s.Platform.Title()) {
				t.Errorf("%dx%d: no pane for %s", size[0], size[1], s.Platform)
			}
		}
		if strings.Contains(view, "\x1b") {
			t.Errorf("escape sequence reached the view")
		}
		golden(t, "panes_"+itoa(size[0])+"x"+itoa(size[1]+2), view)
	}
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + func() string { return fmtInt(n) }())
}

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestThrottleCountdownFollowsTheClock(t *testing.T) {
	now := t0
	m := newModel(t, busyEngine(), 120, 38, &now)
	if v := m.View(); !strings.Contains(v, "resumes in 0:42") {
		t.Fatalf("want 0:42 countdown:\n%s", v)
	}
	now = t0.Add(30*time.Second + 500*time.Millisecond)
	if v := m.View(); !strings.Contains(v, "resumes in 0:12") {
		t.Fatalf("want 0:12 countdown after 30.5 s:\n%s", v)
	}
	now = t0.Add(43 * time.Second)
	if v := m.View(); strings.Contains(v, "resumes in") {
		t.Fatalf("countdown still shown after it ended:\n%s", v)
	}
}

func TestPauseResumeCancelAndSlowDownActOnTheSelectedPane(t *testing.T) {
	now := t0
	eng := busyEngine()
	m := newModel(t, eng, 80, 22, &now)
	key := func(s string) tea.KeyMsg {
		switch s {
		case "tab":
			return tea.KeyMsg{Type: tea.KeyTab}
		}
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
	}
	m.Update(key("tab")) // Rhombus
	m.Update(key("tab")) // Igloo
	if m.Selected() != upload.Igloo {
		t.Fatalf("selected %s", m.Selected())
	}
	m.Update(key("p"))
	if len(eng.paused) != 1 || eng.paused[0] != upload.Igloo {
		t.Fatalf("pause: %v", eng.paused)
	}
	m.Update(key("p"))
	if len(eng.resumed) != 1 || eng.resumed[0] != upload.Igloo {
		t.Fatalf("resume: %v", eng.resumed)
	}
	m.Update(key("-"))
	if eng.slowed[upload.Igloo] != 0.5 {
		t.Fatalf("slow down: %v", eng.slowed)
	}
	m.Update(key("x"))
	if !m.Confirming() || len(eng.canceled) != 0 {
		t.Fatal("cancel must ask first")
	}
	m.Update(key("n"))
	if m.Confirming() || len(eng.canceled) != 0 {
		t.Fatal("declined cancel still canceled")
	}
	m.Update(key("x"))
	m.Update(key("y"))
	if len(eng.canceled) != 1 || eng.canceled[0] != upload.Igloo {
		t.Fatalf("cancel: %v", eng.canceled)
	}
	// P pauses the platforms with photos left, one by one: never
	// Rhombus, which has finished (40/40), and it says so.
	before := len(eng.paused)
	st := m.Update(key("P"))
	got := eng.paused[before:]
	for _, p := range got {
		if p == "" || p == upload.Rhombus {
			t.Fatalf("P paused %q (all: %v)", p, got)
		}
	}
	if len(got) != 3 { // Zoom, Igloo, Interact; Netex was paused already
		t.Fatalf("P paused %v", got)
	}
	if msg, ok := st().(common.StatusMsg); !ok || !strings.Contains(msg.Text, "Rhombus finished: not paused") {
		t.Fatalf("P status %#v", msg)
	}
	// P again resumes every paused platform (Netex too), still not Rhombus.
	before = len(eng.resumed)
	m.Update(key("P"))
	if got := eng.resumed[before:]; len(got) != 4 || strings.Contains(fmt.Sprint(got), string(upload.Rhombus)) {
		t.Fatalf("P again resumed %v", got)
	}
	// p on the finished pane: nothing paused, said so.
	for m.Selected() != upload.Rhombus {
		m.Update(key("tab"))
	}
	before = len(eng.paused)
	if msg, ok := m.Update(key("p"))().(common.StatusMsg); !ok || !strings.Contains(msg.Text, "finished, nothing to pause") || len(eng.paused) != before {
		t.Fatalf("p on a finished platform: %#v, paused %v", msg, eng.paused[before:])
	}
}

// The footer keeps one order in every state: keys that cannot act are
// left out, the rest never move (p/x on a finished pane, P when all is
// finished).
func TestFooterKeepsItsOrder(t *testing.T) {
	now := t0
	eng := busyEngine()
	m := newModel(t, eng, 80, 22, &now)
	order := []string{"tab", "p", "f", "x", "P", "esc"}
	check := func(state string, want ...string) {
		t.Helper()
		var got []string
		for _, b := range m.ShortHelp() {
			got = append(got, b.Help().Key)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("%s: footer %v, want %v", state, got, want)
		}
		// Whatever is shown is in the one order.
		last := -1
		for _, k := range got {
			i := strings.Index(strings.Join(order, " ")+" ", k+" ")
			if i < last {
				t.Fatalf("%s: %v out of order", state, got)
			}
			last = i
		}
	}
	check("Zoom sending", "tab", "p", "f", "x", "P", "esc")
	m.Update(tea.KeyMsg{Type: tea.KeyTab}) // Rhombus: finished
	check("Rhombus finished", "tab", "f", "P", "esc")
	for i := range eng.stats {
		eng.stats[i].Queued, eng.stats[i].InFlight, eng.stats[i].Paused = 0, 0, false
	}
	m.refresh()
	check("all finished", "tab", "f", "esc")
}

func TestTickRefreshesAndStaleTicksAreIgnored(t *testing.T) {
	now := t0
	eng := busyEngine()
	m := newModel(t, eng, 80, 22, &now)
	if cmd := m.Init(); cmd == nil {
		t.Fatal("no tick loop with an engine attached")
	}
	eng.stats[0].Done = 39
	if cmd := m.Update(m.poll.Stale()); cmd != nil {
		t.Fatal("stale tick re-armed")
	}
	if strings.Contains(m.View(), "39/40") {
		t.Fatal("stale tick refreshed the view")
	}
	if cmd := m.Update(m.poll.Current()); cmd == nil {
		t.Fatal("tick not re-armed")
	}
	if !strings.Contains(m.View(), "39/40") {
		t.Fatalf("tick did not refresh:\n%s", m.View())
	}
}

func TestWithoutEngineSaysHowToStart(t *testing.T) {
	c := common.NewCommon(common.ColorPlain)
	m := New(c, []upload.Platform{upload.Zoom, upload.Netex}, nil)
	m.SetSize(80, 22)
	v := m.View()
	if !strings.Contains(v, "press u") || !strings.Contains(v, "Zoom") || !strings.Contains(v, "Netex") {
		t.Fatalf("idle view:\n%s", v)
	}
	if m.Init() != nil {
		t.Fatal("ticking without an engine")
	}
}

func TestRateVsLimitAndCountdown(t *testing.T) {
	cases := []struct {
		rate  float64
		limit upload.Rate
		want  string
	}{
		{19.4, upload.Rate{N: 20, Per: time.Second}, "19.4/20 per s"},
		{0.1, upload.Rate{N: 6, Per: time.Minute}, "6/6 per min"},
		{0.05, upload.Rate{N: 6, Per: time.Minute}, "3/6 per min"},
	}
	for _, c := range cases {
		if got := RateVsLimit(c.rate, c.limit); got != c.want {
			t.Errorf("RateVsLimit(%v, %v) = %q want %q", c.rate, c.limit, got, c.want)
		}
	}
	if got := Countdown(t0, t0.Add(61*time.Second+time.Millisecond)); got != "1:02" {
		t.Errorf("countdown rounds up: %q", got)
	}
	if got := Countdown(t0, t0.Add(-time.Second)); got != "" {
		t.Errorf("past countdown: %q", got)
	}
}

// Platform-wide events have no person: no stray " :" and no repeated
// "throttled throttled".
func TestEventLineReadsWithoutAPerson(t *testing.T) {
	cases := []struct {
		ev   engine.Event
		want string
	}{
		{engine.Event{Kind: engine.EventDone, Message: "11 sent, 1 failed"}, "done: 11 sent, 1 failed"},
		{engine.Event{Kind: engine.EventThrottled, Err: &upload.Error{Class: upload.ClassThrottled, Message: "More than 6 requests per minute"}},
			"throttled: More than 6 requests per minute"},
		{engine.Event{Kind: engine.EventResumed}, "resumed"},
		{engine.Event{Kind: engine.EventFailed, Person: "omar\x1b[31m@example.com", Err: &upload.Error{Class: upload.ClassRejected, Message: "explicit"}},
			"failed " + common.Sanitize("omar\x1b[31m@example.com") + ": rejected explicit"},
		{engine.Event{Kind: engine.EventUploaded, Person: "jane.doe@example.com", Message: "id 42"}, "uploaded jane.doe@example.com: id 42"},
	}
	for _, c := range cases {
		got := eventLine(c.ev)
		if strings.ContainsRune(got, '\x1b') {
			t.Errorf("escape reached the screen: %q", got)
		}
		if got != c.want {
			t.Errorf("eventLine(%v) = %q, want %q", c.ev.Kind, got, c.want)
		}
	}
}

// A platform paused for refused credentials shows the whole reason,
// wrapped over the pane's free lines, not cut once on the rate line and
// again in the latest event.
func TestPauseReasonWrapsInsteadOfRepeating(t *testing.T) {
	now := t0
	eng := busyEngine()
	reason := "credentials refused: zoom: HTTP 401, code invalid_client: token refused: check the client id and secret"
	eng.stats[0] = engine.PlatformStats{Platform: upload.Zoom, Limit: upload.Rate{N: 20, Per: time.Second}, Total: 12, Queued: 12,
		Paused: true, PauseReason: reason,
		Recent: []engine.Event{{Kind: engine.EventPaused, Message: reason}}}
	m := newModel(t, eng, 120, 40, &now)
	v := m.View()
	if n := strings.Count(v, "paused: credentials"); n != 1 {
		t.Fatalf("reason shown %d times:\n%s", n, v)
	}
	for _, w := range []string{"invalid_client", "client id and", "secret"} {
		if !strings.Contains(v, w) {
			t.Fatalf("reason cut before %q:\n%s", w, v)
		}
	}
}

func TestWrapWords(t *testing.T) {
	got := common.Wrap("one two three four five six", 9, 2)
	if len(got) != 2 || got[0] != "one two" || !strings.HasSuffix(got[1], "…") || lipgloss.Width(got[1]) > 9 {
		t.Fatalf("wrapWords: %q", got)
	}
	if got := common.Wrap("short", 9, 2); len(got) != 1 || got[0] != "short" {
		t.Fatalf("wrapWords short: %q", got)
	}
	if got := common.Wrap("averyveryverylongword", 8, 2); len(got) != 1 || lipgloss.Width(got[0]) > 8 {
		t.Fatalf("wrapWords long word: %q", got)
	}
}

// Compact at 80x24 (two columns, all five visible); at 120x40 two wide
// columns rather than three narrow ones, since every pane still gets room
// for its recent events; very wide and tall, two columns of wide panes.
func TestLayoutPrefersWidePanesWhenTallEnough(t *testing.T) {
	cases := []struct {
		w, h       int
		cols, rows int
	}{
		{80, 21, 2, 3},
		{100, 27, 2, 3},
		{120, 37, 2, 3},
		{200, 57, 2, 3},
		{120, 20, 3, 2},
	}
	for _, c := range cases {
		g := layout(5, c.w, c.h)
		if g.cols != c.cols || g.rows != c.rows {
			t.Errorf("layout(5, %d, %d) = %d cols x %d rows, want %d x %d", c.w, c.h, g.cols, g.rows, c.cols, c.rows)
		}
		if g.cols*g.paneW > c.w || g.rows*g.paneH > c.h {
			t.Errorf("layout(5, %d, %d) overflows: %+v", c.w, c.h, g)
		}
	}
}

// Seven platforms at 80x24 take three columns of narrower panes rather
// than four rows of panes too short for their rate line; with room to
// spare the layout is unchanged.
func TestLayoutSevenPlatforms(t *testing.T) {
	cases := []struct {
		w, h       int
		cols, rows int
	}{
		{80, 21, 3, 3},
		{80, 22, 3, 3},
		{120, 37, 3, 3},
		{200, 57, 2, 4},
		{60, 21, 2, 4}, // too narrow for three: stubs, but all visible
	}
	for _, c := range cases {
		g := layout(7, c.w, c.h)
		if g.cols != c.cols || g.rows != c.rows {
			t.Errorf("layout(7, %d, %d) = %d cols x %d rows, want %d x %d", c.w, c.h, g.cols, g.rows, c.cols, c.rows)
		}
		if g.cols*g.paneW > c.w || g.rows*g.paneH > c.h {
			t.Errorf("layout(7, %d, %d) overflows: %+v", c.w, c.h, g)
		}
		if c.w == 80 && g.paneH < usefulPaneHeight {
			t.Errorf("layout(7, 80, %d): panes %d high, no room for the rate line", c.h, g.paneH)
		}
	}
}

// The counts use the browser legend's glyphs and say "skipped" in words.
func TestCountsUseTheBrowserLegend(t *testing.T) {
	now := t0
	eng := busyEngine()
	eng.stats[1].Skipped = 15
	m := newModel(t, eng, 80, 22, &now)
	v := m.View()
	if !strings.Contains(v, "↑ 3") || strings.Contains(v, "⇡") {
		t.Fatalf("in-flight glyph should be the browser's ↑:\n%s", v)
	}
	if !strings.Contains(v, "skipped 15") {
		t.Fatalf("skipped count not in words:\n%s", v)
	}
}

// Items canceled from the queue stay in the engine's Total only: the pane
// counts them, fills the bar for them and says the platform stopped,
// instead of "done" at 5/12 with seven items unaccounted for.
func TestCanceledItemsAreCounted(t *testing.T) {
	now := t0
	eng := busyEngine()
	eng.stats[3] = engine.PlatformStats{Platform: upload.Interact, Limit: upload.Rate{N: 6, Per: time.Minute}, Total: 12, Done: 5}
	m := newModel(t, eng, 80, 22, &now)
	v := m.View()
	for _, want := range []string{"Interact  stopped, 7 canceled", "canceled 7"} {
		if !strings.Contains(v, want) {
			t.Fatalf("view lacks %q:\n%s", want, v)
		}
	}
	if canceledOf(eng.stats[0]) != 0 {
		t.Fatal("a platform still sending has nothing canceled")
	}
}

// A request cut off by the cancel may have arrived: the pane counts it
// apart from what was dropped unsent.
func TestCutOffItemsAreNotCountedAsCanceled(t *testing.T) {
	now := t0
	eng := busyEngine()
	eng.stats[3] = engine.PlatformStats{Platform: upload.Interact, Limit: upload.Rate{N: 6, Per: time.Minute}, Total: 12, Done: 5, CutOff: 1}
	m := newModel(t, eng, 80, 22, &now)
	v := m.View()
	for _, want := range []string{"canceled 6", "cut off 1"} {
		if !strings.Contains(v, want) {
			t.Fatalf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestPauseTextSaysPausedOnce(t *testing.T) {
	if got := pauseText("paused by you"); got != "paused by you" {
		t.Errorf("%q", got)
	}
	if got := pauseText("auth: token refused"); got != "paused: auth: token refused" {
		t.Errorf("%q", got)
	}
}

// A per-minute platform sending at its limit has no two sends in the
// engine's 10 s window, so its measured rate is 0: the pane shows the
// limit instead of "0/6 per min"; when idle or measured, as before.
func TestPerMinuteRateShowsTheLimitNotAFalseZero(t *testing.T) {
	now := t0
	eng := busyEngine()
	perMin := upload.Rate{N: 6, Per: time.Minute}
	eng.stats[3] = engine.PlatformStats{Platform: upload.Interact, Limit: perMin, Total: 12, Done: 3, InFlight: 1, Queued: 8, Pace: 1}
	m := newModel(t, eng, 80, 22, &now)
	v := m.View()
	if !strings.Contains(v, "limit 6 per min") || strings.Contains(v, "0/6 per min") {
		t.Fatalf("busy per-minute platform:\n%s", v)
	}
	if got := m.rateLine(engine.PlatformStats{Limit: perMin, Total: 3, Done: 3}, 0); got != "0/6 per min" {
		t.Fatalf("idle per-minute platform: %q", got)
	}
}

func TestReencodesAfter413AreCounted(t *testing.T) {
	now := t0
	m := newModel(t, busyEngine(), 80, 22, &now)
	if v := m.View(); !strings.Contains(v, "too large 1, resent 1") {
		t.Fatalf("the Zoom pane does not count its 413 re-encode:\n%s", v)
	}
	// Four answered 413, re-encoded, and all four failed again: the pane
	// must not say they were re-encoded as if that fixed them.
	eng := busyEngine()
	eng.stats[0] = engine.PlatformStats{Platform: upload.Zoom, Limit: upload.Rate{N: 20, Per: time.Second}, Total: 4, Failed: 4,
		Pace: 1, Reencoded: 4, TooLarge: 4}
	m = newModel(t, eng, 120, 38, &now)
	v := m.View()
	if !strings.Contains(v, "too large: 4, re-encoded and sent: 0") || strings.Contains(v, "re-encoded and sent: 4") {
		t.Fatalf("four 413s that all failed:\n%s", v)
	}
	// A narrow pane says the same in fewer words, not cut.
	if got := m.rateLines(eng.stats[0], 22, 2); strings.Join(got, "|") != "0/20 per s|too large 4, resent 0" {
		t.Fatalf("narrow pane: %q", got)
	}
}

// Done is uploaded: the bar, its number and the header count the same
// thing, with skipped and failed apart.
func TestBarNumberAndHeaderCountUploaded(t *testing.T) {
	now := t0
	eng := &fakeEngine{stats: []engine.PlatformStats{
		{Platform: upload.Zoom, Limit: upload.Rate{N: 20, Per: time.Second}, Total: 10, Done: 4, Skipped: 4, Failed: 2, Pace: 1},
		{Platform: upload.Rhombus, Limit: upload.Rate{N: 10, Per: time.Second}, Total: 10, Done: 10, Pace: 1},
	}}
	m := newModel(t, eng, 80, 22, &now)
	v := m.View()
	if !strings.Contains(v, "Uploads: 14/20 done, 2 failed, 4 skipped across 2 platforms") {
		t.Fatalf("header:\n%s", v)
	}
	// 4 of 10 uploaded: the bar is 40% full and reads 4/10 (not 8/10
	// beside a full bar, as when skipped and failed filled it).
	bar := regexp.MustCompile(`([#.]+) (\d+)/(\d+)`).FindAllStringSubmatch(v, -1)
	if len(bar) != 2 {
		t.Fatalf("want two bars:\n%s", v)
	}
	for i, want := range []string{"4", "10"} {
		b := bar[i]
		if b[2] != want || b[3] != "10" {
			t.Fatalf("pane %d reads %s/%s, want %s/10", i, b[2], b[3], want)
		}
		full := strings.Count(b[1], "#")
		if got, exp := float64(full)/float64(len(b[1])), float64(eng.stats[i].Done)/float64(eng.stats[i].Total); got < exp-0.1 || got > exp+0.1 {
			t.Fatalf("pane %d: bar %q is %.2f full for %s/10", i, b[1], got, b[2])
		}
	}
	if !strings.Contains(v, "skipped 4") || !regexp.MustCompile(`✗ ?2`).MatchString(v) {
		t.Fatalf("skipped and failed are not counted apart:\n%s", v)
	}
}

// sevenEngine is busyEngine plus Microsoft 365 sending and Google
// Workspace waiting out a quota refusal.
func sevenEngine() *fakeEngine {
	eng := busyEngine()
	eng.stats = append(eng.stats,
		engine.PlatformStats{Platform: m365.Platform, Limit: upload.Rate{N: 10, Per: time.Second}, Total: 40, Done: 30, InFlight: 4, Queued: 6, Rate: 9.8, Pace: 1},
		engine.PlatformStats{Platform: google.Platform, Limit: upload.Rate{N: 20, Per: time.Second}, Total: 40, Done: 17, Queued: 23,
			Rate: 3, Pace: 0.8, Throttles: 1, ThrottleStatus: 403, ThrottledUntil: t0.Add(5 * time.Second)})
	return eng
}

// All seven panes fit 80x24 and 120x40 (minus the root's two lines), each
// with its name, counts and rate line: Interact's 429 countdown shows at
// 80x24 too.
func TestSevenPanesFit(t *testing.T) {
	now := t0
	for _, size := range [][2]int{{80, 22}, {120, 38}} {
		eng := sevenEngine()
		m := newModel(t, eng, size[0], size[1], &now)
		view := m.View()
		lines := strings.Split(view, "\n")
		if len(lines) > size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
			}
		}
		for _, s := range eng.stats {
			if !strings.Contains(view, s.Platform.Title()) && !strings.Contains(view, s.Platform.ShortTitle()+" ") {
				t.Errorf("%dx%d: no pane for %s", size[0], size[1], s.Platform)
			}
			if !regexp.MustCompile(fmt.Sprintf(`✓ ?%d +✗ ?%d +↑ ?%d +queued %d`, s.Done, s.Failed, s.InFlight, s.Queued)).MatchString(view) {
				t.Errorf("%dx%d: %s's counts are not all shown", size[0], size[1], s.Platform)
			}
		}
		if !strings.Contains(view, "too large 1, resent 1") && !strings.Contains(view, "too large: 1, re-encoded and sent: 1") {
			t.Errorf("%dx%d: Zoom's re-encode count is cut", size[0], size[1])
		}
		if strings.Count(view, "resumes in") != 2 {
			t.Errorf("%dx%d: want both throttled panes' countdowns and every count:\n%s", size[0], size[1], view)
		}
		golden(t, "panes7_"+itoa(size[0])+"x"+itoa(size[1]+2), view)
	}
}

// In a narrow pane a long title and state are said in fewer words, not
// cut: the short name, "throttled" (the countdown is on the rate line
// below), "done ✗N".
func TestNarrowPaneStateInFewerWords(t *testing.T) {
	now := t0
	eng := sevenEngine()
	eng.stats[1].Failed, eng.stats[1].Done = 2, 38 // Rhombus done with failures
	m := newModel(t, eng, 80, 22, &now)
	view := m.View()
	for _, want := range []string{"Rhombus  done ✗2", "Interact  throttled", "Netex  paused", "Google  quota 0:05"} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "fail…") || strings.Contains(view, "throttled 0…") {
		t.Errorf("a state is cut:\n%s", view)
	}
}

// A throttled pane says what happened: Google's 403 quota is "quota",
// Graph's 503 and a 429 are "throttled"; never "429" for all of them.
func TestThrottleSaidByWhatHappened(t *testing.T) {
	now := t0
	for _, c := range []struct {
		status int
		word   string
	}{{403, "quota"}, {503, "throttled"}, {429, "throttled"}, {0, "throttled"}} {
		eng := busyEngine()
		eng.stats[3].ThrottleStatus = c.status
		eng.stats[3].Throttles = 2
		m := newModel(t, eng, 120, 38, &now)
		v := m.View()
		if !strings.Contains(v, "Interact  "+c.word+" 0:42") || !strings.Contains(v, c.word+": resumes in 0:42 (pace 80%)") || strings.Contains(v, "429") {
			t.Fatalf("status %d:\n%s", c.status, v)
		}
		// Once the wait is over the count says the same word.
		now2 := t0.Add(time.Minute)
		m.now = func() time.Time { return now2 }
		if v := m.View(); !strings.Contains(v, c.word+" 2×") {
			t.Fatalf("status %d after the wait:\n%s", c.status, v)
		}
	}
}

// The throttle event keeps its time in a narrow pane: the time comes
// before the server's words ("More than 6 requests per " lost the rest).
func TestThrottleEventKeepsItsTime(t *testing.T) {
	until := time.Date(2026, 11, 27, 10, 0, 42, 0, time.Local)
	ev := engine.Event{Kind: engine.EventThrottled, Until: until,
		Err: &upload.Error{Class: upload.ClassThrottled, Status: 429, Message: "More than 6 requests per minute are not permitted."}}
	line := eventLine(ev)
	if !strings.HasPrefix(line, "throttled till 10:00:42: More than 6") {
		t.Fatalf("event line %q", line)
	}
	if cut := common.Truncate(line, 24); !strings.Contains(cut, "10:00:42") || !strings.HasSuffix(cut, "…") {
		t.Fatalf("cut to a narrow pane: %q", cut)
	}
	ev.Err.Status = 403
	if line := eventLine(ev); !strings.HasPrefix(line, "quota till 10:00:42: ") {
		t.Fatalf("403 quota event %q", line)
	}
	// A narrow pane's rate line keeps the countdown whatever else goes.
	m := newModel(t, busyEngine(), 80, 22, &t0)
	for _, w := range []int{36, 24, 16, 9} {
		if l := m.rateLine(m.stats[3], w); !strings.Contains(l, "0:42") || lipgloss.Width(l) > w {
			t.Fatalf("rate line at %d: %q", w, l)
		}
	}
}

// Partly uploaded photos (a Netex sub-system refused) are counted in the
// pane as the headless summary counts them: among the uploaded, "partly
// N", and the finished pane says "done, N partly".
func TestPartialUploadsShown(t *testing.T) {
	now := t0
	eng := busyEngine()
	eng.stats[4] = engine.PlatformStats{Platform: upload.Netex, Limit: upload.Rate{N: 5, Per: time.Second}, Total: 40, Done: 40, Partial: 3, Pace: 1}
	for _, size := range [][2]int{{80, 22}, {120, 38}} {
		m := newModel(t, eng, size[0], size[1], &now)
		v := m.View()
		if !regexp.MustCompile(`✓ ?40 .*partly 3`).MatchString(v) || !strings.Contains(v, "done, 3 partly") {
			t.Fatalf("%dx%d:\n%s", size[0], size[1], v)
		}
	}
	m := newModel(t, sevenEngine(), 80, 22, &now) // narrow panes
	m.stats[4] = eng.stats[4]
	if v := m.View(); !strings.Contains(v, "partly 3") {
		t.Fatalf("narrow:\n%s", v)
	}
}

// Photos held for review are counted as held, in the pane and the header,
// not as canceled (Total minus the other counts used to call them that).
func TestHeldPhotosAreNotCanceled(t *testing.T) {
	now := t0
	eng := busyEngine()
	eng.stats[1] = engine.PlatformStats{Platform: upload.Rhombus, Limit: upload.Rate{N: 10, Per: time.Second}, Total: 14, Done: 10, Failed: 1, Held: 3, Pace: 1}
	for _, size := range [][2]int{{80, 22}, {120, 38}} {
		m := newModel(t, eng, size[0], size[1], &now)
		v := m.View()
		if strings.Contains(v, "canceled") || !strings.Contains(v, "held 3") || !strings.Contains(v, ", 3 held") {
			t.Fatalf("%dx%d:\n%s", size[0], size[1], v)
		}
		if strings.Contains(v, "stopped") {
			t.Fatalf("%dx%d: a pane with held photos is not stopped:\n%s", size[0], size[1], v)
		}
	}
}

// Too small for a box per platform (seven at 40x10, the root's 40x12):
// a line each, every platform in sight with its state and counts, the
// selected one marked; tab moves the mark.
func TestTinyTerminalListsEveryPlatform(t *testing.T) {
	now := t0
	eng := sevenEngine()
	m := newModel(t, eng, 40, 10, &now)
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > 10 {
		t.Fatalf("%d lines:\n%s", len(lines), v)
	}
	for _, l := range lines {
		if lipgloss.Width(l) > 40 {
			t.Fatalf("line %q wider than 40", l)
		}
	}
	for _, s := range eng.stats {
		named := strings.Contains(v, s.Platform.Title()+" ") || strings.Contains(v, s.Platform.ShortTitle()+" ")
		if !named || !strings.Contains(v, fmt.Sprintf("%d/%d", s.Done, s.Total)) {
			t.Errorf("%s missing:\n%s", s.Platform, v)
		}
	}
	if !strings.Contains(v, "> Zoom") || !strings.Contains(v, "quota 0:05") || !strings.Contains(v, "throttled 0:42") {
		t.Fatalf("selection or state:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	if v := m.View(); !strings.Contains(v, "> Rhombus") {
		t.Fatalf("tab:\n%s", v)
	}
}

// Shorter still, the one-line list scrolls to keep the selection in
// sight: the last platform selected shows, the first scrolled away.
func TestTinyTerminalListScrollsToTheSelection(t *testing.T) {
	now := t0
	eng := sevenEngine()
	m := newModel(t, eng, 40, 5, &now)
	for range len(eng.stats) - 1 {
		m.Update(tea.KeyMsg{Type: tea.KeyTab})
	}
	v := m.View()
	if lines := strings.Split(v, "\n"); len(lines) > 5 {
		t.Fatalf("%d lines:\n%s", len(lines), v)
	}
	if !strings.Contains(v, "> Google") || strings.Contains(v, "Zoom") {
		t.Fatalf("want Google selected in sight and Zoom scrolled away:\n%s", v)
	}
}
