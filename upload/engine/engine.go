package engine

import (
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
	"headshot/upload/people"
)

// Job is one photo for one person, to be sent to some or all platforms.
type Job struct {
	Path   string
	Person string                     // person key (file stem or mapping CSV)
	People map[upload.Platform]string // per-platform person override (mapping CSV columns, TUI remap)
	Crop   *image.Rectangle           // manual crop; nil: journal correction if any, else auto
	// Platforms to send to; nil: every configured platform.
	Platforms []upload.Platform
	// Force re-sends even when the journal says it was uploaded unchanged
	// (the TUI's "re-send this one"); Config.Force does it for every job.
	Force bool
	// Approved sends the photo although it needs review (a human looked
	// at it); Config.ApproveFlagged does it for every job, and an approval
	// recorded in the journal for the photo's content does it too.
	Approved bool
}

// PrepareFunc prepares one photo; the engine calls it once per output
// profile and shares the result between platforms with the same budget.
type PrepareFunc func(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error)

// Config sets up an Engine.
type Config struct {
	Clients []upload.Client
	// Preparer is the shared preparation cache; nil: the engine makes one.
	Preparer *imageprep.Preparer
	// Prep: crop method, format, quality (Profile.MaxBytes is set per
	// platform from Limits).
	Prep imageprep.Options
	// Journal records every step; nil: no journal (tests, dry runs).
	Journal *journal.Journal
	// People remembers resolved people across runs (people.PathFor the
	// journal); nil: every person is looked up. An upload to a remembered
	// id the platform no longer knows drops it and looks the person up
	// again once. The caller saves it after the run.
	People *people.Cache
	// Force re-sends even if the journal says uploaded unchanged.
	Force bool
	// DryRun prepares, validates and resolves; it sends nothing.
	DryRun bool
	// ApproveFlagged sends photos that need review (imageprep's review
	// gate) instead of holding them: `headshot upload --approve-flagged`.
	ApproveFlagged bool
	// MaxAttempts bounds tries for retryable classes (5xx, network); default 5.
	MaxAttempts int

	// Prepare overrides how photos are prepared (tests, callers with their
	// own cache). Nil: the shared imageprep preparer.
	Prepare PrepareFunc
	// Backoff is the first retry delay after a 5xx/network error and after a
	// 429 without Retry-After; it doubles per try up to MaxBackoff, with
	// jitter. Defaults 1s and 60s.
	Backoff, MaxBackoff time.Duration
	// MaxThrottleWait is the longest Retry-After the engine waits out
	// (default DefaultMaxThrottleWait); a platform asking for longer is
	// stopped with the reason, so a headless run is not parked for a day.
	MaxThrottleWait time.Duration
	// BatchWindow is how long a batch client's worker waits to fill a batch
	// when the queue holds fewer than BatchSize items; default 150ms.
	BatchWindow time.Duration
	// PaceMargin is the fraction of the documented rate used in steady state
	// (servers count arrivals, so requests in flight and clock skew need a
	// little room); default 0.97.
	PaceMargin float64
	// EventBuffer is the Events channel's capacity; default 1024.
	EventBuffer int
}

// Item is one photo for one person on one platform, as the TUI shows it.
type Item struct {
	ID       string
	Platform upload.Platform
	Person   string
	Path     string
	State    journal.State
	Attempts int
	Err      *upload.Error
	Bytes    int
	Updated  time.Time
	// Partial is set on an uploaded item some sub-systems refused (Netex's
	// training, social, play, management): which ones and why. It counts
	// as done, and the next run sends it again.
	Partial string
	// Review is why a held item needs a human's look (StateHeld).
	Review []string
	// Unverified: the platform has no person lookup, so a dry run could
	// not check the person (upload.Target.Unverified).
	Unverified bool
	// CutOff: interrupted (State "interrupted") while its request was
	// under way, so the platform may have stored the photo although no
	// answer came; sending again replaces it.
	CutOff bool
}

// Item states beyond the journal's.
const (
	// StateChecked: a dry run found the photo valid and the person known.
	StateChecked journal.State = "checked"
	// StateSkipped: the journal says it was already uploaded unchanged.
	StateSkipped journal.State = "skipped"
	// StateCanceled: dropped from the queue before it was sent.
	StateCanceled journal.State = "canceled"
	// StateHeld: not sent because the photo needs review (no face, a
	// doubtful face, too small, dark, blurry: Item.Review says which) and
	// nobody approved it, or because it is too small to be a photo at all.
	StateHeld journal.State = "held"
)

