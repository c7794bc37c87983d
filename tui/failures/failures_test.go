package failures

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newModel(t *testing.T, eng *fakeEngine, w, h int, now *time.Time) *Model {
	t.Helper()
	m := New(common.NewCommon(common.ColorPlain), eng, WithClock(func() time.Time { return *now }))
	m.SetSize(w, h)
	return m
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// cursorTo moves the cursor (with j/k) to the row whose id is want.
func cursorTo(t *testing.T, m *Model, want string) {
	t.Helper()
	m.Update(keyMsg("g"))
	for i := 0; i < len(m.rows); i++ {
		if r, ok := m.current(); ok && r.id() == want {
			return
		}
		m.Update(keyMsg("j"))
	}
	t.Fatalf("row %s not reachable with the cursor; rows: %v", want, rowIDs(m))
}

func rowIDs(m *Model) []string {
	var ids []string
	for _, r := range m.rows {
		if r.kind == rowHeader {
			ids = append(ids, "["+groups[r.group].title+"]")
		} else {
			ids = append(ids, r.id())
		}
	}
	return ids
}

func run(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	return cmd()
}

func TestGroupsInClassOrderWithCounts(t *testing.T) {
	now := t0
	m := newModel(t, mixedEngine(), 120, 40, &now)
	want := []string{
		"[400 rejected]", "i:r1", "i:r2",
		"[413 too large]", "i:t1",
		"[429/quota throttled]", "p:3:interact", "i:h1",
		"[401/403 credentials refused]", "i:a1",
		"[404 person not found]", "i:f1",
		"[network / 5xx server errors]", "i:n1", "i:s1",
	}
	if got := rowIDs(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows:\n got %v\nwant %v", got, want)
	}
	view := m.View()
	for _, s := range []string{"400 rejected (2)", "413 too large (1)", "429/quota throttled (2)", "401/403 credentials refused (1)",
		"404 person not found (1)", "network / 5xx server errors (2)", "Failures: 8 uploads failed, 1 platform held up · 6 classes"} {
		if !strings.Contains(view, s) {
			t.Errorf("view lacks %q:\n%s", s, view)
		}
	}
	for _, s := range []string{"timeout, retrying", "interrupted"} {
		if strings.Contains(view, s) {
			t.Errorf("view lists a non-failure (%q):\n%s", s, view)
		}
	}
}

func TestPlatformWordsShownPerClass(t *testing.T) {
	now := t0
	m := newModel(t, mixedEngine(), 120, 40, &now)
	view := m.View()
	for _, s := range []string{
		"HTTP 400, code 300: Invalid picture: explicit content",
		"HTTP 400, code 200: Only admins may change this user's picture",
		"sent 2.4 MB, limit 2 MB",
		"throttled: resumes in 0:42 · pace 80% · waiting automatically",
		"HTTP 403: Forbidden",
		"HTTP 404, code 1001: User does not exist",
		"HTTP 503: Service Unavailable",
		"network: connection reset by peer",
	} {
		if !strings.Contains(view, s) {
			t.Errorf("view lacks %q:\n%s", s, view)
		}
	}
	cursorTo(t, m, "i:a1")
	if v := m.View(); !strings.Contains(v, "headshot setup") || !strings.Contains(v, "headshot doctor") {
		t.Errorf("credentials advice missing:\n%s", v)
	}
}

func TestCursorSkipsHeadersAndStaysOnItsFailure(t *testing.T) {
	now := t0
	eng := mixedEngine()
	m := newModel(t, eng, 120, 40, &now)
	if r, ok := m.current(); !ok || r.id() != "i:r1" {
		t.Fatalf("cursor starts on %v, want first failure", r.id())
	}
	m.Update(keyMsg("j"))
	m.Update(keyMsg("j"))
	if r, _ := m.current(); r.id() != "i:t1" {
		t.Fatalf("down twice: on %s, want i:t1 (header skipped)", r.id())
	}
	m.Update(keyMsg("k"))
	if r, _ := m.current(); r.id() != "i:r2" {
		t.Fatalf("up: on %s, want i:r2", r.id())
	}
	// r1 succeeds elsewhere: the cursor stays on r2 though its row moved.
	eng.items[1].State = journal.StateUploaded
	m.Update(common.UploadEventMsg{Event: engine.Event{Kind: engine.EventUploaded}})
	if r, _ := m.current(); r.id() != "i:r2" {
		t.Fatalf("after refresh: on %s, want i:r2", r.id())
	}
	if strings.Contains(m.View(), "amara.okafor") {
		t.Error("an uploaded item is still listed after an upload event")
	}
}

func TestRetryOneMatchesExactlyThatItem(t *testing.T) {
	now := t0
	eng := mixedEngine()
	m := newModel(t, eng, 120, 40, &now)
	cursorTo(t, m, "i:s1")
	msg := run(m.Update(keyMsg("r")))
	if len(eng.retries) != 1 {
		t.Fatalf("Retry called %d times", len(eng.retries))
	}
	if !reflect.DeepEqual(eng.matched[0], []string{"s1"}) {
		t.Fatalf("retry one matched %v, want [s1]", eng.matched[0])
	}
	if st, ok := msg.(common.StatusMsg); !ok || !strings.Contains(st.Text, "jane.doe@example.com") {
		t.Errorf("status %#v", msg)
	}
	if strings.Contains(m.View(), "Service Unavailable") {
		t.Error("retried item still listed as failed")
	}
}

func TestRetryAllMatchesExactlyTheClassUnderTheCursor(t *testing.T) {
	now := t0
	eng := mixedEngine()
	// Another network failure, and a skipped one that must stay skipped.
	eng.items = append(eng.items,
		failedItem("n2", upload.Zoom, "x@example.com", &upload.Error{Class: upload.ClassServer, Status: 502}),
		failedItem("n3", upload.Rhombus, "y@example.com", &upload.Error{Class: upload.ClassNetwork, Message: "refused"}))
	m := newModel(t, eng, 120, 40, &now)
	cursorTo(t, m, "i:n3")
	m.Update(keyMsg("s"))
	cursorTo(t, m, "i:n1")
	m.Update(keyMsg("R"))
	if len(eng.retries) != 1 {
		t.Fatalf("Retry called %d times", len(eng.retries))
	}
	got := append([]string(nil), eng.matched[0]...)
	sort.Strings(got)
	if want := []string{"n1", "n2", "s1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("retry all matched %v, want %v", got, want)
	}
	// The predicate itself refuses everything else, whatever its state.
	pred := eng.retries[0]
	for _, it := range mixedEngine().items {
		want := it.ID == "n1" || it.ID == "s1"
		if pred(it) != want {
			t.Errorf("predicate(%s %v %v) = %v", it.ID, it.State, it.Err, !want)
		}
	}
	// Rejected class under the cursor: only rejected items.
	eng2 := mixedEngine()
	m2 := newModel(t, eng2, 120, 40, &now)
	m2.Update(keyMsg("R"))
	got = append([]string(nil), eng2.matched[0]...)
	sort.Strings(got)
	if want := []string{"r1", "r2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("retry all rejected matched %v, want %v", got, want)
	}
}

func TestReencodeRetriesOnlyTooLarge(t *testing.T) {
	now := t0
	eng := mixedEngine()
	m := newModel(t, eng, 120, 40, &now)
	cursorTo(t, m, "i:r1")
	if cmd := m.Update(keyMsg("e")); cmd != nil || len(eng.retries) != 0 {
		t.Fatal("e on a rejected photo must do nothing")
	}
	cursorTo(t, m, "i:t1")
	msg := run(m.Update(keyMsg("e")))
	if len(eng.matched) != 1 || !reflect.DeepEqual(eng.matched[0], []string{"t1"}) {
		t.Fatalf("re-encode matched %v, want [t1]", eng.matched)
	}
	if st, ok := msg.(common.StatusMsg); !ok || !strings.Contains(st.Text, "re-encoding") {
		t.Errorf("status %#v", msg)
	}
}

func TestCorrectAndRemapOpenTheCorrectScreen(t *testing.T) {
	now := t0
	m := newModel(t, mixedEngine(), 120, 40, &now)
	cursorTo(t, m, "i:r2")
	want := common.OpenCorrectMsg{Path: "/photos/omar.haddad@example.com.jpg", Person: "omar.haddad@example.com"}
	if got := run(m.Update(keyMsg("c"))); got != want {
		t.Fatalf("c: %#v, want %#v", got, want)
	}
	cursorTo(t, m, "i:f1")
	// m remap opens the person prompt at once, aimed at the platform
	// that did not know the person.
	want = common.OpenCorrectMsg{Path: "/photos/new.starter@example.com.jpg", Person: "new.starter@example.com",
		Remap: true, Platform: upload.Zoom}
	if got := run(m.Update(keyMsg("m"))); got != want {
		t.Fatalf("m: %#v, want %#v", got, want)
	}
	cursorTo(t, m, "i:n1")
	if m.Update(keyMsg("c")) != nil || m.Update(keyMsg("m")) != nil {
		t.Fatal("c/m on a network failure must do nothing")
	}
}

func TestSkipHidesAndCounts(t *testing.T) {
	now := t0
	eng := mixedEngine()
	m := newModel(t, eng, 120, 40, &now)
	cursorTo(t, m, "i:r1")
	m.Update(keyMsg("s"))
	if m.Skipped() != 1 || m.Failures() != 7 {
		t.Fatalf("skipped %d failures %d", m.Skipped(), m.Failures())
	}
	v := m.View()
	if strings.Contains(v, "amara.okafor") || !strings.Contains(v, "400 rejected (1)") || !strings.Contains(v, "1 skipped") {
		t.Fatalf("skip not shown:\n%s", v)
	}
	if len(eng.retries) != 0 {
		t.Fatal("skip must not touch the engine")
	}
	// A refresh keeps it hidden.
	m.Update(common.UploadEventMsg{})
	if strings.Contains(m.View(), "amara.okafor") {
		t.Fatal("skipped item came back after refresh")
	}
}

func TestThrottleCountdownFollowsTheClock(t *testing.T) {
	now := t0
	eng := mixedEngine()
	m := newModel(t, eng, 120, 40, &now)
	cmd := m.Init()
	if cmd == nil {
		t.Fatal("no tick with an engine")
	}
	if v := m.View(); !strings.Contains(v, "resumes in 0:42") {
		t.Fatalf("want 0:42:\n%s", v)
	}
	now = t0.Add(10*time.Second + 300*time.Millisecond)
	m.Update(m.poll.Current())
	if v := m.View(); !strings.Contains(v, "resumes in 0:32") {
		t.Fatalf("want 0:32 after 10.3s:\n%s", v)
	}
	// A stale tick (old id) changes nothing and does not re-arm.
	if m.Update(m.poll.Stale()) != nil {
		t.Fatal("stale tick re-armed")
	}
	now = t0.Add(43 * time.Second)
	m.Update(m.poll.Current())
	v := m.View()
	if strings.Contains(v, "resumes in") || strings.Contains(v, "p:3:interact") {
		t.Fatalf("throttle over but still counting:\n%s", v)
	}
	if !strings.Contains(v, "429/quota throttled (1)") {
		t.Fatalf("the failed 429 item should remain:\n%s", v)
	}
}

func TestSlowDownAndPauseActOnThePlatform(t *testing.T) {
	now := t0
	eng := mixedEngine()
	m := newModel(t, eng, 120, 40, &now)
	cursorTo(t, m, "p:3:interact")
	m.Update(keyMsg("-"))
	if eng.slowed[upload.Interact] != SlowDownFactor || len(eng.slowed) != 1 {
		t.Fatalf("slowed %v", eng.slowed)
	}
	m.Update(keyMsg("p"))
	if !reflect.DeepEqual(eng.paused, []upload.Platform{upload.Interact}) {
		t.Fatalf("paused %v", eng.paused)
	}
	// Paused from here, the row stays after the throttle ends, to resume it.
	now = t0.Add(time.Minute)
	m.Update(m.poll.Current())
	if v := m.View(); !strings.Contains(v, "paused (p to resume)") {
		t.Fatalf("paused platform not shown:\n%s", v)
	}
	cursorTo(t, m, "p:3:interact")
	m.Update(keyMsg("p"))
	if !reflect.DeepEqual(eng.resumed, []upload.Platform{upload.Interact}) {
		t.Fatalf("resumed %v", eng.resumed)
	}
	if len(eng.retries) != 0 {
		t.Fatal("pause/slow down must not retry")
	}
	// On the failed 429 item the platform keys act on its platform too.
	cursorTo(t, m, "i:h1")
	m.Update(keyMsg("-"))
	if eng.slowed[upload.Interact] != SlowDownFactor {
		t.Fatal("slow down from the item")
	}
	// Slow down is meaningless elsewhere.
	cursorTo(t, m, "i:n1")
	m.Update(keyMsg("-"))
	if len(eng.slowed) != 1 {
		t.Fatalf("slowed %v", eng.slowed)
	}
}

func TestCredentialsPausedPlatformIsListedAndResumed(t *testing.T) {
	now := t0
	eng := &fakeEngine{
		items: []engine.Item{{ID: "q1", Platform: upload.Netex, Person: "jane.doe@example.com", State: journal.StateQueued,
			Err: &upload.Error{Platform: upload.Netex, Class: upload.ClassAuth, Status: 401, Message: "token refused"}}},
		stats: []engine.PlatformStats{{Platform: upload.Netex, Paused: true, PauseReason: "credentials refused: netex: auth"}},
	}
	m := newModel(t, eng, 80, 24, &now)
	v := m.View()
	for _, s := range []string{"401/403 credentials refused (1)", "Netex", "HTTP 401: token refused", "headshot setup"} {
		if !strings.Contains(v, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
	m.Update(keyMsg("r"))
	if !reflect.DeepEqual(eng.resumed, []upload.Platform{upload.Netex}) {
		t.Fatalf("resumed %v", eng.resumed)
	}
}

func TestEveryServerStringIsSanitized(t *testing.T) {
	now := t0
	evil := "Invalid\x1b[31m picture\x1b]0;pwned\x07\nline two\r\x1b[2J"
	eng := &fakeEngine{items: []engine.Item{
		failedItem("e1", upload.Zoom, "evil\x1b[1mperson\n", &upload.Error{Class: upload.ClassRejected, Status: 400, Code: "3\x1b[0m00", Message: evil}),
	}}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := newModel(t, eng, size[0], size[1], &now)
		v := m.View()
		if strings.ContainsAny(v, "\x1b\x07\r") {
			t.Fatalf("control characters reached the view: %q", v)
		}
		if n := strings.Count(v, "\n") + 1; n > size[1] {
			t.Fatalf("%d lines", n)
		}
		if !strings.Contains(v, "Invalid?[31m picture") || !strings.Contains(v, "line two") {
			t.Fatalf("message lost:\n%s", v)
		}
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "line two") {
				t.Fatalf("server newline split a row:\n%s", v)
			}
		}
		msg := run(m.Update(keyMsg("s")))
		if st, ok := msg.(common.StatusMsg); !ok || strings.ContainsAny(st.Text, "\x1b\n") {
			t.Fatalf("status not sanitized: %#v", msg)
		}
	}
}

