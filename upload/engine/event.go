// Package engine sends a set of photos to every configured platform at once:
// one queue per platform, each paced to its own rate limit, photos prepared
// once and shared, failures retried or reported by class, and every step
// recorded in the journal so nothing is lost or sent twice. The TUI and the
// headless `headshot upload` both drive it and read its Events.
package engine

import (
	"time"

	"headshot/upload"
)

// EventKind says what happened.
type EventKind int

// Event kinds, in the order an item usually meets them.
const (
	EventQueued    EventKind = iota + 1 // item added to a platform's queue
	EventSkipped                        // already uploaded unchanged (journal); not sent
	EventPreparing                      // photo being prepared (decode, crop, encode)
	EventUploading                      // request sent
	EventUploaded                       // platform accepted it
	EventRetrying                       // failed with a retryable class; will try again
	EventFailed                         // failed for good (Err says why)
	EventThrottled                      // platform slowed: nothing sent until Until
	EventPaused                         // platform (or all) paused; Message says why
	EventResumed                        // platform running again
	EventCanceled                       // item or platform canceled
	EventDone                           // platform's queue drained
)

var eventNames = map[EventKind]string{
	EventQueued: "queued", EventSkipped: "skipped", EventPreparing: "preparing",
	EventUploading: "uploading", EventUploaded: "uploaded", EventRetrying: "retrying",
	EventFailed: "failed", EventThrottled: "throttled", EventPaused: "paused",
	EventResumed: "resumed", EventCanceled: "canceled", EventDone: "done",
}

func (k EventKind) String() string { return eventNames[k] }

// Event is one thing that happened, for the TUI panes and the headless
// printer. Strings in it may come from a server or a file name: sanitize
// before display.
type Event struct {
	Time     time.Time
	Kind     EventKind
	Platform upload.Platform // empty for engine-wide events
	Person   string          // person key; empty for platform-wide events
	Path     string          // source photo
	Attempt  int             // 1 for the first try
	Err      *upload.Error   // EventRetrying / EventFailed / EventThrottled
	Until    time.Time       // EventThrottled: when sending resumes; EventRetrying: next try
	Bytes    int             // EventUploading / EventUploaded: photo size
	Message  string          // human detail (pause reason, Netex parts, ...)
}

// EventChecked is a dry run's success: the photo was prepared, fits the
// platform's limits and the person resolved; nothing was sent. (Added after
// EventDone so the earlier kinds keep their values.)
const EventChecked EventKind = EventDone + 1

// EventHeld: the photo needs review and nobody approved it (or it is too
// small to be a photo); it is not sent. Message says why.
const EventHeld EventKind = EventChecked + 1

func init() {
	eventNames[EventChecked] = "checked"
	eventNames[EventHeld] = "held"
}

// terminal reports whether the event ends an item or a queue; the engine
// never drops these, even for a slow reader.
func (k EventKind) terminal() bool {
	switch k {
	case EventUploaded, EventFailed, EventSkipped, EventCanceled, EventDone, EventChecked, EventHeld, EventPaused, EventResumed:
		return true
	}
	return false
}
