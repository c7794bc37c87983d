package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"headshot/upload"
	"headshot/upload/journal"
)

// historyJournal writes a journal with a long-named person's upload, a
// failure with a long server message (with an escape sequence and a C1
// control in it), and entries recorded with a relative and an absolute
// path, as the browser and headless runs record them.
func historyJournal(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 7, 26, 0, 0, time.UTC)
	for _, e := range []journal.Entry{
		{Person: "alexandra.konstantinopoulou-smythe@example.com", Platform: upload.Zoom, Path: "/home/tech/photos/alexandra.konstantinopoulou-smythe@example.com.jpg",
			State: journal.StateUploaded, Attempts: 1, Bytes: 56851, Updated: at},
		{Person: "new.starter@example.com", Platform: upload.Igloo, Path: "photos/new.starter@example.com.jpg", State: journal.StateFailed,
			Attempts: 2, Class: upload.ClassNotFound, LastError: "no Igloo member matches new.starter@example.com exactly (0 search hits) \x1b[31mred\u009b2J", Updated: at},
	} {
		if err := j.Put(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// history fits the width it is given ($COLUMNS when not a terminal, 80
// when unset): at 80 and 40 columns no line is wider, the optional columns
// go first, the last error is wrapped (never lost but for a long tail), and
// files are shown one way, by name, however the run recorded the path.
func TestHistoryFitsTheWidth(t *testing.T) {
	jpath := historyJournal(t)
	for _, width := range []int{40, 80, 200} {
		t.Setenv("COLUMNS", "")
		if width != 80 {
			t.Setenv("COLUMNS", strconv.Itoa(width))
		}
		var out, errb bytes.Buffer
		if code := History(HistoryOptions{Journal: jpath}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		s := out.String()
		for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line of %d columns: %q", width, w, l)
			}
		}
		if strings.ContainsAny(s, "\x1b\u009b") {
			t.Errorf("width %d: an escape sequence reached the terminal: %q", width, s)
		}
		flat := strings.Join(strings.Fields(s), " ")
		if !strings.Contains(flat, "not found: no Igloo member matches new.starter@example.com exactly") {
			t.Errorf("width %d: the last error is lost:\n%s", width, s)
		}
		header := strings.SplitN(s, "\n", 2)[0]
		switch width {
		case 40:
			if strings.Contains(header, "UPDATED") || strings.Contains(header, "BYTES") || !strings.Contains(s, "…") {
				t.Errorf("40 columns: optional columns kept or the long name not cut:\n%s", s)
			}
		case 80:
			if !strings.Contains(header, "UPDATED") || strings.Contains(header, "FILE") {
				t.Errorf("80 columns: want UPDATED, not FILE:\n%s", s)
			}
		case 200:
			if !strings.Contains(header, "FILE") || !strings.Contains(header, "ATTEMPTS") ||
				!strings.Contains(s, "  new.starter@example.com.jpg") || strings.Contains(s, "photos/") {
				t.Errorf("200 columns: want every column, files by name:\n%s", s)
			}
		}
	}
}

// --json prints every entry with the documented, stable field names, the
// path as recorded; control characters are escaped, C1 ones too.
func TestHistoryJSON(t *testing.T) {
	jpath := historyJournal(t)
	var out, errb bytes.Buffer
	if code := History(HistoryOptions{Journal: jpath, JSON: true}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.ContainsAny(out.String(), "\x1b\u009b") {
		t.Errorf("raw control characters in the JSON: %q", out.String())
	}
	var got []map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 2 {
		t.Fatalf("not a JSON array of 2 (%v):\n%s", err, out.String())
	}
	fail := got[1]
	if got[0]["platform"] == "igloo" {
		fail = got[0]
	}
	want := map[string]any{"person": "new.starter@example.com", "platform": "igloo", "state": "failed", "attempts": 2.0, "bytes": 0.0,
		"updated": "2026-12-03T07:26:00Z", "file": "photos/new.starter@example.com.jpg", "error_class": "not found"}
	for k, v := range want {
		if fail[k] != v {
			t.Errorf("%s = %v, want %v (%v)", k, fail[k], v, fail)
		}
	}
	if e, _ := fail["error"].(string); !strings.HasPrefix(e, "no Igloo member matches new.starter@example.com exactly") {
		t.Errorf("error %q", e)
	}
	// A file name holding an escape sequence or a C1 control keeps its
	// exact text in the JSON, escaped so a terminal prints it inert.
	var b bytes.Buffer
	if err := writeHistoryJSON(&b, []journal.Entry{{Person: "evil\x1b]0;t\x07\u009b2J\u202e@x"}}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07\u009b\u202e") || !strings.Contains(b.String(), `\u009b2J\u202e@x`) {
		t.Errorf("JSON %q", b.String())
	}
	var back []historyEntry
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back[0].Person != "evil\x1b]0;t\x07\u009b2J\u202e@x" {
		t.Errorf("round trip: %v %+v", err, back)
	}
	for _, k := range strings.Fields("person platform state attempts bytes updated file error_class error partial") {
		if !strings.Contains(HistoryJSONHelp, k) {
			t.Errorf("--help does not document %q", k)
		}
	}
	out.Reset()
	History(HistoryOptions{Journal: filepath.Join(t.TempDir(), "none.db"), JSON: true}, &out, &errb)
	if strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("no journal: %q, want []", out.String())
	}
}
