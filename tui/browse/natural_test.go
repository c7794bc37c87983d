package browse

import (
	"sort"
	"strings"
	"testing"
)

func TestNaturalOrder(t *testing.T) {
	names := []string{"staff10.jpg", "staff2.jpg", "Bob.png", "alice.png", "staff1.jpg", "staff002.jpg", "staff100.jpg", "x"}
	sort.Slice(names, func(a, b int) bool { return naturalLess(names[a], names[b]) })
	want := "alice.png,Bob.png,staff1.jpg,staff002.jpg,staff2.jpg,staff10.jpg,staff100.jpg,x"
	if got := strings.Join(names, ","); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
