package failures

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// earlierJournal holds failures from earlier runs: Jane's on Zoom (photo
// present), Kofi's on Netex (photo deleted since), Bob's on Igloo (sent
// again in this session), and one success that must not be listed.
func earlierJournal(t *testing.T) (*journal.Journal, string, string) {
	t.Helper()
	dir := t.TempDir()
	jane := filepath.Join(dir, "jane.doe@example.com.jpg")
	if err := os.WriteFile(jane, []byte("jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(filepath.Join(dir, "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	err = j.PutMany([]journal.Entry{
		{Person: "jane.doe@example.com", Platform: upload.Zoom, Path: jane, State: journal.StateFailed, Attempts: 2,
			Class: upload.ClassTooLarge, LastError: "HTTP 413: \x1b[31mRequest Entity Too Large", Updated: t0.Add(-2 * time.Hour)},
		{Person: "jane.doe@example.com", Platform: upload.Igloo, Path: jane, State: journal.StateUploaded, Updated: t0.Add(-2 * time.Hour)},
		{Person: "kofi.mensah@example.com", Platform: upload.Netex, Path: filepath.Join(dir, "kofi.jpg"), State: journal.StateFailed,
			Class: upload.ClassServer, LastError: "HTTP 503", Updated: t0.Add(-26 * time.Hour)},
		{Person: "bob.stone@example.com", Platform: upload.Igloo, Path: filepath.Join(dir, "bob.jpg"), State: journal.StateFailed,
			Class: upload.ClassNotFound, LastError: "HTTP 404", Updated: t0.Add(-time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return j, jane, dir
}

func earlierModel(t *testing.T, eng Engine, j *journal.Journal) *Model {
	t.Helper()
	now := t0
	var m *Model
	if eng == nil {
		m = New(common.NewCommon(common.ColorPlain), nil, WithClock(func() time.Time { return now }), WithJournal(j))
	} else {
		m = New(common.NewCommon(common.ColorPlain), eng, WithClock(func() time.Time { return now }), WithJournal(j))
	}
	m.SetSize(100, 24)
	return m
}

// batchMsgs runs cmd and, when it is a batch, each of its commands.
func batchMsgs(cmd tea.Cmd) []tea.Msg {
	msg := run(cmd)
	b, ok := msg.(tea.BatchMsg)
	if !ok {
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for _, c := range b {
		out = append(out, batchMsgs(c)...)
	}
	return out
}

func TestEarlierRunsFailuresAreListedWithoutAnUpload(t *testing.T) {
	j, _, _ := earlierJournal(t)
	m := earlierModel(t, nil, j)
	// Newest first: Bob (1 h ago), Jane (2 h), Kofi (26 h).
	want := []string{"[failed in earlier runs]", "j:igloo:bob.stone@example.com", "j:zoom:jane.doe@example.com", "j:netex:kofi.mensah@example.com"}
	if got := rowIDs(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	view := m.View()
	for _, want := range []string{
		"Failures: none this session · 3 from earlier runs",
		"failed in earlier runs (3)",
		"jane.doe@example.com", "2 h ago: HTTP 413",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "\x1b") {
		t.Errorf("an escape sequence from the journal reached the screen:\n%q", view)
	}
	if m.Failures() != 0 || m.Earlier() != 3 {
		t.Errorf("Failures %d Earlier %d, want 0 and 3", m.Failures(), m.Earlier())
	}
}

func TestEarlierFailureSentAgainInThisSessionIsNotListedTwice(t *testing.T) {
	j, _, _ := earlierJournal(t)
	eng := &fakeEngine{items: []engine.Item{
		failedItem("b1", upload.Igloo, "bob.stone@example.com", &upload.Error{Class: upload.ClassNotFound, Status: 404, Message: "no such user"}),
	}}
	m := earlierModel(t, eng, j)
	ids := strings.Join(rowIDs(m), " ")
	if strings.Contains(ids, "j:igloo:bob.stone") {
		t.Errorf("Bob's earlier Igloo failure is listed beside this session's: %s", ids)
	}
	if !strings.Contains(ids, "i:b1") || !strings.Contains(ids, "j:zoom:jane.doe") {
		t.Errorf("rows %s: want this session's b1 and Jane's earlier failure", ids)
	}
	if got := m.titleLine(); !strings.Contains(got, "1 upload failed") || !strings.Contains(got, "2 from earlier runs") {
		t.Errorf("title %q", got)
	}
}

func TestEarlierFailureIsSentAgainToItsPlatformOnly(t *testing.T) {
	j, jane, _ := earlierJournal(t)
	m := earlierModel(t, nil, j)
	cursorTo(t, m, "j:zoom:jane.doe@example.com")
	msgs := batchMsgs(m.Update(keyMsg("r")))
	want := common.StartUploadMsg{Requests: []common.UploadRequest{{Path: jane, Person: "jane.doe@example.com", Platforms: []upload.Platform{upload.Zoom}}}}
	if len(msgs) != 1 || !reflect.DeepEqual(msgs[0], want) {
		t.Fatalf("r: %#v, want %#v", msgs, want)
	}
	if got := run(m.Update(keyMsg("c"))); got != (common.OpenCorrectMsg{Path: jane, Person: "jane.doe@example.com"}) {
		t.Errorf("c: %#v", got)
	}
}

func TestSendAllAgainReportsPhotosThatAreGone(t *testing.T) {
	j, jane, _ := earlierJournal(t)
	m := earlierModel(t, nil, j)
	cursorTo(t, m, "j:netex:kofi.mensah@example.com")
	msgs := batchMsgs(m.Update(keyMsg("R")))
	var start *common.StartUploadMsg
	var status string
	for _, msg := range msgs {
		switch msg := msg.(type) {
		case common.StartUploadMsg:
			start = &msg
		case common.StatusMsg:
			status = msg.Text
		}
	}
	if start == nil || len(start.Requests) != 1 || start.Requests[0].Path != jane {
		t.Fatalf("R sent %#v, want Jane's photo only (Bob's and Kofi's files are gone)", start)
	}
	if !strings.Contains(status, "no longer there") || !strings.Contains(status, "kofi.jpg") || !strings.Contains(status, "bob.jpg") {
		t.Errorf("status %q: want the gone files named", status)
	}
}

func TestEarlierFailuresFollowTheJournal(t *testing.T) {
	j, _, dir := earlierJournal(t)
	m := earlierModel(t, nil, j)
	if err := j.Put(journal.Entry{Person: "ana.lima@example.com", Platform: upload.Rhombus, Path: filepath.Join(dir, "ana.jpg"),
		State: journal.StateFailed, Class: upload.ClassRejected, LastError: "HTTP 400", Updated: t0}); err != nil {
		t.Fatal(err)
	}
	if err := j.Put(journal.Entry{Person: "jane.doe@example.com", Platform: upload.Zoom, State: journal.StateUploaded, Updated: t0}); err != nil {
		t.Fatal(err)
	}
	m.Update(common.JournalChangedMsg{})
	ids := strings.Join(rowIDs(m), " ")
	if !strings.Contains(ids, "j:rhombus:ana.lima") || strings.Contains(ids, "j:zoom:jane.doe") {
		t.Errorf("after the journal changed, rows %s: want Ana's new failure and not Jane's (now uploaded)", ids)
	}
}

// Only the platforms configured now are listed: an earlier failure on a
// platform since removed from the config cannot be sent again from here.
func TestEarlierFailuresOfPlatformsNotConfiguredAreNotListed(t *testing.T) {
	j, _, _ := earlierJournal(t)
	now := t0
	m := New(common.NewCommon(common.ColorPlain), nil, WithClock(func() time.Time { return now }), WithJournal(j, upload.Zoom, upload.Rhombus))
	if got, want := rowIDs(m), []string{"[failed in earlier runs]", "j:zoom:jane.doe@example.com"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
}

// m on an earlier "person not found" opens the person prompt at once, as
// for this session's, aimed at the platform that did not know the person.
func TestEarlierNotFoundRemapsToItsPlatform(t *testing.T) {
	j, _, dir := earlierJournal(t)
	bob := filepath.Join(dir, "bob.jpg")
	if err := os.WriteFile(bob, []byte("jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := earlierModel(t, nil, j)
	cursorTo(t, m, "j:igloo:bob.stone@example.com")
	want := common.OpenCorrectMsg{Path: bob, Person: "bob.stone@example.com", Remap: true, Platform: upload.Igloo}
	if got := run(m.Update(keyMsg("m"))); got != want {
		t.Fatalf("m: %#v, want %#v", got, want)
	}
	if !strings.Contains(fmt.Sprint(m.ShortHelp()), "remap") {
		t.Errorf("footer lacks m remap on a not-found row: %v", m.ShortHelp())
	}
	cursorTo(t, m, "j:zoom:jane.doe@example.com")
	if strings.Contains(fmt.Sprint(m.ShortHelp()), "remap") {
		t.Errorf("footer offers m remap on a too-large row: %v", m.ShortHelp())
	}
}
