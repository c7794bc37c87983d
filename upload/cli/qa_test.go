package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
)

// The config's journal key is the journal upload and history use when no
// --journal is given (the TUI already used it; upload wrote to the XDG
// default instead, so the two never saw each other's uploads).
func TestUploadAndHistoryUseTheConfigJournal(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv(config.EnvJournal, "")
	jpath := filepath.Join(t.TempDir(), "from-config.db")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Journal = jpath
	if err := cfg.Save(cfgPath); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")

	var out, errb bytes.Buffer
	o := UploadOptions{Config: cfgPath, Platforms: "zoom"}
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if _, err := os.Stat(jpath); err != nil {
		t.Fatalf("the config's journal was not written: %v", err)
	}
	if _, err := os.Stat(filepath.Join(home, "state", "headshot", "journal.db")); err == nil {
		t.Errorf("upload wrote the default journal although the config names one")
	}
	out.Reset()
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 || !strings.Contains(out.String(), "skipped") {
		t.Fatalf("re-run did not skip (exit %d):\n%s", code, out.String())
	}
	if n := len(sb.Received()); n != 1 {
		t.Errorf("sandbox received %d photos, want 1", n)
	}

	out.Reset()
	if code := History(HistoryOptions{Config: cfgPath}, &out, &errb); code != 0 {
		t.Fatalf("history exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "staff001@example.com") {
		t.Errorf("history --config did not read the config's journal:\n%s", out.String())
	}
	// HEADSHOT_CONFIG is enough too.
	t.Setenv("HEADSHOT_CONFIG", cfgPath)
	out.Reset()
	if code := History(HistoryOptions{}, &out, &errb); code != 0 || !strings.Contains(out.String(), "staff001@example.com") {
		t.Errorf("history with HEADSHOT_CONFIG (exit %d):\n%s", code, out.String())
	}
	// A --config that does not exist is a usage error, not an empty history.
	errb.Reset()
	if code := History(HistoryOptions{Config: filepath.Join(home, "nope.toml")}, &out, &errb); code != 2 {
		t.Errorf("missing --config: exit %d, want 2 (%s)", code, errb.String())
	}
}

// A CSV report holds no control characters: `cat out.csv` must not run an
// escape sequence from a hostile file name or server message.
func TestCSVReportHasNoEscapes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	rows := []reportRow{{Person: "evil\x1b[31m", Platform: "zoom", File: "/p/evil\x1b]0;x\x07.jpg",
		State: "failed", Error: "no user \x1b[2J\"evil\"\nnext line"}, {Person: "=cmd", Platform: "zoom", File: "/p/x.jpg"}}
	if err := writeReport(path, rows); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range data {
		if b < 0x20 && b != '\n' && b != '\r' || b == 0x7f {
			t.Fatalf("control byte %#x in the CSV:\n%q", b, data)
		}
	}
	text := string(data)
	if strings.Count(text, "\n") != 3 {
		t.Errorf("want a header and two lines:\n%s", text)
	}
	for _, want := range []string{"evil?[31m", "/p/evil?]0;x?.jpg", "'=cmd"} {
		if !strings.Contains(text, want) {
			t.Errorf("CSV lacks %q:\n%s", want, text)
		}
	}
}

