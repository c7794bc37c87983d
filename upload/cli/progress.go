package cli

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"headshot/upload"
	"headshot/upload/engine"
)

// progressLine is the live line of a run on a terminal: overall counts and
// elapsed time, then each platform still working with its count, achieved
// rate (in its limit's unit) and time left, then the finished ones:
//
//	0:42 31/42 finished · interact 3/6 5.8/min left ~0:31 · zoom ✓6 · rhombus ✓5 ✗1
//
// A platform waiting out a 429 shows the wait (with what it answered:
// throttleText); a paused one says so.
func progressLine(now, start time.Time, stats []engine.PlatformStats) string {
	total, settled := 0, 0
	var working, finished []string
	for _, s := range stats {
		n := s.Done + s.Failed + s.Skipped + s.Held
		total += s.Total
		settled += n
		counts := countsText(s)
		left := s.Queued + s.InFlight
		if left == 0 {
			finished = append(finished, string(s.Platform)+" "+counts)
			continue
		}
		seg := fmt.Sprintf("%s %d/%d", s.Platform, n, s.Total)
		if s.Failed > 0 {
			seg += fmt.Sprintf(" ✗%d", s.Failed)
		}
		switch {
		case s.Paused:
			seg += " paused"
		case s.ThrottledUntil.After(now):
			seg += " " + throttleText(s.ThrottleStatus) + ", wait " + clock(s.ThrottledUntil.Sub(now))
		case s.Rate <= 0 && s.Limit.N > 0:
			// No answer yet in the rate's window: the pace it is held to.
			seg += " limit " + rateText(s.Limit.PerSecond(), s.Limit)
			if eta := timeLeft(s, left); eta > 0 {
				seg += " left ~" + clock(eta)
			}
		default:
			seg += " " + rateText(s.Rate, s.Limit)
			if eta := timeLeft(s, left); eta > 0 {
				seg += " left ~" + clock(eta)
			}
		}
		working = append(working, seg)
	}
	head := fmt.Sprintf("%s %d/%d finished", clock(now.Sub(start)), settled, total)
	return strings.Join(append(append([]string{head}, working...), finished...), " · ")
}

// countsText is a finished platform's counts: "✓6", "✓5 ✗1 ?1".
func countsText(s engine.PlatformStats) string {
	out := fmt.Sprintf("✓%d", s.Done)
	if s.Skipped > 0 {
		out += fmt.Sprintf(" =%d", s.Skipped)
	}
	if s.Failed > 0 {
		out += fmt.Sprintf(" ✗%d", s.Failed)
	}
	if s.Held > 0 {
		out += fmt.Sprintf(" ?%d", s.Held)
	}
	return out
}

// timeLeft is how long a platform needs for its remaining uploads: at the
// rate it achieves, or at its limit before it has a measured rate.
func timeLeft(s engine.PlatformStats, left int) time.Duration {
	perSecond := s.Rate
	if limit := s.Limit.PerSecond(); perSecond <= 0 || (limit > 0 && perSecond > limit) {
		perSecond = limit
	}
	if perSecond <= 0 {
		return 0
	}
	return time.Duration(float64(left) / perSecond * float64(time.Second))
}

// rateText is an achieved rate in the unit of the platform's limit:
// "5.8/min", "18/s" ("0/min" before the first answer).
func rateText(perSecond float64, limit upload.Rate) string {
	unit, scale := "s", 1.0
	switch {
	case limit.Per >= time.Hour:
		unit, scale = "h", 3600
	case limit.Per >= time.Minute:
		unit, scale = "min", 60
	}
	v := perSecond * scale
	if v == math.Trunc(v) || v >= 10 {
		return fmt.Sprintf("%.0f/%s", v, unit)
	}
	return fmt.Sprintf("%.1f/%s", v, unit)
}

// clock is a duration as m:ss (h:mm:ss from an hour), rounded up so a
// wait never shows 0:00 while it lasts.
func clock(d time.Duration) string {
	secs := int(math.Ceil(d.Seconds()))
	if secs < 0 {
		secs = 0
	}
	if secs >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// throttleText is what a throttled platform answered, as the live line
// names it: Google's quota refusal (403) as "403 quota", else the status
// (429, or Graph's 503 or 504 with Retry-After), 429 when none is known.
// It said "429" for all of them, where the panes say "quota" or
// "throttled" (engine.PlatformStats.ThrottleStatus).
func throttleText(status int) string {
	switch status {
	case 0:
		return "429"
	case http.StatusForbidden:
		return "403 quota"
	}
	return strconv.Itoa(status)
}
