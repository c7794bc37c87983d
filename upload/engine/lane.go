package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"headshot/upload"
	"headshot/upload/journal"
)

// Pace control: multiplicative decrease on a 429 episode; additive
// increase with time while requests succeed: quickly back to just under the
// pace the last 429 came at, then slowly probing above it (so a limit lower
// than configured is found and then met about once a minute or less, and a
// one-off 429 costs little), never below minPace.
const (
	paceDecrease = 0.8
	paceRecover  = 0.05   // per second of success, up to just under the last 429's pace
	paceProbe    = 0.0003 // per second of success, above it
	probeMargin  = 0.97   // "just under": this fraction of the last 429's pace
	minPace      = 0.1
	maxThrottles = 30 // 429s one item may meet before it fails
	recentEvents = 8
	rateWindow   = 10 * time.Second
)

// lane is one platform's queue, workers, pacing and counters. Fields below
// mu-guarded are guarded by the engine's mu.
type lane struct {
	e        *Engine
	platform upload.Platform
	client   upload.Client
	batch    upload.BatchClient // set when the client batches (BatchSize > 1)
	limits   upload.Limits
	limiter  *rate.Limiter
	// sending holds one slot per request in flight (Limits.Concurrency);
	// the lane runs more workers than that so the next photos are prepared
	// and resolved while the current ones are being sent.
	sending chan struct{}

	// engine mu
	queue          []*item
	inFlight       int
	paused         bool
	pauseReason    string
	throttledUntil time.Time
	pace, ceiling  float64
	throttles      int
	throttleStatus int // HTTP status of the latest throttling answer
	reencoded      int // re-encodes made after a 413
	tooLarge       int // items answered 413 (each once)
	reencodedSent  int // of tooLarge: re-encoded and then uploaded
	partial        int // of done: photos some sub-systems refused
	cutOff         int // interrupted mid-request (may have arrived)
	consec429      int
	throttlePace   float64   // pace when the last 429 episode began (0: none yet)
	paceAdjusted   time.Time // last pace change, for time-based increase
	total          int
	done           int
	failed         int
	skipped        int
	held           int
	lookups        int // people queued that the people cache does not hold (PeopleLister hint)
	sent           []time.Time
	busy           bool
	gen            context.Context
	genCancel      context.CancelFunc

	recentMu sync.Mutex
	recent   []Event
}

func newLane(e *Engine, c upload.Client) *lane {
	lim := c.Limits()
	if lim.Concurrency < 1 {
		lim.Concurrency = 1
	}
	if lim.Burst < 1 {
		lim.Burst = 1
	}
	if lim.BatchSize < 1 {
		lim.BatchSize = 1
	}
	l := &lane{e: e, platform: c.Platform(), client: c, limits: lim, pace: 1, ceiling: 1}
	if bc, ok := c.(upload.BatchClient); ok && lim.BatchSize > 1 {
		l.batch = bc
	}
	l.limiter = rate.NewLimiter(l.limit(), lim.Burst)
	l.sending = make(chan struct{}, lim.Concurrency)
	return l
}

// limit is the limiter rate for the current pace.
func (l *lane) limit() rate.Limit {
	ps := l.limits.Rate.PerSecond()
	if ps <= 0 {
		return rate.Inf
	}
	return rate.Limit(ps * l.e.cfg.PaceMargin * l.pace)
}

func (l *lane) applyPaceLocked() { l.limiter.SetLimit(l.limit()) }

func (l *lane) startLocked(ctx context.Context) {
	l.gen, l.genCancel = context.WithCancel(ctx)
	workers := l.limits.Concurrency + max(2, l.limits.Concurrency)
	for i := 0; i < workers; i++ {
		l.e.wg.Add(1)
		go l.worker(ctx)
	}
}

// enqueueLocked adds it to the queue (front: ahead of the rest).
func (l *lane) enqueueLocked(it *item, front bool) {
	if it.state != "uploading" { // a retry is already counted
		l.total++
		it.state = "queued"
		it.updated = time.Now()
		l.e.emit(it.event(EventQueued))
	}
	it.state = "queued"
	if len(it.photo.Data) == 0 {
		l.e.prep.hold(it, l.prepKey(it))
	}
	if front {
		l.queue = append([]*item{it}, l.queue...)
	} else {
		l.queue = append(l.queue, it)
	}
	l.busy = true
}