func TestEmptyState(t *testing.T) {
	now := t0
	m := newModel(t, &fakeEngine{}, 80, 24, &now)
	if v := m.View(); !strings.Contains(v, "No failures") {
		t.Fatalf("empty:\n%s", v)
	}
	if m.Update(keyMsg("r")) != nil || m.Update(keyMsg("R")) != nil {
		t.Fatal("keys on an empty list must do nothing")
	}
	var nilEng *Model = New(common.NewCommon(common.ColorPlain), nil)
	nilEng.SetSize(80, 24)
	if v := nilEng.View(); !strings.Contains(v, "No failures") || nilEng.Init() != nil {
		t.Fatalf("no engine:\n%s", v)
	}
	if cmd := nilEng.Attach(mixedEngine()); cmd == nil || !strings.Contains(nilEng.View(), "400 rejected") {
		t.Fatal("attach should start the tick and list failures")
	}
}

// manyEngine has more failures than fit on a screen.
func manyEngine() *fakeEngine {
	eng := mixedEngine()
	for i := 0; i < 40; i++ {
		eng.items = append(eng.items, failedItem(fmt.Sprintf("x%02d", i), upload.Rhombus,
			fmt.Sprintf("person.with.a.rather.long.name.%02d@example.com", i),
			&upload.Error{Class: upload.ClassServer, Status: 500, Message: strings.Repeat("internal error ", 8)}))
	}
	return eng
}

