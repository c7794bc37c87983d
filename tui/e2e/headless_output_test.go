package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"headshot/upload"
	"headshot/upload/journal"
)

// onlyTables keeps the config snippet's [zoom] and [interact] tables (and
// whatever comes before the first table): a run slow enough to watch, on
// few platforms.
func onlyTables(config string, keep ...string) string {
	var b strings.Builder
	on := true
	for _, line := range strings.SplitAfter(config, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			on = false
			for _, k := range keep {
				if t == "["+k+"]" {
					on = true
				}
			}
		}
		if on {
			b.WriteString(line)
		}
	}
	return b.String()
}

// slowBatch starts a sandbox at the documented limits (Interact 6/min),
// writes a config for Zoom and Interact only and n portraits named after
// the sandbox's people, and returns the photo folder.
func slowBatch(t *testing.T, env []string, n int) string {
	t.Helper()
	sb := startSandbox(t, env)
	writeConfig(t, env, onlyTables(sb.config, "zoom", "interact"))
	dir := t.TempDir()
	for i := 1; i <= n; i++ {
		portrait(t, filepath.Join(dir, fmt.Sprintf("staff%03d@example.com.jpg", i)), 600, 800, uint8(i*10))
	}
	return dir
}

// liveLine matches the live progress line while Interact is working:
// elapsed time, the overall count, Interact's count and rate or limit, and
// the time it needs.
var liveLine = regexp.MustCompile(`\d+:\d\d \d+/\d+ finished · interact \d+/\d+ .*(/min|wait)`)

// `headshot upload` in a terminal: photo rows above a live line that
// counts Interact's uploads at 6/min with its rate and time left (the
// line that used to be silent for 10 s at a time); ctrl+c ends it with a
// summary that says "not sent (interrupted)" and lists those photos under
// "Not sent", with nothing under "Failed:", and the live line gone.
func TestUploadLiveLineAndCtrlCInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary in tmux")
	}
	needTmux(t)
	env := cleanEnv(t)
	dir := slowBatch(t, env, 12)
	x := startTmux(t, 80, 24, env, headshot(t), "upload", dir)
	s := waitUntil(t, x, "the live line with Interact's count and rate", 90*time.Second, func(s string) bool {
		return liveLine.MatchString(s) && strings.Contains(s, "left ~")
	})
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	live := lines[len(lines)-1]
	if !liveLine.MatchString(live) {
		t.Errorf("the live line is not the last line on screen:\n%s", frame(s))
	}
	if !strings.Contains(s, "photo ") || !strings.Contains(s, "zoom  interact") {
		t.Errorf("no photo table header above the live line:\n%s", frame(s))
	}
	for _, l := range lines {
		if len([]rune(l)) > 80 {
			t.Errorf("a line wider than the pane: %q", l)
		}
	}
	// The line moves on its own between Interact's uploads (elapsed time,
	// time left), instead of the 10 s of silence there used to be.
	first := live
	waitUntil(t, x, "the live line to change", 5*time.Second, func(s string) bool {
		l := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return l[len(l)-1] != first
	})

	if out, err := x.cmd("send-keys", "-t", x.session, "C-c"); err != nil {
		t.Fatalf("send-keys C-c: %v %s", err, out)
	}
	if status := waitExit(t, x, 60*time.Second); status != "1" {
		t.Errorf("exit status %q after ctrl+c, want 1", status)
	}
	s = joinedScreen(t, x)
	if !strings.Contains(s, "not sent (interrupted)") || !strings.Contains(s, "Not sent (interrupted; running the same command again sends them)") {
		t.Errorf("the ctrl+c summary does not say what was not sent:\n%s", frame(s))
	}
	if strings.Contains(s, "Failed:") {
		t.Errorf("interrupted uploads listed under Failed:\n%s", frame(s))
	}
	if liveLine.MatchString(s) {
		t.Errorf("the live line was left on the screen:\n%s", frame(s))
	}
}