// A row shorter than the header (a spreadsheet dropping trailing empty
// cells, or a file with no person) gets the same plain message as an empty
// cell, not encoding/csv's "wrong number of fields".
func TestMappingShortRows(t *testing.T) {
	m, err := parseMapping("people.csv", strings.NewReader("file,person,zoom,netex\na.jpg,a@x\nb.jpg,b@x,zb\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := m.lookup("/d/a.jpg"); !ok || r.person != "a@x" || len(r.people) != 0 {
		t.Errorf("a.jpg row %+v", r)
	}
	if r, _ := m.lookup("b.jpg"); r.people["zoom"] != "zb" {
		t.Errorf("b.jpg row %+v", r)
	}
	_, err = parseMapping("people.csv", strings.NewReader("file,person,zoom\nc.jpg\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: no person for "c.jpg"`) {
		t.Errorf("short row: %v", err)
	}
	_, err = parseMapping("people.csv", strings.NewReader("file,person\nc.jpg,Doe, Jane\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2: 3 fields but the header names 2") {
		t.Errorf("long row: %v", err)
	}
}

// After retries, the uploading and uploaded lines do not end in the error
// that preceded them; retrying and failed lines still say why.
func TestEventLineUploadedAfterRetryHasNoError(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e503 := &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer, Status: 503, Message: "Service Unavailable"}
	ev := engine.Event{Time: at, Platform: upload.Rhombus, Person: "a@x", Path: "/p/a.jpg", Attempt: 3, Err: e503, Bytes: 10}
	for _, k := range []engine.EventKind{engine.EventUploading, engine.EventUploaded} {
		ev.Kind = k
		if line := eventLine(ev); strings.Contains(line, "503") || !strings.Contains(line, "attempt 3") {
			t.Errorf("%s line %q", k, line)
		}
	}
	for _, k := range []engine.EventKind{engine.EventRetrying, engine.EventFailed} {
		ev.Kind = k
		if line := eventLine(ev); !strings.Contains(line, "503") {
			t.Errorf("%s line %q lacks the reason", k, line)
		}
	}
	ev.Kind, ev.Message = engine.EventUploaded, "training 200; social 204"
	if line := eventLine(ev); !strings.HasSuffix(line, ": training 200; social 204") {
		t.Errorf("uploaded line %q lacks the platform's detail", line)
	}
}

// A platform paused because it refused a secret that came from the
// environment says which variable to fix (the file is not what was used),
// and never prints the value.
func TestUploadAuthPauseNamesTheEnvironmentVariable(t *testing.T) {
	_, cfgPath := sandboxConfig(t)
	t.Setenv("HEADSHOT_NETEX_TOKEN", "env-wrong-token")
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	var out, errb bytes.Buffer
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "netex,zoom"}
	if code := Upload(o, []string{dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out.String(), errb.String())
	}
	s := out.String()
	if !strings.Contains(s, "netex     paused: credentials refused") || !strings.Contains(s, "credentials set in the environment, winning over") ||
		!strings.Contains(s, "HEADSHOT_NETEX_TOKEN") {
		t.Errorf("summary does not name the variable:\n%s", s)
	}
	if strings.Contains(s+errb.String(), "env-wrong-token") {
		t.Fatal("the secret was printed")
	}
	if strings.Count(s, "HEADSHOT_") != 1 {
		t.Errorf("only netex came from the environment:\n%s", s)
	}
}

// A report that could not be written is a usage error found before any
// photo is sent, not after the whole run.
func TestUploadReportPathCheckedFirst(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	for _, report := range []string{filepath.Join(dir, "missing", "r.json"), dir + ".json/", filepath.Join(dir, "staff001@example.com.jpg", "r.csv")} {
		var out, errb bytes.Buffer
		code := Upload(UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "zoom", Report: report}, []string{dir}, &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), "--report") {
			t.Errorf("report %s: exit %d, stderr %q", report, code, errb.String())
		}
	}
	os.Mkdir(filepath.Join(dir, "r.json"), 0o700)
	var out, errb bytes.Buffer
	if code := Upload(UploadOptions{Config: cfgPath, Platforms: "zoom", Report: filepath.Join(dir, "r.json")}, []string{dir}, &out, &errb); code != 2 ||
		!strings.Contains(errb.String(), "is a folder") {
		t.Errorf("report is a folder: exit %d, stderr %q", code, errb.String())
	}
	if n := len(sb.Received()); n != 0 {
		t.Errorf("sandbox received %d photos before the report path was found bad", n)
	}
}

