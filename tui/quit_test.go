package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"headshot/upload/cli"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// The line printed after quitting mid-upload fits the terminal it is
// printed on (80 columns when unknown), broken at spaces: every word of
// the summary is kept, none is cut.
func TestQuitLinesFitTheTerminal(t *testing.T) {
	var items []engine.Item
	add := func(n int, st journal.State) {
		for i := 0; i < n; i++ {
			items = append(items, engine.Item{State: st})
		}
	}
	add(1234, journal.StateUploaded)
	add(12, engine.StateSkipped)
	add(5, engine.StateHeld)
	add(33, journal.StateFailed)
	add(2000, journal.StateQueued)
	whole := cli.QuitSummary(items, "headshot history")
	if ansi.StringWidth(whole) <= 80 {
		t.Fatalf("the summary %q fits 80 columns: not a test of breaking it", whole)
	}
	for _, w := range []int{0, 80, 40} {
		lines := quitLines(items, "headshot history", w)
		limit := w
		if w == 0 {
			limit = 80
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > limit {
				t.Errorf("width %d: line %q is %d columns", w, l, ansi.StringWidth(l))
			}
		}
		if got := strings.Join(lines, " "); got != whole {
			t.Errorf("width %d: lines %q\nsay %q, want %q", w, lines, got, whole)
		}
	}
	if got := quitLines(items[:1234], "headshot history", 80); got != nil {
		t.Errorf("nothing unsent, yet %q", got)
	}
}