func TestFitsAt80x24And120x40(t *testing.T) {
	now := t0
	for _, mode := range []common.ColorMode{common.ColorPlain, common.ColorNone, common.Color256} {
		for _, size := range [][2]int{{80, 24}, {120, 40}, {80, 22}, {40, 10}} {
			m := New(common.NewCommon(mode), manyEngine(), WithClock(func() time.Time { return now }))
			m.SetSize(size[0], size[1])
			for step := 0; step < 60; step++ {
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) > size[1] {
					t.Fatalf("%v %dx%d step %d: %d lines", mode, size[0], size[1], step, len(lines))
				}
				for i, l := range lines {
					if w := lipgloss.Width(l); w > size[0] {
						t.Fatalf("%v %dx%d step %d: line %d is %d wide: %q", mode, size[0], size[1], step, i, w, l)
					}
				}
				if r, ok := m.current(); ok && r.kind == rowItem && !strings.Contains(v, "> ") {
					t.Fatalf("%v %dx%d step %d: cursor row not visible:\n%s", mode, size[0], size[1], step, v)
				}
				m.Update(keyMsg("j"))
			}
		}
	}
}

func TestNoColorTellsClassInWords(t *testing.T) {
	now := t0
	m := New(common.NewCommon(common.ColorNone), mixedEngine(), WithClock(func() time.Time { return now }))
	m.SetSize(120, 40)
	v := m.View()
	if strings.Contains(v, "38;") || strings.Contains(v, "48;") {
		t.Fatalf("colour codes under NO_COLOR: %q", v)
	}
	for _, s := range []string{"rejected", "too large", "throttled", "credentials", "not found", "server"} {
		if !strings.Contains(v, s) {
			t.Errorf("class %q not in words", s)
		}
	}
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

func TestGolden(t *testing.T) {
	now := t0
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := newModel(t, mixedEngine(), size[0], size[1], &now)
		golden(t, fmt.Sprintf("failures_%dx%d", size[0], size[1]), m.View())
		cursorTo(t, m, "p:3:interact")
		golden(t, fmt.Sprintf("failures_throttled_%dx%d", size[0], size[1]), m.View())
	}
	m := newModel(t, &fakeEngine{}, 80, 24, &now)
	golden(t, "failures_empty_80x24", m.View())
}

