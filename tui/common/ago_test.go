package common

import (
	"testing"
	"time"
)

func TestAgoIsCoarse(t *testing.T) {
	now := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	cases := map[time.Duration]string{
		10 * time.Second:             "just now",
		5*time.Minute + time.Second:  "5 min ago",
		2*time.Hour + 59*time.Minute: "2 h ago",
		72 * time.Hour:               "3 d ago",
	}
	for d, want := range cases {
		if got := Ago(now.Add(-d), now); got != want {
			t.Errorf("Ago(-%v) = %q, want %q", d, got, want)
		}
	}
	if got := Ago(time.Time{}, now); got != "" {
		t.Errorf("zero time: %q", got)
	}
}