// forgetLocked takes a settled item's counts off the lane: the person was
// submitted again and the new item counts instead (without this a repeat
// run in one session counted every photo twice: "118/130 done, 12 failed"
// beside "6 uploads failed").
func (l *lane) forgetLocked(it *item) {
	l.total--
	l.countLocked(it, -1)
	if it.tooLarge {
		l.tooLarge--
	}
}

// countLocked adds (d = 1) or takes off (d = -1) a settled item's share of
// the lane's counts by its state: the one place done, failed, skipped,
// held, partial and re-encoded-and-sent move, so the panes' numbers stay
// those of the items the summary, the report and the failures view list.
func (l *lane) countLocked(it *item, d int) {
	switch it.state {
	case journal.StateUploaded, StateChecked:
		l.done += d
		if it.partial != "" {
			l.partial += d
		}
		if it.tooLarge && it.state == journal.StateUploaded {
			l.reencodedSent += d
		}
	case StateSkipped:
		l.skipped += d
	case journal.StateFailed:
		l.failed += d
	case StateHeld:
		l.held += d
	case journal.StateInterrupted:
		if it.cutOff {
			l.cutOff += d
		}
	}
}

// prepKey names the prepared photo it needs: photos with the same source,
// crop choice and byte budget share one preparation.
func (l *lane) prepKey(it *item) string {
	budget := l.limits.MaxBytes
	if it.budget > 0 {
		budget = it.budget
	}
	crop := "auto"
	if it.job.Crop != nil {
		crop = it.job.Crop.String()
	}
	return fmt.Sprintf("%s|%d|%s", it.job.Path, budget, crop)
}

func (l *lane) pauseLocked(reason string) {
	if reason == "" {
		reason = "paused"
	}
	already := l.paused && l.pauseReason == reason
	l.paused, l.pauseReason = true, reason
	if !already {
		l.e.emit(Event{Kind: EventPaused, Platform: l.platform, Message: reason})
	}
}

func (l *lane) resumeLocked() {
	if !l.paused {
		return
	}
	l.paused, l.pauseReason = false, ""
	l.e.emit(Event{Kind: EventResumed, Platform: l.platform})
}

// cancelLocked drops the queue and cancels what is in flight.
func (l *lane) cancelLocked() {
	for _, it := range l.queue {
		l.e.finishLocked(l, it, StateCanceled, &upload.Error{Platform: l.platform, Class: upload.ClassCanceled, Local: true, Message: "canceled"}, EventCanceled)
	}
	l.queue = nil
	if l.genCancel != nil {
		l.genCancel()
		l.gen, l.genCancel = context.WithCancel(l.e.ctx)
	}
	l.idleCheckLocked()
}

// idleCheckLocked emits EventDone when the lane has just drained.
func (l *lane) idleCheckLocked() {
	if l.busy && len(l.queue) == 0 && l.inFlight == 0 {
		l.busy = false
		l.e.emit(Event{Kind: EventDone, Platform: l.platform,
			Message: doneMessage(l.done, l.failed, l.skipped, l.held, l.e.cfg.DryRun)})
	}
}

// doneMessage is the drained lane's outcome, as the pane's last event
// line shows it after "done: ": what was sent, then only the counts that
// are not zero ("done: 11 done, 0 failed, 0 skipped" said "done" twice
// and cut the held count off in an 80-column pane). A dry run sent
// nothing: its photos checked are what it "would send".
func doneMessage(sent, failed, skipped, held int, dry bool) string {
	verb := " sent"
	if dry {
		verb = " would send"
	}
	s := strconv.Itoa(sent) + verb
	for _, c := range []struct {
		n    int
		what string
	}{{failed, "failed"}, {held, "held"}, {skipped, "unchanged"}} {
		if c.n > 0 {
			s += ", " + strconv.Itoa(c.n) + " " + c.what
		}
	}
	return s
}

func (l *lane) remember(ev Event) {
	l.recentMu.Lock()
	defer l.recentMu.Unlock()
	l.recent = append(l.recent, ev)
	if len(l.recent) > recentEvents {
		l.recent = l.recent[len(l.recent)-recentEvents:]
	}
}

// rateWindow is how far back the achieved rate looks: at least rateWindow,
// and three send intervals for slow platforms (6/min sends every 10 s, so
// a 10 s window would never hold the two sends a rate needs).
func (l *lane) rateWindow() time.Duration {
	return max(rateWindow, 3*l.limits.Rate.Interval())
}