func TestWordsWithoutStatusAreNotRepeated(t *testing.T) {
	now := t0
	eng := &fakeEngine{items: []engine.Item{
		failedItem("f1", upload.Igloo, "new.starter@example.com", &upload.Error{Class: upload.ClassNotFound, Message: "no Igloo member with that email"}),
		failedItem("n1", upload.Netex, "jane.doe@example.com", &upload.Error{Class: upload.ClassNetwork, Message: "connection refused"}),
		failedItem("s1", upload.Rhombus, "mei.tanaka@example.com", &upload.Error{Class: upload.ClassServer}),
		failedItem("l1", upload.Zoom, "omar.haddad@example.com", &upload.Error{Class: upload.ClassRejected, Local: true, Message: "GIF is not accepted"}),
	}}
	v := newModel(t, eng, 120, 40, &now).View()
	for _, s := range []string{"new.starter@example.com  no Igloo member with that email", "network: connection refused",
		"mei.tanaka@example.com   server", "refused before sending: GIF is not accepted"} {
		if !strings.Contains(v, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "not found: ") {
		t.Errorf("class repeated before the platform's words:\n%s", v)
	}
}

// A detail line too wide for the terminal ends in … so it never reads as
// whole (the attempt count was silently cut to "· 1" at 80 columns).
func TestEllipsisMarksACutLine(t *testing.T) {
	if got := common.Truncate("Netex learningCloud · nobody@example.com · 1 attempt", 30); got != "Netex learningCloud · nobody@…" {
		t.Fatalf("ellipsis: %q", got)
	}
	if got := common.Truncate("short", 30); got != "short" {
		t.Fatalf("short line changed: %q", got)
	}
}

// A long credentials message with its advice ("paused; r resumes Zoom")
// gets a third line when the screen has room.
func TestWordsWrapToThreeLinesWhenTall(t *testing.T) {
	long := strings.Repeat("credentials refused check the client id and secret ", 4) + "END"
	for _, c := range []struct {
		h, lines int
	}{{24, 3}, {12, 2}} {
		m := &Model{}
		m.Height = c.h
		got := common.Wrap(long, 80, m.wordLines())
		if len(got) != c.lines {
			t.Errorf("height %d: %d lines, want %d: %q", c.h, len(got), c.lines, got)
		}
	}
}

// A photo the engine could not read or prepare is not "400 rejected" by a
// platform: it has its own group, the reason shows without the engine's
// prefix, and c opens it in Correct to pick another file.
func TestUnreadablePhotoIsItsOwnGroup(t *testing.T) {
	now := t0
	eng := &fakeEngine{items: []engine.Item{
		failedItem("u1", upload.Zoom, "evil", &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Local: true,
			Code: upload.CodeUnreadable, Message: "cannot prepare the photo: evil.jpg: empty file: the file has no bytes"}),
		failedItem("r1", upload.Zoom, "amara", &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Status: 400, Code: "300",
			Message: "explicit content"}),
	}}
	m := newModel(t, eng, 80, 24, &now)
	if got, want := rowIDs(m), []string{"[photo unreadable]", "i:u1", "[400 rejected]", "i:r1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	v := m.View()
	if !strings.Contains(v, "cannot use the photo: empty file: the file has no bytes") || strings.Contains(v, "refused before sending") {
		t.Fatalf("unreadable row words:\n%s", v)
	}
	if !strings.Contains(v, "nothing was sent") {
		t.Fatalf("advice should say nothing was sent:\n%s", v)
	}
	cursorTo(t, m, "i:u1")
	cmd := m.Update(keyMsg("c"))
	if cmd == nil {
		t.Fatal("c on an unreadable photo should open Correct")
	}
	if msg, ok := cmd().(common.OpenCorrectMsg); !ok || msg.Person != "evil" {
		t.Fatalf("c: %#v", cmd())
	}
}