// PlatformStats is one platform's state, for the panes.
type PlatformStats struct {
	Platform                                       upload.Platform
	Limit                                          upload.Rate
	Total, Done, Failed, Skipped, InFlight, Queued int
	Held                                           int     // held for review (StateHeld)
	Rate                                           float64 // achieved requests/s over the last ~10 s
	Pace                                           float64 // current pace as a fraction of Limit
	ThrottledUntil                                 time.Time
	Paused                                         bool
	PauseReason                                    string
	Throttles                                      int // 429s received
	Reencoded                                      int // re-encodes made after a 413
	TooLarge                                       int // photos the platform answered 413 (each counted once)
	ReencodedSent                                  int // of TooLarge: re-encoded smaller and then uploaded
	Partial                                        int // of Done: photos some sub-systems refused (sent again once)
	CutOff                                         int // interrupted mid-request: may have arrived (neither Done nor Failed)
	// ThrottleStatus is the HTTP status of the latest throttling answer:
	// 429, or Google's 403 quota and Graph's 503 or 504 (0: none, or no answer),
	// so views say what happened rather than "429" for all of them.
	ThrottleStatus int
	Recent         []Event
}

// Engine sends jobs to every platform, each at its own pace.
type Engine struct {
	cfg     Config
	prepare PrepareFunc
	events  *emitter
	lanes   []*lane
	byName  map[upload.Platform]*lane

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	items   map[string]*item
	order   []*item
	seq     int
	started bool
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	prep *prepCache

	journalFailed atomic.Bool // the first failed journal write was reported
}

// New checks the configuration and builds an engine; Start runs it.
func New(cfg Config) (*Engine, error) {
	if len(cfg.Clients) == 0 {
		return nil, errors.New("engine: no platform clients configured")
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.MaxThrottleWait <= 0 {
		cfg.MaxThrottleWait = DefaultMaxThrottleWait
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Minute
	}
	if cfg.BatchWindow <= 0 {
		cfg.BatchWindow = 150 * time.Millisecond
	}
	if cfg.PaceMargin <= 0 || cfg.PaceMargin > 1 {
		cfg.PaceMargin = 0.97
	}
	if cfg.EventBuffer <= 0 {
		cfg.EventBuffer = 1024
	}
	e := &Engine{
		cfg:     cfg,
		prepare: cfg.Prepare,
		events:  newEmitter(cfg.EventBuffer),
		byName:  make(map[upload.Platform]*lane),
		changed: make(chan struct{}),
		items:   make(map[string]*item),
	}
	if e.prepare == nil {
		pr := cfg.Preparer
		if pr == nil {
			pr = imageprep.NewPreparer()
		}
		e.prepare = pr.Prepare
	}
	e.prep = newPrepCache(e.prepare)
	for _, c := range cfg.Clients {
		if c == nil {
			return nil, errors.New("engine: nil platform client")
		}
		p := c.Platform()
		if _, dup := e.byName[p]; dup {
			return nil, fmt.Errorf("engine: platform %s configured twice", p)
		}
		l := newLane(e, c)
		e.lanes = append(e.lanes, l)
		e.byName[p] = l
	}
	return e, nil
}

// Events is the engine's event stream. The engine never blocks on it: when
// the buffer is full, progress events are dropped (see Dropped) and final
// ones (uploaded, failed, skipped, canceled, done, paused) wait until the
// reader catches up. It is closed after Close.
func (e *Engine) Events() <-chan Event { return e.events.ch }

// Dropped is how many progress events were dropped for a slow reader.
func (e *Engine) Dropped() int { return e.events.droppedCount() }

// Start starts one worker set per platform. Jobs submitted before Start
// wait for it.
func (e *Engine) Start(ctx context.Context) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.started || e.closed {
		return
	}
	e.started = true
	e.ctx, e.cancel = context.WithCancel(ctx)
	for _, l := range e.lanes {
		l.startLocked(e.ctx)
	}
	e.notifyLocked()
}

// Submit queues jobs on their platforms; it may be called at any time.
func (e *Engine) Submit(jobs ...Job) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	for _, j := range jobs {
		plats := j.Platforms
		if plats == nil {
			for _, l := range e.lanes {
				plats = append(plats, l.platform)
			}
		}
		for _, p := range plats {
			l := e.byName[p]
			if l == nil {
				it := e.newItemLocked(j, p)
				e.finishLocked(nil, it, journal.StateFailed, &upload.Error{Platform: p, Class: upload.ClassRejected, Local: true,
					Message: fmt.Sprintf("platform %s is not configured", p)}, EventFailed)
				continue
			}
			person := j.Person
			if o := j.People[p]; o != "" {
				person = o
			}
			if old := e.items[itemKey(p, person)]; old != nil && old.active() {
				// Already queued or in flight: never send twice. A different
				// photo for the same person is reported, not silently lost.
				if old.job.Path != j.Path {
					e.emit(Event{Kind: EventFailed, Platform: p, Person: person, Path: j.Path,
						Err: &upload.Error{Platform: p, Class: upload.ClassRejected, Local: true,
							Message: fmt.Sprintf("%s already has a photo queued (%s)", person, filepath.Base(old.job.Path))},
						Message: "not queued: another photo for this person is already queued"})
				}
				continue
			}
			if old := e.items[itemKey(p, person)]; old != nil {
				l.forgetLocked(old) // settled: the new item counts instead
			}
			it := e.newItemLocked(j, p)
			l.enqueueLocked(it, false)
			if !e.cfg.People.Holds(p, person, l.limits.PeopleTTL) {
				l.lookups++
			}
		}
	}
	for _, l := range e.lanes {
		if pl, ok := l.client.(upload.PeopleLister); ok && l.lookups > 0 {
			pl.ExpectPeople(l.lookups)
		}
	}
	e.notifyLocked()
}

