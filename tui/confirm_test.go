package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/sandbox"
)

// y pressed while the send question is still checking the photos is not
// dropped in silence: nothing is sent, the dialog says it is still
// checking and to answer again, and once the plan shows the note goes.
// The dialog with the note still fits a 40x12 terminal.
func TestEarlyYesWhileCheckingIsAnswered(t *testing.T) {
	_, clients := sandboxClients(t, sandbox.Options{Users: sandbox.Roster(3)})
	m := New(Options{Dir: t.TempDir(), Color: common.ColorNone, Clients: clients})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	path := filepath.Join(t.TempDir(), "staff001@example.com.jpg")
	m.Update(common.StartUploadMsg{Requests: []common.UploadRequest{{Path: path, Person: "staff001@example.com"}}})
	if ok, pl := m.ConfirmingSend(); !ok || pl != nil {
		t.Fatalf("want the question, still checking; showing %v, plan %v", ok, pl)
	}
	before := m.View()
	if strings.Contains(before, "Still checking") {
		t.Fatalf("the note shows before any key:\n%s", before)
	}
	for _, k := range []string{"y", "enter"} {
		m.Update(keyMsg(k))
		if ok, _ := m.ConfirmingSend(); !ok || m.Engine() != nil {
			t.Fatalf("%s while checking: question gone (%v) or engine started (%v)", k, !ok, m.Engine() != nil)
		}
		v := m.View()
		if !strings.Contains(v, "Still checking: nothing sent.") || !strings.Contains(v, "Answer when the plan shows.") {
			t.Fatalf("%s while checking left no trace on screen:\n%s", k, v)
		}
		for _, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("line of %d columns at 80x24: %q", w, l)
			}
		}
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 12})
	if v := m.View(); !strings.ContainsAny(v, "╰└") || !strings.Contains(v, "Answer when the plan shows.") {
		t.Errorf("at 40x12 the dialog with the note is cut:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(planReadyMsg{id: m.confirm.id, plan: engine.Plan{Photos: 1, Uploads: len(clients)}})
	if ok, pl := m.ConfirmingSend(); !ok || pl == nil {
		t.Fatalf("plan not shown after it came: %v %v", ok, pl)
	}
	if v := m.View(); strings.Contains(v, "Still checking") || !strings.Contains(v, "Send ") {
		t.Fatalf("once the plan shows, it replaces the note:\n%s", v)
	}
}

// The send question with held photos fits 80x24 and 40x12: at 80x24 it
// lists them, and on the short terminal it leaves the list out (the
// sentence counts them) so the keys and the bottom border still show.
func TestSendQuestionFitsNarrowTerminals(t *testing.T) {
	held := []engine.HeldPhoto{
		{Path: "/p/chloe.martin@example.com.jpg", Reasons: []string{"face confidence 41% (under 50%)"}},
		{Path: "/p/staff001@example.com.png", Reasons: []string{"too small: 1x1 px is not a photo"}},
		{Path: "/p/sven.lund@example.com.jpg", Reasons: []string{"very dark"}},
	}
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		m := newTestModel(t, t.TempDir())
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m.confirm = &sendConfirm{id: 1, reqs: make([]common.UploadRequest, 14), cancel: func() {},
			plan: &engine.Plan{Photos: 11, Uploads: 77, Held: held, Platforms: upload.Platforms(),
				Slowest: engine.Estimate{Platform: upload.Interact, Rate: upload.Rate{N: 20, Per: time.Minute}, Uploads: 11, Time: 30 * time.Second}}}
		v := ansi.Strip(m.View())
		for _, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line of %d columns: %q", size[0], size[1], w, l)
			}
		}
		text := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
		wants := []string{"3 held for review", "y/enter send n/esc back"}
		if size[0] == 80 {
			wants = append(wants, "Held, not sent (approve with a on the Correct screen):")
		}
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%dx%d: %q not shown whole:\n%s", size[0], size[1], want, v)
			}
		}
		if !strings.ContainsAny(v, "╰└") {
			t.Errorf("%dx%d: the dialog's bottom is cut:\n%s", size[0], size[1], v)
		}
		if size[0] == 80 && !strings.Contains(v, "sven.lund") {
			t.Errorf("80x24 has room for every held photo:\n%s", v)
		}
	}
}
