package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/journal"
	"headshot/upload/sandbox"
)

// live runs the root like tea.Program does: every command in its own
// goroutine, messages handled one at a time on this goroutine.
type live struct {
	t    *testing.T
	m    *Model
	msgs chan tea.Msg
	seen []tea.Msg
}

func newLive(t *testing.T, m *Model) *live {
	return &live{t: t, m: m, msgs: make(chan tea.Msg, 1024)}
}

func (l *live) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				l.exec(c)
			}
			return
		}
		if msg != nil {
			l.msgs <- msg
		}
	}()
}

func (l *live) send(msg tea.Msg) {
	_, cmd := l.m.Update(msg)
	l.exec(cmd)
}

// until handles messages until cond holds. The deadline only keeps a
// broken build from hanging CI; nothing is asserted about time.
func (l *live) until(what string, cond func(tea.Msg) bool) tea.Msg {
	l.t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case msg := <-l.msgs:
			l.seen = append(l.seen, msg)
			if _, ok := msg.(tea.QuitMsg); !ok {
				l.send(msg)
			}
			if cond(msg) {
				return msg
			}
		case <-deadline:
			l.t.Fatalf("never saw %s; screen:\n%s", what, l.m.View())
			return nil
		}
	}
}

// sandboxClients starts a sandbox with o for the test and returns it and a
// client for every platform this build has one for (Clients reports the
// missing ones and returns the rest).
func sandboxClients(t *testing.T, o sandbox.Options) (*sandbox.Sandbox, []upload.Client) {
	t.Helper()
	sb, err := sandbox.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	clients, _ := config.FromValues(sb.Credentials()).Clients()
	if len(clients) == 0 {
		t.Fatal("no sandbox clients")
	}
	return sb, clients
}

func TestUploadThroughTheSandbox(t *testing.T) {
	sb, clients := sandboxClients(t, sandbox.Options{RateScale: 20, Users: sandbox.Roster(3)})
	dir := t.TempDir()
	writePortrait(t, filepath.Join(dir, "staff001@example.com.jpg"))
	writePortrait(t, filepath.Join(dir, "staff002@example.com.jpg"))
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()

	m := New(Options{Dir: dir, Color: common.ColorPlain, Clients: clients, Journal: j,
		Prep: imageprep.Options{Crop: imageprep.MethodCenter}})
	l := newLive(t, m)
	l.exec(m.Init())
	l.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	l.until("the listing", func(tea.Msg) bool { return strings.Contains(m.View(), "staff002") })

	l.send(keyMsg("space")) // select staff001, cursor to staff002
	l.send(keyMsg("u"))
	l.confirmSend(len(clients))
	if m.Screen() != common.ScreenUpload {
		t.Fatalf("u should show the upload screen, got %v (status %q)", m.Screen(), m.Status())
	}
	if m.Engine() == nil {
		t.Fatal("engine not started")
	}
	uploaded := map[upload.Platform]bool{}
	l.until("an upload on every platform", func(msg tea.Msg) bool {
		if ev, ok := msg.(common.UploadEventMsg); ok && ev.Event.Kind == engine.EventUploaded {
			if ev.Event.Person != "staff001@example.com" {
				t.Errorf("uploaded %s, only staff001 was selected", ev.Event.Person)
			}
			uploaded[ev.Event.Platform] = true
		}
		return len(uploaded) == len(clients)
	})
	got := map[string]int{}
	for _, r := range sb.Received() {
		got[r.User]++
	}
	if got["staff001@example.com"] != len(clients) || got["staff002@example.com"] != 0 {
		t.Fatalf("sandbox received %v", got)
	}

	// Back in the browser the journal shows the photo sent everywhere.
	l.send(keyMsg("esc"))
	want := strings.TrimSpace(strings.Repeat("✓  ", len(clients)))
	l.until("the journal status", func(tea.Msg) bool {
		for _, line := range strings.Split(m.View(), "\n") {
			if strings.Contains(line, "staff001@example.com.jpg") && strings.Contains(line, want) {
				return true
			}
		}
		return false
	})

	// Quitting once the queues are drained does not ask; the engine is
	// closed before the program ends.
	l.until("drained queues", func(tea.Msg) bool { return !m.up.busy() })
	l.send(keyMsg("q"))
	if m.ConfirmingQuit() {
		t.Fatal("nothing in flight: no question")
	}
	l.until("quit", func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok })
	if !m.up.closed {
		t.Fatal("engine not closed on quit")
	}
}

// confirmSend waits for the send question's plan, checks it shows on
// screen with uploads uploads, and answers y.
func (l *live) confirmSend(uploads int) {
	l.t.Helper()
	l.until("the send question's plan", func(msg tea.Msg) bool { _, ok := msg.(planReadyMsg); return ok })
	ok, pl := l.m.ConfirmingSend()
	if !ok || pl == nil || pl.Uploads != uploads {
		l.t.Fatalf("send question: showing %v, plan %+v, want %d uploads\n%s", ok, pl, uploads, l.m.View())
	}
	if v := l.m.View(); !strings.Contains(v, "Send ") || !strings.Contains(v, "y/enter") {
		l.t.Fatalf("the send question is not on screen:\n%s", v)
	}
	if l.m.Engine() != nil && len(l.m.Engine().Items()) > 0 {
		l.t.Fatal("something was queued before the answer")
	}
	l.send(keyMsg("y"))
}

func TestQuitDuringUploadAsksAndRecordsInterrupted(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{RateScale: 1, Users: sandbox.Roster(40),
		Faults: sandbox.Faults{Latency: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	cfg := config.FromValues(sb.Credentials())
	cl, err := cfg.Client(upload.Zoom)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := 1; i <= 3; i++ {
		writePortrait(t, filepath.Join(dir, fmt.Sprintf("staff%03d@example.com.jpg", i)))
	}
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	m := New(Options{Dir: dir, Color: common.ColorPlain, Clients: []upload.Client{cl}, Journal: j,
		Prep: imageprep.Options{Crop: imageprep.MethodCenter}})
	l := newLive(t, m)
	l.exec(m.Init())
	l.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	l.until("the listing", func(tea.Msg) bool { return strings.Contains(m.View(), "staff003") })
	l.send(keyMsg("a"))
	l.send(keyMsg("u"))
	l.confirmSend(3)
	l.until("an upload in flight", func(msg tea.Msg) bool {
		ev, ok := msg.(common.UploadEventMsg)
		return ok && ev.Event.Kind == engine.EventUploading
	})
	l.send(keyMsg("q"))
	if !m.ConfirmingQuit() || !strings.Contains(m.View(), "Quit now?") {
		t.Fatalf("quit with uploads in flight must ask:\n%s", m.View())
	}
	l.send(keyMsg("y"))
	l.until("quit", func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok })
	all, err := j.All()
	if err != nil {
		t.Fatal(err)
	}
	interrupted := 0
	for _, e := range all {
		if e.State == journal.StateUploading {
			t.Fatalf("entry left uploading after quit: %+v", e)
		}
		if e.State == journal.StateInterrupted {
			interrupted++
		}
	}
	if interrupted == 0 {
		t.Fatalf("the in-flight upload should be recorded interrupted: %+v", all)
	}
}