// Quitting the browser while uploads are still going prints a summary on
// the normal screen, after the alternate screen is gone: what was
// uploaded, failed and not sent, and where the details are, in lines that
// fit the 80 columns.
func TestQuitBrowserMidUploadPrintsSummaryInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary in tmux")
	}
	needTmux(t)
	env := cleanEnv(t)
	dir := slowBatch(t, env, 12)
	x := startTmux(t, 80, 24, env, headshot(t), dir)
	waitFor(t, x, "staff001", 30*time.Second)
	x.keys("a")
	waitFor(t, x, "selected", 10*time.Second)
	x.keys("u")
	waitUntil(t, x, "the send question", 90*time.Second, func(s string) bool { return strings.Contains(s, "y/enter") && strings.Contains(s, "Send ") })
	x.keys("y")
	// The upload screen (not the question, which names Interact too).
	waitUntil(t, x, "the upload panes", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "Uploads:") && strings.Contains(s, "Interact")
	})
	x.keys("q")
	waitFor(t, x, "Quit now?", 10*time.Second)
	x.keys("y")
	if status := waitExit(t, x, 60*time.Second); status != "0" {
		t.Errorf("exit status %q, want 0", status)
	}
	s := joinedScreen(t, x) // lines tmux wrapped are one line here
	for _, l := range strings.Split(s, "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("a line of %d columns on an 80-column terminal (tmux wraps it):\n%s", n, l)
		}
	}
	// The requests the quit cut off mid-send are counted apart (they may
	// have arrived): whether there are any depends on timing.
	re := regexp.MustCompile(`headshot: \d+ uploaded, \d+ failed(, \d+ not sent \(quit during upload\))?(, \d+ cut off mid-send \(may have arrived\))?; details: headshot history`)
	if !re.MatchString(strings.Join(strings.Fields(s), " ")) {
		t.Errorf("no summary after quitting mid-upload:\n%s", frame(s))
	}
	if strings.Contains(s, "Quit now?") || strings.Contains(s, "staff001") {
		t.Errorf("the browser's screen is still showing (the summary must follow the alt screen):\n%s", frame(s))
	}
}

// joinedScreen is the pane's text with wrapped lines joined, the history
// above the screen included.
func joinedScreen(t *testing.T, x *tmux) string {
	t.Helper()
	s, err := x.cmd("capture-pane", "-p", "-J", "-S", "-100", "-t", x.session)
	if err != nil {
		t.Fatalf("capture-pane: %v %s", err, s)
	}
	return s
}

// `headshot history` in a 60-column terminal reads the terminal's width
// (no $COLUMNS in the environment): no line is wider, the long error is
// wrapped, not cut off.
func TestHistoryFitsTheTerminalInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary in tmux")
	}
	needTmux(t)
	env := cleanEnv(t)
	jpath := filepath.Join(t.TempDir(), "journal.db")
	j, err := journal.Open(jpath)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	for i := 1; i <= 3; i++ {
		e := journal.Entry{Person: fmt.Sprintf("staff%03d.with.a.long.name@example.com", i), Platform: upload.Igloo,
			Path: fmt.Sprintf("/home/tech/photos/new-starters/staff%03d@example.com.jpg", i), State: journal.StateUploaded, Attempts: 1, Bytes: 51234, Updated: at}
		if i == 2 {
			e.State, e.Class, e.LastError = journal.StateFailed, upload.ClassNotFound, "no Igloo member matches staff002@example.com exactly (0 search hits)"
		}
		if err := j.Put(e); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	x := startTmux(t, 60, 24, env, headshot(t), "history", "--journal", jpath)
	waitExit(t, x, 30*time.Second)
	// Joined and with the history: tmux's "Pane is dead" line may push
	// the first line off the screen, and a line over 60 columns, which
	// tmux wraps, shows whole.
	s := joinedScreen(t, x)
	if !strings.Contains(s, "PERSON") || !strings.Contains(strings.Join(strings.Fields(s), " "), "no Igloo member matches staff002@example.com exactly (0 search hits)") {
		t.Fatalf("history in 60 columns:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if n := len([]rune(strings.TrimRight(l, " "))); n > 60 && !strings.HasPrefix(l, "Pane is dead") {
			t.Errorf("history printed a line of %d columns in a 60-column pane: %q", n, l)
		}
	}
}
