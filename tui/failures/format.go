package failures

import (
	"fmt"
	"math"
	"time"
)

// humanBytes formats a byte count in binary units (1.4 MB, 48 KB, 512 B).
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return trim1(float64(n)/(1<<20)) + " MB"
	case n >= 1<<10:
		return trim1(float64(n)/(1<<10)) + " KB"
	case n < 0:
		return "?"
	}
	return fmt.Sprintf("%d B", n)
}

// trim1 prints f with one decimal, dropping a trailing ".0".
func trim1(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// countdown formats the time left until t as m:ss (h:mm:ss past an hour),
// rounding up so it never shows 0:00 while still waiting; "" when t is not
// in the future.
func countdown(now, t time.Time) string {
	if t.IsZero() || !t.After(now) {
		return ""
	}
	secs := int(math.Ceil(t.Sub(now).Seconds()))
	if secs >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// pct is a fraction as a whole percentage.
func pct(f float64) int { return int(f*100 + 0.5) }
