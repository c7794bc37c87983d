package panes

import (
	"fmt"
	"math"
	"time"

	"headshot/upload"
)

// Countdown formats the time left until t as m:ss, rounding up so a
// platform never shows 0:00 while it is still waiting. Past or zero times
// give "".
func Countdown(now, t time.Time) string {
	if t.IsZero() || !t.After(now) {
		return ""
	}
	secs := int(math.Ceil(t.Sub(now).Seconds()))
	if secs >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// RateVsLimit shows an achieved rate (requests per second) in the unit of
// the platform's limit: "18.9/20 per s", "5.8/6 per min".
func RateVsLimit(perSecond float64, limit upload.Rate) string {
	if limit.N <= 0 || limit.Per <= 0 {
		return fmt.Sprintf("%.1f per s", perSecond)
	}
	unit, per := "s", limit.Per.Seconds()
	switch {
	case limit.Per >= time.Hour:
		unit = "h"
	case limit.Per >= time.Minute:
		unit = "min"
	}
	scale := map[string]float64{"s": 1, "min": 60, "h": 3600}[unit]
	n := float64(limit.N) * scale / per
	return fmt.Sprintf("%s/%s per %s", trimFloat(perSecond*scale), trimFloat(n), unit)
}

func trimFloat(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}
