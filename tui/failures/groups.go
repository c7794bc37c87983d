package failures

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// group is a failure class as the screen shows it, in display order.
type group int

const (
	groupUnreadable group = iota // the photo could not be read or prepared: nothing was sent
	groupRejected
	groupTooLarge
	groupThrottled
	groupAuth
	groupNotFound
	groupNetwork
	groupOther
	groupEarlier // failures the journal keeps from earlier sessions and headless runs
	numGroups
)

// groupInfo is how a group introduces itself: its name in words (so NO_COLOR
// still tells the class) and what can be done about it.
type groupInfo struct {
	title string
	hint  string
}

var groups = [numGroups]groupInfo{
	groupUnreadable: {"photo unreadable", "nothing was sent: c pick another file in Correct, s skip it"},
	groupRejected:   {"400 rejected", "the platform refused the photo: c fix it in Correct, s skip it"},
	groupTooLarge:   {"413 too large", "over the platform's byte limit: e re-encode smaller and retry"},
	groupThrottled:  {"429/quota throttled", "sending resumes by itself when the wait ends; - slow down, p pause"},
	groupAuth:       {"401/403 credentials refused", "run `headshot setup` (or `headshot doctor`), then r retry"},
	groupNotFound:   {"404 person not found", "the platform has no such person: m remap to another, r retry"},
	groupNetwork:    {"network / 5xx server errors", "the platform or the link failed: r retry, R retry all"},
	groupOther:      {"other failures", "r retry"},
	groupEarlier:    {"failed in earlier runs", "kept in the journal: r send again, R send all again, c Correct"},
}

// groupOf is the group a failed item belongs to.
func groupOf(it engine.Item) group {
	if it.Err == nil {
		return groupOther
	}
	if unreadable(it.Err) {
		return groupUnreadable
	}
	switch it.Err.Class {
	case upload.ClassRejected:
		return groupRejected
	case upload.ClassTooLarge:
		return groupTooLarge
	case upload.ClassThrottled:
		return groupThrottled
	case upload.ClassAuth:
		return groupAuth
	case upload.ClassNotFound:
		return groupNotFound
	case upload.ClassServer, upload.ClassNetwork:
		return groupNetwork
	}
	return groupOther
}

// Prefixes the engine puts before the reason of a photo it could not read
// or prepare (upload.CodeUnreadable): dropped for display.
const (
	prefixCannotPrepare = "cannot prepare the photo: "
	prefixCannotRead    = "cannot read the photo: "
)

// unreadable reports whether the engine refused the photo itself because
// it could not be read or prepared (empty, truncated, not an image): no
// platform saw it, so "the platform refused" would mislead.
func unreadable(e *upload.Error) bool {
	return e != nil && e.Local && e.Code == upload.CodeUnreadable
}

// unreadableWhy is the reason alone ("empty file: the file has no bytes"),
// without the engine's prefix and the file name the row shows already.
func unreadableWhy(e *upload.Error, path string) string {
	msg := strings.TrimPrefix(strings.TrimPrefix(e.Message, prefixCannotPrepare), prefixCannotRead)
	for _, name := range []string{path, filepath.Base(path)} {
		if name != "" && strings.HasPrefix(msg, name+": ") {
			return strings.TrimPrefix(msg, name+": ")
		}
	}
	return msg
}

// rowKind is what a list row stands for.
type rowKind int

const (
	rowHeader   rowKind = iota // a group's title and count (not selectable)
	rowItem                    // one failed item
	rowPlatform                // a whole platform (throttled, or paused for credentials)
	rowPast                    // a failure the journal kept from an earlier run
)

// row is one line of the list.
type row struct {
	kind  rowKind
	group group
	count int // rowHeader: entries in the group
	item  engine.Item
	stats engine.PlatformStats
	err   *upload.Error // rowPlatform in groupAuth: the refusal, when an item carries it
	past  journal.Entry // rowPast: the journal's entry
}

// id identifies a selectable row across refreshes, so the cursor stays on
// the same failure when the list changes around it.
func (r row) id() string {
	switch r.kind {
	case rowItem:
		return "i:" + r.item.ID
	case rowPlatform:
		return "p:" + strconv.Itoa(int(r.group)) + ":" + string(r.stats.Platform)
	case rowPast:
		return "j:" + string(r.past.Platform) + ":" + r.past.Person
	}
	return ""
}

// selectable reports whether the cursor may rest on the row.
func (r row) selectable() bool { return r.kind != rowHeader }

// failed reports whether an item counts as a failure for this screen.
func failed(it engine.Item) bool { return it.State == journal.StateFailed }

// authPaused reports whether a platform is paused because its credentials
// were refused (the engine pauses it and keeps its items queued).
func authPaused(s engine.PlatformStats, authErr map[upload.Platform]*upload.Error) bool {
	if !s.Paused {
		return false
	}
	if authErr[s.Platform] != nil {
		return true
	}
	return strings.HasPrefix(strings.ToLower(s.PauseReason), "credentials")
}

// buildRows lays the failures out in group order: a header per non-empty
// group, then its platforms and items in engine order.
func buildRows(items []engine.Item, stats []engine.PlatformStats, past []journal.Entry, skipped map[string]bool,
	pausedHere map[upload.Platform]bool, now time.Time) []row {
	var byGroup [numGroups][]row
	authErr := map[upload.Platform]*upload.Error{}
	for _, it := range items {
		if !failed(it) {
			if it.Err != nil && it.Err.Class == upload.ClassAuth && authErr[it.Platform] == nil {
				authErr[it.Platform] = it.Err
			}
			continue
		}
		if skipped[it.ID] {
			continue
		}
		g := groupOf(it)
		byGroup[g] = append(byGroup[g], row{kind: rowItem, group: g, item: it})
	}
	var throttled, auth []row
	for _, s := range stats {
		switch {
		case authPaused(s, authErr):
			auth = append(auth, row{kind: rowPlatform, group: groupAuth, stats: s, err: authErr[s.Platform]})
		case s.ThrottledUntil.After(now) || (s.Paused && pausedHere[s.Platform]):
			throttled = append(throttled, row{kind: rowPlatform, group: groupThrottled, stats: s})
		}
	}
	byGroup[groupThrottled] = append(throttled, byGroup[groupThrottled]...)
	byGroup[groupAuth] = append(auth, byGroup[groupAuth]...)
	byGroup[groupEarlier] = pastRows(past, items, skipped)

	var rows []row
	for g := group(0); g < numGroups; g++ {
		if len(byGroup[g]) == 0 {
			continue
		}
		rows = append(rows, row{kind: rowHeader, group: g, count: len(byGroup[g])})
		rows = append(rows, byGroup[g]...)
	}
	return rows
}

// pastRows are the journal's failed entries that this session has not
// sent again (an engine item for the same person and platform supersedes
// the entry), newest first.
func pastRows(past []journal.Entry, items []engine.Item, skipped map[string]bool) []row {
	if len(past) == 0 {
		return nil
	}
	type key struct {
		person string
		p      upload.Platform
	}
	inSession := make(map[key]bool, len(items))
	for _, it := range items {
		inSession[key{it.Person, it.Platform}] = true
	}
	var rows []row
	for _, e := range past {
		if e.State != journal.StateFailed || inSession[key{e.Person, e.Platform}] {
			continue
		}
		r := row{kind: rowPast, group: groupEarlier, past: e}
		r.item = engine.Item{Person: e.Person, Platform: e.Platform, Path: e.Path, Attempts: e.Attempts}
		if skipped[r.id()] {
			continue
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].past.Updated.After(rows[b].past.Updated) })
	return rows
}
