package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/imageprep/benchdata"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/sandbox"
)

func TestParseMapping(t *testing.T) {
	m, err := parseMapping("people.csv", strings.NewReader(
		"file,person,zoom,Netex\n"+
			"photos/jane.jpg, jane.doe@example.com ,,jdoe\n"+
			"# a comment\n"+
			"omar.png,omar@example.com,omar.zoom@example.com,\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := m.lookup("/elsewhere/jane.jpg")
	if !ok || r.person != "jane.doe@example.com" || r.people[upload.Netex] != "jdoe" || r.people[upload.Zoom] != "" {
		t.Errorf("jane row = %+v", r)
	}
	r, ok = m.lookup("omar.png")
	if !ok || r.people[upload.Zoom] != "omar.zoom@example.com" {
		t.Errorf("omar row = %+v", r)
	}
	if _, ok := m.lookup("nobody.jpg"); ok {
		t.Error("unmapped file found")
	}
}

func TestParseMappingErrorsNameTheLine(t *testing.T) {
	cases := map[string]string{
		"file,person\na.jpg,a\nb.jpg,b,extra\n": "line 3",
		"file,person\na.jpg,a\na.jpg,b\n":       "line 3: file \"a.jpg\" already mapped on line 2",
		"file,person,teams\na.jpg,a,x\n":        "line 1: unknown column \"teams\"",
		"person,zoom\na,b\n":                    "line 1: header must name the columns file and person",
		"file,person\n,a\n":                     "line 2: empty file",
		"file,person\na.jpg,\n":                 "line 2: no person",
		"":                                      "empty file",
		"file,person\na.jpg,\"unterminated\n":   "line 2",
	}
	for in, want := range cases {
		_, err := parseMapping("people.csv", strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "people.csv") {
			t.Errorf("%q: error %v, want it to contain %q", in, err, want)
		}
	}
}

func TestPersonOfFileStem(t *testing.T) {
	for in, want := range map[string]string{
		"/x/jane.doe@example.com.jpg": "jane.doe@example.com",
		"omar.PNG":                    "omar",
		"noext":                       "noext",
		"/x/lukas.berg@example.com":   "lukas.berg@example.com",
		"mei.tanaka@example.com.HEIC": "mei.tanaka@example.com",
	} {
		if got := personOf(in); got != want {
			t.Errorf("personOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUploadUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	photo := writePhoto(t, dir, "jane.doe@example.com.jpg")
	badMap := filepath.Join(dir, "people.csv")
	os.WriteFile(badMap, []byte("file,person\na.jpg,a\nb.jpg,b,c\n"), 0o600)
	cases := []struct {
		o     UploadOptions
		paths []string
		want  string
	}{
		{UploadOptions{}, nil, "no photos given"},
		{UploadOptions{Platforms: "teams"}, []string{photo}, "unknown platform \"teams\""},
		{UploadOptions{Report: "out.txt"}, []string{photo}, "must end in .json or .csv"},
		{UploadOptions{Map: badMap}, []string{photo}, "line 3"},
		{UploadOptions{Config: filepath.Join(dir, "none.toml")}, []string{photo}, "no config file at"},
		{UploadOptions{}, []string{filepath.Join(dir, "missing.jpg")}, "missing.jpg"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		if code := Upload(c.o, c.paths, &out, &errb); code != 2 {
			t.Errorf("%+v %v: exit %d, want 2 (stderr %q)", c.o, c.paths, code, errb.String())
		}
		if !strings.Contains(errb.String(), c.want) {
			t.Errorf("%+v %v: stderr %q, want %q", c.o, c.paths, errb.String(), c.want)
		}
	}
}

// sandboxConfig serves a sandbox and writes a config file for it.
func sandboxConfig(t *testing.T) (*sandbox.Sandbox, string) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(20)})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := config.FromValues(sb.Credentials()).Save(path); err != nil {
		t.Fatal(err)
	}
	return sb, path
}

// writePhoto writes a real portrait (one face, 800x600: nothing for the
// review gate to hold) named name; each name gets distinct bytes (a JPEG
// comment), so each is its own photo to the journal.
func writePhoto(t testing.TB, dir, name string) string {
	t.Helper()
	data, err := benchdata.Render(benchdata.SmallJPEG)
	if err != nil {
		t.Fatal(err)
	}
	com := append([]byte{0xFF, 0xFE, 0, byte(len(name) + 2)}, name...)
	out := append(append(append([]byte{}, data[:2]...), com...), data[2:]...)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// with is a copy of o changed by set.
func with(o UploadOptions, set func(*UploadOptions)) UploadOptions {
	set(&o)
	return o
}

func TestUploadAgainstSandbox(t *testing.T) {
	sb, cfgPath := sandboxConfig(t)
	dir := t.TempDir()
	writePhoto(t, dir, "staff001@example.com.jpg")
	writePhoto(t, dir, "staff002@example.com.jpg")
	jpath := filepath.Join(t.TempDir(), "journal.db")
	report := filepath.Join(t.TempDir(), "out.json")
	base := UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "zoom,netex"}

	// Dry run: nothing sent, exit 0.
	var out, errb bytes.Buffer
	if code := Upload(with(base, func(o *UploadOptions) { o.DryRun = true }), []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("dry run exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if n := len(sb.Received()); n != 0 {
		t.Fatalf("dry run stored %d photos", n)
	}
	if !strings.Contains(out.String(), "2 would send") {
		t.Errorf("dry run summary:\n%s", out.String())
	}

	// Real run: both on both platforms, exit 0, JSON report.
	out.Reset()
	errb.Reset()
	if code := Upload(with(base, func(o *UploadOptions) { o.Report = report; o.Verbose = true }), []string{dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if n := len(sb.Received()); n != 4 {
		t.Errorf("sandbox stored %d photos, want 4", n)
	}
	var rows []reportRow
	data, _ := os.ReadFile(report)
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("report: %v\n%s", err, data)
	}
	if len(rows) != 4 {
		t.Fatalf("report has %d rows, want 4", len(rows))
	}
	for _, r := range rows {
		if r.State != "uploaded" || r.Bytes == 0 {
			t.Errorf("report row %+v", r)
		}
	}
	if !strings.Contains(out.String(), "uploaded  staff001@example.com") {
		t.Errorf("no per-event line for staff001:\n%s", out.String())
	}

	// Again, with an unknown person: unchanged ones skipped, exit 1, CSV.
	writePhoto(t, dir, "nobody@example.com.jpg")
	csvReport := filepath.Join(t.TempDir(), "out.csv")
	out.Reset()
	errb.Reset()
	if code := Upload(with(base, func(o *UploadOptions) { o.Report = csvReport }), []string{dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out.String(), errb.String())
	}
	if n := len(sb.Received()); n != 4 {
		t.Errorf("re-run stored %d photos in all, want still 4 (skipped)", n)
	}
	f, _ := os.Open(csvReport)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 7 {
		t.Fatalf("csv report: %v, %d records", err, len(recs))
	}
	failed := 0
	for _, r := range recs[1:] {
		if r[0] == "nobody@example.com" {
			if r[3] != "failed" || r[6] != "not found" {
				t.Errorf("nobody row %v", r)
			}
			failed++
		} else if r[3] != "skipped" {
			t.Errorf("row %v, want skipped", r)
		}
	}
	if failed != 2 {
		t.Errorf("%d failed rows, want 2", failed)
	}

	// History shows the journal.
	out.Reset()
	if code := History(HistoryOptions{Journal: jpath, Platform: "zoom"}, &out, &errb); code != 0 {
		t.Fatalf("history exit %d: %s", code, errb.String())
	}
	h := out.String()
	if !strings.Contains(h, "staff001@example.com") || !strings.Contains(h, "uploaded") || strings.Contains(h, "netex") {
		t.Errorf("history:\n%s", h)
	}
	if !strings.Contains(h, "nobody@example.com") || !strings.Contains(h, "not found") {
		t.Errorf("history lacks the failure:\n%s", h)
	}
}

func TestHistoryWithoutJournal(t *testing.T) {
	var out, errb bytes.Buffer
	if code := History(HistoryOptions{Journal: filepath.Join(t.TempDir(), "none.db")}, &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "Nothing recorded yet") {
		t.Errorf("out %q", out.String())
	}
	if code := History(HistoryOptions{Platform: "x"}, &out, &errb); code != 2 {
		t.Errorf("bad platform exit %d", code)
	}
}

func TestEventLineSanitisesAndFormats(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	line := eventLine(engine.Event{Time: at, Kind: engine.EventFailed, Platform: upload.Zoom, Person: "evil\x1b[31m@x", Path: "/p/evil\x1b]0;t\x07.jpg", Attempt: 2,
		Err: &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Status: 404, Message: "no\x1b[2Juser"}})
	if strings.ContainsAny(line, "\x1b\x07") {
		t.Errorf("escape sequences reached the line: %q", line)
	}
	if !strings.HasPrefix(line, "03:04:05 zoom     failed    evil") || !strings.Contains(line, "attempt 2") || !strings.Contains(line, "not found (HTTP 404)") {
		t.Errorf("line %q", line)
	}
	done := eventLine(engine.Event{Time: at, Kind: engine.EventDone, Platform: upload.Netex, Message: "3 sent"})
	if done != "03:04:05 netex    done 3 sent" {
		t.Errorf("done line %q", done)
	}
}