func (l *lane) statsLocked(now time.Time) PlatformStats {
	cut := now.Add(-l.rateWindow())
	n := 0
	var first time.Time
	for _, t := range l.sent {
		if t.After(cut) {
			if n == 0 {
				first = t
			}
			n++
		}
	}
	// n sends span n-1 intervals: counting n over the time since the first
	// would overstate a platform sending exactly at its limit.
	achieved := 0.0
	if n > 1 {
		span := now.Sub(first)
		if span < time.Second {
			span = time.Second
		}
		achieved = float64(n-1) / span.Seconds()
	}
	l.recentMu.Lock()
	recent := append([]Event(nil), l.recent...)
	l.recentMu.Unlock()
	return PlatformStats{
		Platform: l.platform, Limit: l.limits.Rate,
		Total: l.total, Done: l.done, Failed: l.failed, Skipped: l.skipped, Held: l.held,
		InFlight: l.inFlight, Queued: len(l.queue),
		Rate: achieved, Pace: l.pace,
		ThrottledUntil: l.throttledUntil, Paused: l.paused, PauseReason: l.pauseReason,
		Throttles: l.throttles, Reencoded: l.reencoded, TooLarge: l.tooLarge, ReencodedSent: l.reencodedSent, Partial: l.partial, CutOff: l.cutOff, ThrottleStatus: l.throttleStatus, Recent: recent,
	}
}

// noteSentLocked records a request for the achieved-rate figure.
func (l *lane) noteSentLocked(t time.Time) {
	l.sent = append(l.sent, t)
	cut := t.Add(-l.rateWindow())
	i := 0
	for i < len(l.sent) && l.sent[i].Before(cut) {
		i++
	}
	if i > 0 {
		l.sent = append(l.sent[:0], l.sent[i:]...)
	}
}

// DefaultMaxThrottleWait is the longest Retry-After waited out: past it a
// server is broken or hostile (99999999999 s, the year 9999), and a
// technician is better told than left with a run parked until tomorrow.
const DefaultMaxThrottleWait = time.Hour

// ClockText is t as a clock time, with the date when it is not on now's
// day ("21:28:55", or "Fri 4 Dec 21:28:55"), in local time.
func ClockText(now, t time.Time) string {
	now, t = now.Local(), t.Local()
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	switch {
	case y1 != y2:
		return t.Format("Mon 2 Jan 2006 15:04:05")
	case m1 != m2 || d1 != d2:
		return t.Format("Mon 2 Jan 15:04:05")
	}
	return t.Format("15:04:05")
}

// throttleLocked handles a 429: pause the whole platform until the server
// says (else exponential backoff with jitter) and lower the pace once per
// throttle episode.
func (l *lane) throttleLocked(err *upload.Error) time.Time {
	now := time.Now()
	l.throttles++
	l.throttleStatus = err.Status
	l.consec429++
	wait := err.RetryAfter
	if wait <= 0 {
		wait = backoff(l.e.cfg.Backoff, l.e.cfg.MaxBackoff, l.consec429)
	}
	until := now.Add(wait)
	if now.After(l.throttledUntil) {
		// A new episode: slow down (several in-flight 429s count once).
		l.throttlePace = l.pace
		l.pace = math.Max(minPace, l.pace*paceDecrease)
		l.paceAdjusted = now
		l.applyPaceLocked()
	}
	if until.After(l.throttledUntil) {
		l.throttledUntil = until
		ev := Event{Kind: EventThrottled, Platform: l.platform, Err: err, Until: until,
			Message: "throttled: sending resumes at " + ClockText(now, until)}
		l.e.emit(ev)
	}
	return until
}

// successLocked recovers pace after an accepted request.
func (l *lane) successLocked(now time.Time) {
	l.consec429 = 0
	if l.pace >= l.ceiling {
		l.paceAdjusted = now
		return
	}
	dt := now.Sub(l.paceAdjusted).Seconds()
	if l.paceAdjusted.IsZero() || dt < 0 {
		dt = 0
	}
	if dt > 10 {
		dt = 10 // a long quiet spell is not evidence of room
	}
	l.paceAdjusted = now
	knee := 1.0
	if l.throttlePace > 0 {
		knee = l.throttlePace * probeMargin
	}
	p := l.pace
	if p < knee {
		p = math.Min(knee, p+paceRecover*dt)
	} else {
		p += paceProbe * dt
	}
	l.pace = math.Min(l.ceiling, p)
	l.applyPaceLocked()
}

// backoff is base*2^(n-1), capped, with +-20% jitter.
func backoff(base, max time.Duration, n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	j := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * j)
}
