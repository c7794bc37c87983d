package failures

import (
	"time"

	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// fakeEngine serves fixed items and stats and records what the screen
// asked of it. Retry applies the predicate like the engine: failed items
// that match go back to the queue.
type fakeEngine struct {
	items   []engine.Item
	stats   []engine.PlatformStats
	retries []func(engine.Item) bool
	matched [][]string // IDs each Retry call matched
	slowed  map[upload.Platform]float64
	paused  []upload.Platform
	resumed []upload.Platform
}

func (f *fakeEngine) Items() []engine.Item { return append([]engine.Item(nil), f.items...) }
func (f *fakeEngine) Snapshot() []engine.PlatformStats {
	return append([]engine.PlatformStats(nil), f.stats...)
}

func (f *fakeEngine) Retry(match func(engine.Item) bool) int {
	f.retries = append(f.retries, match)
	var ids []string
	for i, it := range f.items {
		switch it.State {
		case journal.StateFailed, journal.StateInterrupted, engine.StateCanceled:
		default:
			continue
		}
		if match(it) {
			ids = append(ids, it.ID)
			f.items[i].State = journal.StateQueued
			f.items[i].Err = nil
		}
	}
	f.matched = append(f.matched, ids)
	return len(ids)
}

func (f *fakeEngine) SlowDown(p upload.Platform, factor float64) {
	if f.slowed == nil {
		f.slowed = map[upload.Platform]float64{}
	}
	f.slowed[p] = factor
}

func (f *fakeEngine) Pause(p upload.Platform, _ string) {
	f.paused = append(f.paused, p)
	for i := range f.stats {
		if f.stats[i].Platform == p {
			f.stats[i].Paused = true
		}
	}
}

func (f *fakeEngine) Resume(p upload.Platform) {
	f.resumed = append(f.resumed, p)
	for i := range f.stats {
		if f.stats[i].Platform == p {
			f.stats[i].Paused = false
		}
	}
}

func failedItem(id string, p upload.Platform, person string, e *upload.Error) engine.Item {
	if e != nil {
		e.Platform = p
	}
	return engine.Item{ID: id, Platform: p, Person: person, Path: "/photos/" + person + ".jpg",
		State: journal.StateFailed, Attempts: 1, Err: e, Updated: t0}
}

// mixedEngine has one or more failures of every class, in scrambled order,
// plus items that are not failures and must not be listed.
func mixedEngine() *fakeEngine {
	return &fakeEngine{
		items: []engine.Item{
			failedItem("n1", upload.Igloo, "ana.lima@example.com", &upload.Error{Class: upload.ClassNetwork, Message: "connection reset by peer"}),
			failedItem("r1", upload.Zoom, "amara.okafor@example.com", &upload.Error{Class: upload.ClassRejected, Status: 400, Code: "300", Message: "Invalid picture: explicit content"}),
			failedItem("f1", upload.Zoom, "new.starter@example.com", &upload.Error{Class: upload.ClassNotFound, Status: 404, Code: "1001", Message: "User does not exist"}),
			failedItem("s1", upload.Netex, "jane.doe@example.com", &upload.Error{Class: upload.ClassServer, Status: 503, Message: "Service Unavailable"}),
			failedItem("t1", upload.Interact, "mei.tanaka@example.com", &upload.Error{Class: upload.ClassTooLarge, Status: 413, Size: 2_500_000, Limit: 2 << 20, Message: "Request Entity Too Large"}),
			failedItem("r2", upload.Zoom, "omar.haddad@example.com", &upload.Error{Class: upload.ClassRejected, Status: 400, Code: "200", Message: "Only admins may change this user's picture"}),
			failedItem("a1", upload.Rhombus, "lukas.berg@example.com", &upload.Error{Class: upload.ClassAuth, Status: 403, Message: "Forbidden"}),
			failedItem("h1", upload.Interact, "diego.santos@example.com", &upload.Error{Class: upload.ClassThrottled, Status: 429, Message: "Too many requests"}),
			// Not failures: must not be listed.
			{ID: "ok1", Platform: upload.Zoom, Person: "lukas.berg@example.com", State: journal.StateUploaded},
			{ID: "q1", Platform: upload.Igloo, Person: "mei.tanaka@example.com", State: journal.StateQueued,
				Err: &upload.Error{Class: upload.ClassNetwork, Message: "timeout, retrying"}},
			{ID: "i1", Platform: upload.Igloo, Person: "omar.haddad@example.com", State: journal.StateInterrupted,
				Err: &upload.Error{Class: upload.ClassNetwork, Message: "interrupted"}},
		},
		stats: []engine.PlatformStats{
			{Platform: upload.Zoom, Pace: 1},
			{Platform: upload.Rhombus, Pace: 1},
			{Platform: upload.Igloo, Pace: 1},
			{Platform: upload.Interact, Pace: 0.8, Throttles: 2, ThrottledUntil: t0.Add(42 * time.Second)},
			{Platform: upload.Netex, Pace: 1},
		},
	}
}
