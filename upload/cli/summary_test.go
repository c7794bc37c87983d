package cli

import (
	"bytes"
	"strings"
	"testing"

	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// The headless summary counts 413s as the panes do: four answered too
// large and re-encoded, all four failed again, is "too large: 4,
// re-encoded and sent: 0".
func TestSummaryCountsTooLargeAsSent(t *testing.T) {
	var rows []reportRow
	for _, p := range []string{"a", "b", "c", "d"} {
		rows = append(rows, reportRow{Platform: string(upload.Zoom), Person: p + "@example.com", File: p + ".jpg", State: string(journal.StateFailed)})
	}
	stats := []engine.PlatformStats{{Platform: upload.Zoom, Total: 4, Failed: 4, Reencoded: 4, TooLarge: 4}}
	var b bytes.Buffer
	if ok := printSummary(&b, rows, stats, false, nil); ok {
		t.Fatalf("four failures summarised as all OK:\n%s", b.String())
	}
	out := b.String()
	if !strings.Contains(out, "too large: 4, re-encoded and sent: 0") || !strings.Contains(out, "4 failed") {
		t.Fatalf("summary:\n%s", out)
	}
}
