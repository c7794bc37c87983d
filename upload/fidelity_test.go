package upload_test

import (
	"os"
	"strings"
	"testing"

	"headshot/upload"
	_ "headshot/upload/all" // every platform registered
)

// sourceKinds are the ways docs/fidelity.md may say where a detail comes
// from; every row of a platform's table names at least one.
var sourceKinds = []string{"vendor:", "seed:", "spec [D]", "client code:", "assumed"}

// TestFidelityTablePerPlatform checks that docs/fidelity.md has, for every
// registered platform, a section whose table says for each request
// or answer detail where it comes from.
func TestFidelityTablePerPlatform(t *testing.T) {
	data, err := os.ReadFile("../docs/fidelity.md")
	if err != nil {
		t.Fatalf("docs/fidelity.md: %v", err)
	}
	sections := map[string][]string{}
	var cur string
	for _, line := range strings.Split(string(data), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			cur = strings.TrimSpace(h)
			continue
		}
		if cur != "" {
			sections[cur] = append(sections[cur], line)
		}
	}
	platforms := upload.Platforms()
	if len(platforms) < 5 {
		t.Fatalf("%d platforms registered", len(platforms))
	}
	for _, p := range platforms {
		lines, ok := sections[p.Title()]
		if !ok {
			t.Errorf("docs/fidelity.md has no section \"## %s\"", p.Title())
			continue
		}
		checkFidelityTable(t, p.Title(), lines)
	}
}

func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(strings.TrimSuffix(row, "|"), "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func checkFidelityTable(t *testing.T, title string, lines []string) {
	t.Helper()
	source := -1
	rows := 0
	for _, line := range lines {
		if !strings.HasPrefix(strings.TrimSpace(line), "|") {
			continue
		}
		c := cells(line)
		if source < 0 {
			for i, h := range c {
				if h == "Source" {
					source = i
				}
			}
			if source < 0 {
				t.Errorf("%s: the table header %q has no Source column", title, line)
				return
			}
			continue
		}
		if strings.Trim(strings.Join(c, ""), "-: ") == "" {
			continue // the separator row
		}
		rows++
		if source >= len(c) {
			t.Errorf("%s: row %q has no Source cell", title, line)
			continue
		}
		named := false
		for _, k := range sourceKinds {
			if strings.Contains(c[source], k) {
				named = true
			}
		}
		if !named {
			t.Errorf("%s: row %q: the source %q is none of %v", title, c[0], c[source], sourceKinds)
		}
	}
	if rows < 5 {
		t.Errorf("%s: %d rows; a platform's table lists every detail headshot relies on", title, rows)
	}
}
