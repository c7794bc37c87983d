package people

import (
	"context"
	"strings"
	"sync/atomic"

	"headshot/upload"
)

// MaxListed caps the users one Directory holds, as the platforms' own user
// lists are capped: past it, the people the list did not reach are looked
// up one by one.
const MaxListed = 300_000

// Directory is one run's listing of a platform's users, for clients whose
// API lists them in pages (upload.PeopleLister): read once, by the first
// lookup that needs it (concurrent lookups wait and share it), then an
// index from each user's keys (email, username, id; lower case) to the
// target. A key two users share is left out, so the platform's own lookup
// decides. The zero value is not usable: NewDirectory.
type Directory struct {
	lock     chan struct{} // held while the list is read
	expected atomic.Int64  // people the run looks up (ExpectPeople)

	// Guarded by lock.
	read  bool
	index map[string]upload.Target
	dup   map[string]bool
	held  int
	note  string
}

// NewDirectory is an empty Directory.
func NewDirectory() *Directory {
	return &Directory{lock: make(chan struct{}, 1)}
}

// Expect records how many people the run looks up (the engine's hint).
func (d *Directory) Expect(n int) { d.expected.Store(int64(n)) }

// Expected is the last Expect.
func (d *Directory) Expected() int { return int(d.expected.Load()) }

// Worth reports whether reading the rest of a list of total users in pages
// of pageLen (one page read already) takes no more requests than looking
// up each expected person.
func (d *Directory) Worth(total, read, pageLen int) bool {
	if pageLen <= 0 || total <= read {
		return true
	}
	left := (total - read + pageLen - 1) / pageLen
	return left <= d.Expected()
}

// Lister reads the whole list, calling add for each user with the keys it
// can be found by; add reports false once MaxListed users are held (stop
// reading). It returns a note ("" when the list was read whole) when it
// stopped early or could not read the list, and an error only when the
// lookups cannot go on at all (refused credentials, a canceled run).
type Lister func(ctx context.Context, add func(t upload.Target, keys ...string) bool) (note string, err error)

// Find is the user key names in the list, reading the list first if this
// run has not (with list; a failed read is not tried again this run). ok
// is false when the list does not hold them: the caller looks them up
// its own way. The list is read only when at least two people are
// expected: one lookup never costs more than the platform's own.
func (d *Directory) Find(ctx context.Context, key string, list Lister) (t upload.Target, ok bool, err error) {
	if d.Expected() < 2 {
		return upload.Target{}, false, nil
	}
	select {
	case d.lock <- struct{}{}:
	case <-ctx.Done():
		return upload.Target{}, false, ctx.Err()
	}
	defer func() { <-d.lock }()
	if !d.read {
		d.index, d.dup, d.held = map[string]upload.Target{}, map[string]bool{}, 0
		note, err := list(ctx, d.add)
		if err != nil {
			return upload.Target{}, false, err
		}
		d.read, d.note = true, note
	}
	t, ok = d.index[strings.ToLower(strings.TrimSpace(key))]
	if ok {
		t.Person = key
	}
	return t, ok, nil
}

// add indexes one user (called by a Lister under d.lock).
func (d *Directory) add(t upload.Target, keys ...string) bool {
	if d.held >= MaxListed {
		return false
	}
	d.held++
	for _, k := range keys {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if old, seen := d.index[k]; d.dup[k] || (seen && old.ID != t.ID) {
			delete(d.index, k)
			d.dup[k] = true
			continue
		}
		d.index[k] = t
	}
	return d.held < MaxListed
}

// Note says why the list was not read whole this run ("" when it was, or
// has not been read).
func (d *Directory) Note() string {
	d.lock <- struct{}{}
	defer func() { <-d.lock }()
	return d.note
}
