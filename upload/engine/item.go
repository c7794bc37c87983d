package engine

import (
	"fmt"
	"strings"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
)

// item is the engine's working record of one Item.
type item struct {
	id       string
	job      Job
	platform upload.Platform
	person   string // effective person key on this platform
	state    journal.State
	attempts int
	err      *upload.Error
	bytes    int
	updated  time.Time

	force     bool
	throttles int       // 429s met by this item (bounded separately from attempts)
	notBefore time.Time // retry backoff: not taken before this
	shrunk    bool      // re-prepared once after a 413
	tooLarge  bool      // counted in its lane's tooLarge (once per item, retries included)
	partial   string    // sub-systems that refused the photo (uploaded item); see Item.Partial
	resent    bool      // sent once more after a partial success
	budget    int64     // byte budget override after a 413 (0: the platform's)
	cutOff    bool      // interrupted while its request was under way: it may have arrived

	// Set once prepared and resolved; kept for retries.
	photo    upload.Photo
	hash     string
	profile  string
	target   upload.Target
	resolved bool
	// remembered: target came from the people cache; lookedUpAgain: a
	// remembered id was refused and the person resolved afresh (once).
	remembered, lookedUpAgain bool
	prepKey                   string   // prepCache entry this item holds a reference to ("" once released)
	review                    []string // why it is held (StateHeld)
}

func itemKey(p upload.Platform, person string) string { return string(p) + "\x00" + person }

func (it *item) key() string { return itemKey(it.platform, it.person) }

// active: queued or in flight (not settled).
func (it *item) active() bool {
	switch it.state {
	case journal.StateQueued, journal.StateUploading:
		return true
	}
	return false
}

func (it *item) view() Item {
	return Item{ID: it.id, Platform: it.platform, Person: it.person, Path: it.job.Path, State: it.state,
		Attempts: it.attempts, Err: it.err, Bytes: it.bytes, Updated: it.updated, Partial: it.partial, Review: it.review, CutOff: it.cutOff,
		Unverified: it.resolved && it.target.Unverified}
}

// event is an event about this item.
func (it *item) event(k EventKind) Event {
	ev := Event{Time: time.Now(), Kind: k, Platform: it.platform, Person: it.person, Path: it.job.Path,
		Attempt: it.attempts, Bytes: it.bytes}
	switch k {
	case EventRetrying, EventFailed, EventThrottled:
		// Only these report a failure; an item that succeeds after a
		// retry must not carry the error it got over.
		ev.Err = it.err
	case EventHeld:
		ev.Message = HeldMessage(it.review)
	case EventChecked:
		if it.target.Unverified {
			ev.Message = CannotCheck(it.platform)
		}
	}
	return ev
}

// newItemLocked registers a new item for job on platform p (replacing a
// settled one for the same person and platform).
func (e *Engine) newItemLocked(j Job, p upload.Platform) *item {
	person := j.Person
	if o := j.People[p]; o != "" {
		person = o
	}
	e.seq++
	it := &item{id: fmt.Sprintf("%s/%d", p, e.seq), job: j, platform: p, person: person,
		state: journal.StateQueued, updated: time.Now(), force: j.Force || e.cfg.Force}
	e.items[it.key()] = it
	e.order = append(e.order, it)
	return it
}

// finishLocked settles it and emits kind. l may be nil (unconfigured
// platform).
func (e *Engine) finishLocked(l *lane, it *item, st journal.State, err *upload.Error, kind EventKind) {
	it.state = st
	it.err = err
	it.updated = time.Now()
	it.photo = upload.Photo{} // free the bytes
	e.prep.release(it)
	if l != nil {
		l.countLocked(it, 1)
	}
	ev := it.event(kind)
	if err != nil {
		ev.Message = err.Message
	}
	e.emit(ev)
}

// HeldMessage is the one-line reason a photo was held, as events,
// summaries and reports give it.
func HeldMessage(review []string) string {
	if len(review) == 0 {
		return "held for review"
	}
	return "held for review: " + strings.Join(review, "; ")
}

// CannotCheck is what a dry run says of a person on a platform that
// offers no lookup (Interact): known only when the photo is sent.
func CannotCheck(p upload.Platform) string {
	return "cannot check before sending: " + p.Title() + " has no person lookup"
}

// tooSmallReason is why a file too small to be a photo is held: no
// approval sends it.
func tooSmallReason(pe *imageprep.Error) []string {
	return []string{pe.Kind.String() + ": " + pe.Detail + " (cannot be approved: replace the file)"}
}
