package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// tableOf is the per-photo table of a run's output: the lines between the
// plan line and the legend (the header first).
func tableOf(out string) []string {
	lines := strings.Split(out, "\n")
	var table []string
	in := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "photo "):
			in = true
		case in && (l == "" || strings.HasPrefix(l, "✓ ") || strings.HasPrefix(l, "✗ ") || strings.HasPrefix(l, "? ")):
			return table
		}
		if in {
			table = append(table, l)
		}
	}
	return table
}

// A dry run of six photos prints one line per photo under a header naming
// the platforms, a legend and the summary; a file that cannot be read is
// said once in its row and once under Failed (not once per platform); an
// unknown person is one line under Failed naming the platforms; -v prints
// the per-request lines instead of the rows.
func TestDryRunPrintsOneLinePerPhoto(t *testing.T) {
	_, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	for i := 1; i <= 4; i++ {
		writePhoto(t, dir, fmt.Sprintf("staff%03d@example.com.jpg", i))
	}
	writePhoto(t, dir, "nobody@example.com.jpg")
	good, _ := os.ReadFile(filepath.Join(dir, "staff001@example.com.jpg"))
	os.WriteFile(filepath.Join(dir, "broken@example.com.jpg"), good[:len(good)/3], 0o600)
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "zoom,rhombus,igloo,netex", DryRun: true}
	var out, errb bytes.Buffer
	if code := Upload(o, []string{dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1 (a photo cannot be read, a person is unknown)\n%s\n%s", code, out.String(), errb.String())
	}
	s := out.String()
	table := tableOf(s)
	if len(table) != 7 || !strings.HasPrefix(table[0], "photo") || !strings.Contains(table[0], "zoom  rhombus  igloo  netex") {
		t.Fatalf("want a header and 6 rows, got %d lines:\n%s", len(table), s)
	}
	for _, person := range []string{"staff001", "staff002", "staff003", "staff004", "nobody", "broken"} {
		n := 0
		for _, l := range table[1:] {
			if strings.HasPrefix(l, person+"@example.com ") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s has %d rows, want 1:\n%s", person, n, s)
		}
	}
	for _, l := range table[1:] {
		if strings.HasPrefix(l, "staff") && strings.Count(l, "✓") != 4 {
			t.Errorf("row %q: want ✓ under each of the 4 platforms", l)
		}
		if strings.HasPrefix(l, "nobody") && (strings.Count(l, "✗") != 4 || !strings.HasSuffix(l, "not found")) {
			t.Errorf("row %q: want ✗ x4 and 'not found'", l)
		}
	}
	if n := strings.Count(s, "truncated"); n != 2 {
		t.Errorf("the unreadable file's problem is said %d times, want 2 (its row and Failed):\n%s", n, s)
	}
	sum := summaryOf(s)
	if !strings.Contains(sum, "nobody@example.com (nobody@example.com.jpg): not found on zoom, rhombus, igloo, netex") {
		t.Errorf("unknown person not one line under Failed:\n%s", sum)
	}
	if !strings.Contains(s, "✓ would send") || !strings.Contains(s, "✗ failed") {
		t.Errorf("no legend:\n%s", s)
	}
	if strings.Contains(s, "queued") || strings.Contains(s, "preparing") {
		t.Errorf("per-request lines without -v:\n%s", s)
	}
	if strings.ContainsAny(s, "\r\x1b") {
		t.Errorf("not a terminal, yet the output holds a live line's \\r or escapes: %q", s)
	}

	out.Reset()
	o.Verbose = true
	Upload(o, []string{dir}, &out, &errb)
	if v := out.String(); !strings.Contains(v, "queued") || !strings.Contains(v, "checked   staff001@example.com") || len(tableOf(v)) != 0 {
		t.Errorf("-v does not print per-request lines instead of rows:\n%s", v)
	}
}

