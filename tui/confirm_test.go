package tui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/tui/common"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/sandbox"
)

// y pressed while the send question is still checking the photos is not
// dropped in silence: nothing is sent, the dialog says it is still
// checking and to answer again, and once the plan shows the note goes.
func TestEarlyYesWhileCheckingIsAnswered(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{Users: sandbox.Roster(3)})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	clients, _ := config.FromValues(sb.Credentials()).Clients()
	if len(clients) == 0 {
		t.Fatal("no sandbox clients")
	}
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
		if !strings.Contains(v, "Still checking: nothing sent yet.") || !strings.Contains(v, "Answer again when the plan shows.") {
			t.Fatalf("%s while checking left no trace on screen:\n%s", k, v)
		}
		for _, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("line of %d columns at 80x24: %q", w, l)
			}
		}
	}
	m.Update(planReadyMsg{id: m.confirm.id, plan: engine.Plan{Photos: 1, Uploads: len(clients)}})
	if ok, pl := m.ConfirmingSend(); !ok || pl == nil {
		t.Fatalf("plan not shown after it came: %v %v", ok, pl)
	}
	if v := m.View(); strings.Contains(v, "Still checking") || !strings.Contains(v, "Send ") {
		t.Fatalf("once the plan shows, it replaces the note:\n%s", v)
	}
}