// A throttled line says the wait once, not "throttled throttled: ...".
func TestEventLineThrottled(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ev := engine.Event{Time: at, Kind: engine.EventThrottled, Platform: upload.Interact, Until: at.Add(9 * time.Second),
		Message: "throttled: sending resumes at 03:04:14", Err: &upload.Error{Platform: upload.Interact, Class: upload.ClassThrottled, Status: 429}}
	want := "03:04:05 interact throttled the platform asked to slow down: sending again at 03:04:14 (in 9s)"
	if got := eventLine(ev); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// Two photos of one person (jane.jpg and jane.jpeg) send one, the newest,
// with a warning naming both; before, one was dropped silently.
func TestUploadOnePhotoPerPerson(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	older := writePhoto(t, dir, "staff001@example.com.jpg")
	newer := writePhoto(t, dir, "staff001@example.com.jpeg")
	writePhoto(t, dir, "staff002@example.com.jpg")
	past := time.Now().Add(-time.Hour)
	os.Chtimes(older, past, past)
	var out, errb bytes.Buffer
	o := UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "zoom", Report: filepath.Join(t.TempDir(), "r.json"), Verbose: true}
	if code := Upload(o, []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	want := "warning: 2 photos for staff001@example.com (staff001@example.com.jpeg, staff001@example.com.jpg): sending the newest, staff001@example.com.jpeg"
	if !strings.Contains(errb.String(), want) {
		t.Errorf("stderr %q lacks %q", errb.String(), want)
	}
	if n := len(sb.Received()); n != 2 {
		t.Errorf("sandbox received %d photos, want 2", n)
	}
	if !strings.Contains(out.String(), "uploaded  staff001@example.com ("+filepath.Base(newer)) {
		t.Errorf("the newer photo was not the one sent:\n%s", out.String())
	}

	// A mapping can send two files to different platforms' people: not merged.
	jobs := onePhotoPerPerson([]engine.Job{{Path: "a.jpg", Person: "p"}, {Path: "b.jpg", Person: "p", People: map[upload.Platform]string{upload.Zoom: "q"}}}, &errb)
	if len(jobs) != 2 {
		t.Errorf("jobs with different per-platform people merged: %+v", jobs)
	}
}

// Bench usage errors exit 2 at once instead of running a 30 s bench.
func TestBenchUsageErrors(t *testing.T) {
	good := BenchOptions{Seconds: 30, RhombusBatch: 5, Overdrive: 1}
	for _, set := range []func(*BenchOptions){
		func(o *BenchOptions) { o.Overdrive = 0 }, func(o *BenchOptions) { o.Overdrive = -2 },
		func(o *BenchOptions) { o.Seconds = 0 }, func(o *BenchOptions) { o.RhombusBatch = 101 },
	} {
		o := good
		set(&o)
		var out, errb bytes.Buffer
		if code := Bench(o, "", &out, &errb); code != 2 || out.Len() != 0 {
			t.Errorf("%+v: exit %d, stdout %q, stderr %q", o, code, out.String(), errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := Bench(good, "teams", &out, &errb); code != 2 || !strings.Contains(errb.String(), `unknown platform "teams"`) {
		t.Errorf("--platform teams: exit %d, stderr %q", code, errb.String())
	}
}

// A platform named twice is used once: "zoom,ZOOM" made the engine refuse
// to start ("platform zoom configured twice").
func TestParsePlatformsDeduplicates(t *testing.T) {
	ps, err := parsePlatforms("zoom, ZOOM,netex,zoom")
	if err != nil || len(ps) != 2 || ps[0] != upload.Zoom || ps[1] != upload.Netex {
		t.Fatalf("got %v, %v", ps, err)
	}
	_, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	var out, errb bytes.Buffer
	if code := Upload(UploadOptions{Config: cfgPath, Journal: filepath.Join(t.TempDir(), "j.db"), Platforms: "zoom,zoom"}, []string{dir}, &out, &errb); code != 0 {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}

// A spreadsheet's export with semicolons (comma-decimal locales), a BOM
// and CRLF line ends reads like a plain CSV.
func TestMappingSemicolonsBOMAndCRLF(t *testing.T) {
	m, err := parseMapping("people.csv", strings.NewReader("\ufefffile;person;zoom\r\na.jpg;a@x;za\r\nb.jpg;b@x;\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := m.lookup("a.jpg"); !ok || r.person != "a@x" || r.people[upload.Zoom] != "za" {
		t.Errorf("a.jpg row %+v", r)
	}
	if r, ok := m.lookup("b.jpg"); !ok || r.person != "b@x" || len(r.people) != 0 {
		t.Errorf("b.jpg row %+v", r)
	}
}