// Ctrl-C: what was never sent is "not sent (interrupted)", counted so and
// listed one line per photo under "Not sent", never under "Failed:",
// which keeps the real failures only.
func TestInterruptedSummaryIsNotSentNotFailed(t *testing.T) {
	var rows []reportRow
	for i := 1; i <= 37; i++ {
		for _, p := range []upload.Platform{upload.Zoom, upload.Interact} {
			st := journal.StateQueued
			if i == 1 && p == upload.Interact {
				st = journal.StateInterrupted
			}
			rows = append(rows, reportRow{Platform: string(p), Person: fmt.Sprintf("p%02d@example.com", i), File: fmt.Sprintf("/x/p%02d.jpg", i), State: string(st)})
		}
	}
	rows = append(rows, reportRow{Platform: "zoom", Person: "bad@example.com", File: "/x/bad.jpg", State: string(journal.StateFailed),
		Class: "rejected", Error: "rejected (HTTP 400): bad photo"})
	stats := []engine.PlatformStats{{Platform: upload.Zoom}, {Platform: upload.Interact}}
	var b bytes.Buffer
	if ok := writeSummary(&b, summary{rows: rows, stats: stats, interrupted: true}); ok {
		t.Fatal("an interrupted run summarised as all OK")
	}
	s := b.String()
	for _, want := range []string{
		"zoom      0 uploaded, 0 skipped (unchanged), 0 held, 1 failed, 37 not sent (interrupted)",
		"interact  0 uploaded, 0 skipped (unchanged), 0 held, 0 failed, 37 not sent (interrupted)",
		"Not sent (interrupted; running the same command again sends them): 74 uploads of 37 photos",
		"  p01@example.com (p01.jpg): zoom, interact",
		"... and 17 more photos",
		"Failed:\n  bad@example.com (bad.jpg): zoom: rejected (HTTP 400): bad photo\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	failed := s[strings.Index(s, "Failed:"):]
	failed = failed[:strings.Index(failed, "Not sent")]
	if strings.Contains(failed, "p0") {
		t.Errorf("not-sent photos listed under Failed:\n%s", s)
	}

	// A platform paused for refused credentials: its unsent uploads say so.
	b.Reset()
	stats[0].Paused, stats[0].PauseReason = true, "credentials refused (HTTP 401)"
	writeSummary(&b, summary{rows: rows[:4], stats: stats})
	if s := b.String(); !strings.Contains(s, "Not sent (zoom paused: credentials refused (HTTP 401)): 2 uploads of 2 photos") || strings.Contains(s, "Failed:") {
		t.Errorf("paused platform's summary:\n%s", s)
	}
}

// A request cut off mid-send (ctrl+c while it was under way) may have
// reached the platform: the summary must not call it "not sent".
func TestCutOffMidSendIsNotConfirmedNotNotSent(t *testing.T) {
	rows := []reportRow{
		{Platform: "zoom", Person: "ann@example.com", File: "/x/ann.jpg", State: string(journal.StateInterrupted), CutOff: true},
		{Platform: "zoom", Person: "bob@example.com", File: "/x/bob.jpg", State: string(journal.StateInterrupted)},
		{Platform: "zoom", Person: "cat@example.com", File: "/x/cat.jpg", State: string(journal.StateUploaded)},
	}
	var b bytes.Buffer
	writeSummary(&b, summary{rows: rows, stats: []engine.PlatformStats{{Platform: upload.Zoom}}, interrupted: true})
	s := b.String()
	for _, want := range []string{
		"zoom      1 uploaded, 0 skipped (unchanged), 0 held, 0 failed, 2 not sent (1 of them cut off while sending: may have arrived)",
		"Not confirmed (cut off while sending: the platform may have stored them; running the same command again sends them again): 1 upload of 1 photo\n  ann@example.com (ann.jpg): zoom",
		"Not sent (interrupted; running the same command again sends them): 1 upload of 1 photo\n  bob@example.com (bob.jpg): zoom",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}

// A photo found by content under another extension goes by its name
// without it (kofi.mensah@example.com.dat is kofi.mensah@example.com), and
// what a folder holds that is not sent is listed in the summary with the
// reason, one line each.
func TestUploadFindsPhotosByContentAndSaysWhatItSkipped(t *testing.T) {
	_, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	writePhoto(t, dir, "staff002@example.com.dat")
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("first-day checklist\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "empty"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, ".DS_Store"), []byte("x"), 0o600)
	os.Mkdir(filepath.Join(dir, "old"), 0o700)
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "zoom", DryRun: true}
	var out, errb bytes.Buffer
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	s := out.String()
	if !strings.Contains(s, "\nstaff002@example.com  ✓") || strings.Contains(s, ".dat ") {
		t.Errorf("the .dat photo is not staff002@example.com:\n%s", s)
	}
	for _, want := range []string{
		"Skipped (3 files given but not sent anywhere):",
		"notes.txt: not a photo (not an image)",
		"empty: not a photo (empty file)",
		"old: a folder (folders are not searched",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "DS_Store") {
		t.Errorf("a hidden file is listed:\n%s", s)
	}
}

// On a terminal the run keeps a live progress line at the bottom: drawn
// with \r, erased (\r ESC [K) before every normal line so none is
// garbled, never wider than the terminal, and gone before the summary.
func TestLiveLineOnTerminal(t *testing.T) {
	_, cfgPath := sandboxConfig(t)
	cfg, clients := loadClients(t, cfgPath, upload.Zoom, upload.Netex)
	jobs := jobsFor(t, 6)
	var out, errb bytes.Buffer
	ecfg := engine.Config{Clients: clients, Prep: cfg.PrepOptions()}
	if code := runUploadWith(ecfg, jobs, runOptions{live: true, width: 60}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	s := out.String()
	if !strings.Contains(s, "\r") || !strings.Contains(s, "finished") {
		t.Fatalf("no live line drawn: %q", s)
	}
	// Replay the bytes as a terminal would: \r returns to column 0, ESC[K
	// erases to the end of the line. Every line on the "screen" fits.
	var screen []string
	cur := ""
	for _, chunk := range strings.SplitAfter(s, "\n") {
		line := strings.TrimSuffix(chunk, "\n")
		for _, part := range strings.Split(line, "\r") {
			part = strings.ReplaceAll(part, "\x1b[K", "")
			if w := ansi.StringWidth(part); w >= 60 && strings.Contains(part, "finished") {
				t.Errorf("live line %q is %d columns on a 60-column terminal", part, w)
			}
			cur = part
		}
		if strings.HasSuffix(chunk, "\n") {
			screen = append(screen, cur)
			cur = ""
		}
	}
	if i := strings.Index(s, "\nSummary:"); i < 0 || strings.Contains(s[i:], "\r") {
		t.Errorf("the live line is drawn inside the summary: %q", s)
	}
	for _, l := range screen {
		if strings.Contains(l, "finished") {
			t.Errorf("a normal line kept the live line's text: %q", l)
		}
	}
	if rows := tableOf(strings.Join(screen, "\n")); len(rows) != 7 {
		t.Errorf("want a header and 6 rows on screen, got:\n%s", strings.Join(screen, "\n"))
	}
}

// The live line's words: overall counts, each platform still working with
// its count, rate in its limit's unit and time left, a 429 as a wait.
func TestProgressLine(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	now := start.Add(42 * time.Second)
	stats := []engine.PlatformStats{
		{Platform: upload.Zoom, Limit: upload.Rate{N: 10, Per: time.Second}, Total: 6, Done: 6},
		{Platform: upload.Interact, Limit: upload.Rate{N: 6, Per: time.Minute}, Total: 6, Done: 2, Failed: 1, Queued: 3, Rate: 0.1},
		{Platform: upload.Netex, Limit: upload.Rate{N: 1, Per: time.Second}, Total: 6, Done: 1, Queued: 5, ThrottledUntil: now.Add(12 * time.Second)},
	}
	got := progressLine(now, start, stats)
	want := "0:42 10/18 finished · interact 3/6 ✗1 6/min left ~0:30 · netex 1/6 429, wait 0:12 · zoom ✓6"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A throttled platform's wait on the live line says what it answered:
// Google's quota 403 and Graph's 503 are not "429".
func TestProgressLineThrottleStatus(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	now := start.Add(42 * time.Second)
	for status, want := range map[int]string{0: "429", 429: "429", 403: "403 quota", 503: "503", 504: "504"} {
		stats := []engine.PlatformStats{{Platform: upload.Netex, Limit: upload.Rate{N: 20, Per: time.Second}, Total: 6, Done: 1, Queued: 5,
			ThrottledUntil: now.Add(12 * time.Second), ThrottleStatus: status}}
		if got := progressLine(now, start, stats); !strings.Contains(got, " "+want+", wait 0:12") {
			t.Errorf("status %d: got %q, want %q, wait 0:12", status, got, want)
		}
	}
}

// loadClients reads a config file and builds the named platforms' clients.
func loadClients(t *testing.T, cfgPath string, plats ...upload.Platform) (*config.Config, []upload.Client) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var clients []upload.Client
	for _, p := range plats {
		c, err := cfg.Client(p)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	return cfg, clients
}

// Before a platform has a measured rate the live line gives its limit.
func TestProgressLineBeforeFirstAnswer(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	stats := []engine.PlatformStats{{Platform: upload.Interact, Limit: upload.Rate{N: 6, Per: time.Minute}, Total: 6, Queued: 6}}
	if got, want := progressLine(start.Add(time.Second), start, stats), "0:01 0/6 finished · interact 0/6 limit 6/min left ~1:00"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// Quitting the browser mid-upload: one line in the summary's words;
// nothing when everything was settled.
func TestQuitSummary(t *testing.T) {
	var items []engine.Item
	add := func(n int, st journal.State) {
		for i := 0; i < n; i++ {
			items = append(items, engine.Item{State: st})
		}
	}
	add(12, journal.StateUploaded)
	add(3, journal.StateFailed)
	add(2, engine.StateHeld)
	if got := QuitSummary(items, "headshot history"); got != "" {
		t.Errorf("all settled, yet %q", got)
	}
	add(18, journal.StateQueued)
	add(2, journal.StateInterrupted)
	want := "headshot: 12 uploaded, 2 held, 3 failed, 20 not sent (quit during upload); details: headshot history"
	if got := QuitSummary(items, "headshot history"); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// A journal that goes with the run (the demo's): no pointer to it.
	if got, want := QuitSummary(items, ""), strings.TrimSuffix(want, "; details: headshot history"); got != want {
		t.Errorf("without details: got %q, want %q", got, want)
	}
	// A request the quit cut off mid-send may have arrived: not "not sent".
	items = append(items, engine.Item{State: journal.StateInterrupted, CutOff: true})
	want = "headshot: 12 uploaded, 2 held, 3 failed, 20 not sent (quit during upload), 1 cut off mid-send (may have arrived)"
	if got := QuitSummary(items, ""); got != want {
		t.Errorf("with a cut-off request:\ngot  %q\nwant %q", got, want)
	}
}

// On a narrow terminal the names give way before the platforms' columns:
// at 70 columns with seven platforms every glyph is still shown, under its
// platform's name, and a wide (CJK) name is cut by its width.
func TestPhotoRowsOnNarrowTerminal(t *testing.T) {
	plats := []upload.Platform{upload.Zoom, upload.Rhombus, upload.Igloo, upload.Interact, upload.Netex, "m365", "google"}
	jobs := []engine.Job{{Path: "/p/a.jpg", Person: "alexandra.konstantinopoulou@example.com"}, {Path: "/p/b.jpg", Person: "山田太郎山田太郎山田太郎@example.jp"}}
	tb := newPhotoTable(plats, jobs, false, 70)
	var lines []string
	for _, j := range jobs {
		for _, p := range plats {
			lines = append(lines, tb.add(engine.Event{Kind: engine.EventUploaded, Platform: p, Path: j.Path, Person: j.Person})...)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("want a header and 2 rows, got %q", lines)
	}
	col := strings.Index(lines[0], "google")
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 70 {
			t.Errorf("%d columns on a 70-column terminal: %q", w, l)
		}
	}
	for _, l := range lines[1:] {
		if strings.Count(l, "✓") != 7 || !strings.Contains(l, "…") {
			t.Errorf("row %q: want 7 glyphs and the name cut", l)
		}
		if ansi.StringWidth(strings.TrimRight(l, " ")) != col+1 {
			t.Errorf("row %q: the last glyph is not under google (column %d)", l, col)
		}
	}
}

// A queue the technician canceled in the panes was not cut short by the
// quit: with nothing else unsent, quitting prints nothing; with uploads
// still going, the canceled ones are counted as canceled, not as "not
// sent (quit during upload)".
func TestQuitSummaryCanceledIsNotCutShort(t *testing.T) {
	var items []engine.Item
	add := func(n int, st journal.State) {
		for i := 0; i < n; i++ {
			items = append(items, engine.Item{State: st})
		}
	}
	add(69, journal.StateUploaded)
	add(7, journal.StateFailed)
	add(10, engine.StateCanceled)
	if got := QuitSummary(items, "headshot history"); got != "" {
		t.Errorf("only canceled left, yet %q", got)
	}
	add(4, journal.StateQueued)
	want := "headshot: 69 uploaded, 10 canceled, 7 failed, 4 not sent (quit during upload); details: headshot history"
	if got := QuitSummary(items, "headshot history"); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