// The footer keeps one order whichever class the cursor is on: moving
// from a 400 to a 404 or a 413 leaves keys out, never moves the ones
// both show (s skip used to come before r retry on a 400 and after R on
// a 404).
func TestFooterKeepsOneOrderAcrossClasses(t *testing.T) {
	now := t0
	m := newModel(t, mixedEngine(), 120, 40, &now)
	order := map[string]int{}
	for i, k := range []string{"c", "m", "e", "r", "s", "R", "-", "p", "esc"} {
		order[k] = i
	}
	seen := map[string]bool{}
	m.Update(keyMsg("g"))
	for i := 0; i < len(m.rows); i++ {
		r, ok := m.current()
		if !ok {
			break
		}
		last := -1
		var keys []string
		for _, b := range m.ShortHelp() {
			k := b.Help().Key
			keys = append(keys, k)
			n, known := order[k]
			if !known || n <= last {
				t.Fatalf("row %s: footer %v out of the one order", r.id(), keys)
			}
			last = n
		}
		seen[strings.Join(keys, " ")] = true
		m.Update(keyMsg("j"))
	}
	if len(seen) < 4 {
		t.Fatalf("only %d footers seen: %v", len(seen), seen)
	}
}

// A platform held up by Google's 403 quota says "quota", not "429".
func TestThrottledPlatformSaysQuotaFor403(t *testing.T) {
	now := t0
	eng := mixedEngine()
	eng.stats[3].ThrottleStatus = 403
	m := newModel(t, eng, 120, 40, &now)
	if v := m.View(); !strings.Contains(v, "quota: resumes in 0:42") || strings.Contains(v, "429: resumes") {
		t.Fatalf("403 quota:\n%s", v)
	}
}