// Wait blocks until every platform's queue is drained or paused with
// nothing in flight (a platform paused for bad credentials does not hold
// the caller forever), or ctx ends.
func (e *Engine) Wait(ctx context.Context) error {
	for {
		e.mu.Lock()
		settled := true
		for _, l := range e.lanes {
			if l.inFlight > 0 || (len(l.queue) > 0 && !l.paused) {
				settled = false
			}
		}
		ch := e.changed
		e.mu.Unlock()
		if settled {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close cancels in-flight requests (recorded as interrupted, to be resent
// by the next run), stops the workers and closes Events.
func (e *Engine) Close() {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.closed = true
	if e.cancel != nil {
		e.cancel()
	}
	e.notifyLocked()
	e.mu.Unlock()
	e.wg.Wait()
	e.events.close()
}

// Pause stops a platform (p == "": all) taking new items; requests in
// flight finish.
func (e *Engine) Pause(p upload.Platform, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range e.select_(p) {
		l.pauseLocked(reason)
	}
	e.notifyLocked()
}

// Resume restarts a paused platform (p == "": all).
func (e *Engine) Resume(p upload.Platform) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range e.select_(p) {
		l.resumeLocked()
	}
	e.notifyLocked()
}

// Cancel drops a platform's queue (p == "": all) and cancels its requests
// in flight (recorded as interrupted).
func (e *Engine) Cancel(p upload.Platform) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range e.select_(p) {
		l.cancelLocked()
	}
	e.notifyLocked()
}

// SlowDown caps a platform's pace (p == "": all) at factor of its limit,
// e.g. 0.5 = half pace; 1 lifts the cap.
func (e *Engine) SlowDown(p upload.Platform, factor float64) {
	if factor <= 0 || factor > 1 {
		factor = 1
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range e.select_(p) {
		l.ceiling = factor
		if l.pace > factor {
			l.pace = factor
		}
		l.applyPaceLocked()
	}
	e.notifyLocked()
}

// Retry re-queues failed (or interrupted/canceled) items matching; it
// returns how many.
func (e *Engine) Retry(match func(Item) bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, it := range e.order {
		if e.items[it.key()] != it {
			continue // superseded
		}
		switch it.state {
		case journal.StateFailed, journal.StateInterrupted, StateCanceled:
		default:
			continue
		}
		if !match(it.view()) {
			continue
		}
		l := e.byName[it.platform]
		if l == nil {
			continue
		}
		// A photo that failed as too large is re-encoded smaller than its
		// last try; anything else starts again from the platform's budget.
		budget := int64(0)
		if it.err != nil && it.err.Class == upload.ClassTooLarge && it.budget > 0 {
			budget = shrink(it.budget)
		}
		it.attempts = 0
		it.throttles = 0
		it.err = nil
		it.shrunk = false
		it.budget = budget
		l.countLocked(it, -1) // before cutOff is cleared: it is counted by it
		it.cutOff = false
		it.photo = upload.Photo{}
		it.force = true
		l.total-- // enqueue counts it again
		l.enqueueLocked(it, false)
		n++
	}
	e.notifyLocked()
	return n
}

// limitMargin is the share of a platform's stated byte limit a photo is
// re-encoded to after a 413 (the rest is room for the request's overhead).
const limitMargin = 0.95

// shrink is the next, smaller byte budget after a 413.
func shrink(budget int64) int64 { return int64(float64(budget) * 0.8) }

// Items lists every item's current state, in submission order.
func (e *Engine) Items() []Item {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Item, 0, len(e.order))
	for _, it := range e.order {
		if e.items[it.key()] == it {
			out = append(out, it.view())
		}
	}
	return out
}

// Snapshot reports each platform's progress, for the panes.
func (e *Engine) Snapshot() []PlatformStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	out := make([]PlatformStats, 0, len(e.lanes))
	for _, l := range e.lanes {
		out = append(out, l.statsLocked(now))
	}
	return out
}

// select_ is the lanes p names ("": all).
func (e *Engine) select_(p upload.Platform) []*lane {
	if p == "" {
		return e.lanes
	}
	if l := e.byName[p]; l != nil {
		return []*lane{l}
	}
	return nil
}

// notifyLocked wakes everything waiting for a state change.
func (e *Engine) notifyLocked() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// emit hands ev to the reader. Its Message (which may quote a server or
// a file name) is bounded to upload.MaxMessage runes and freed of control
// characters here, so no consumer stores or prints megabytes or escapes.
func (e *Engine) emit(ev Event) {
	ev.Message = upload.CleanMessage(ev.Message, upload.MaxMessage)
	if l := e.byName[ev.Platform]; l != nil && ev.Platform != "" {
		l.remember(ev)
	}
	e.events.emit(ev)
}
