package cli

import (
	"fmt"
	"strings"

	"headshot/upload/engine"
	"headshot/upload/journal"
)

// QuitSummary is the one line the browser prints on the normal screen
// after quitting while uploads were still going: the session's uploads
// counted in the headless summary's words, then "; details: " and
// details (where to read more; "" says nothing more), or "" when nothing
// was left unsent (nothing to tell; a queue canceled in the panes is
// counted as canceled, not as cut short by the quit):
//
//	headshot: 12 uploaded, 3 failed, 20 not sent (quit during upload); details: headshot history
//
// An upload the quit cut off while its request was under way is counted
// apart ("1 cut off mid-send (may have arrived)"): it may be on the
// platform, so "not sent" would be wrong.
func QuitSummary(items []engine.Item, details string) string {
	var uploaded, skipped, held, canceled, failed, unsent, cutOff int
	for _, it := range items {
		switch it.State {
		case journal.StateUploaded, engine.StateChecked:
			uploaded++
		case engine.StateSkipped:
			skipped++
		case engine.StateHeld:
			held++
		case engine.StateCanceled:
			// Canceled in the panes before the quit: not cut short by it.
			canceled++
		case journal.StateFailed:
			failed++
		default: // queued, uploading, interrupted
			if it.CutOff {
				cutOff++ // under way when the quit cut it off: may be there
			} else {
				unsent++
			}
		}
	}
	if unsent+cutOff == 0 {
		return ""
	}
	parts := []string{fmt.Sprintf("%d uploaded", uploaded)}
	if skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped (unchanged)", skipped))
	}
	if held > 0 {
		parts = append(parts, fmt.Sprintf("%d held", held))
	}
	if canceled > 0 {
		parts = append(parts, fmt.Sprintf("%d canceled", canceled))
	}
	parts = append(parts, fmt.Sprintf("%d failed", failed))
	if unsent > 0 {
		parts = append(parts, fmt.Sprintf("%d not sent (quit during upload)", unsent))
	}
	if cutOff > 0 {
		parts = append(parts, fmt.Sprintf("%d cut off mid-send (may have arrived)", cutOff))
	}
	line := "headshot: " + strings.Join(parts, ", ")
	if details != "" {
		line += "; details: " + details
	}
	return line
}
