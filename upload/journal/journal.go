// Package journal is headshot's crash-safe record of what was sent where:
// per (person, platform), the source photo's content hash, the output
// profile, the state (queued, uploading, uploaded, failed, interrupted),
// attempts and the last error; plus the manual crop corrections made in the
// browser, keyed by the source hash.
//
// The store is an append-only log (see log.go): one line per record, each
// with a CRC-32C, appended and fsynced before Put returns, so a crash or
// kill -9 loses nothing that was recorded. One process writes at a time (a
// lock file beside the journal); any number of readers (`headshot history`
// in a second tmux pane while the TUI or an upload runs) read the file
// without a lock. Damage is found on open: the damaged file is kept aside as
// journal.db.damaged-<time>, every readable record is kept, and Damage says
// how many photos may be sent again. Entries found "uploading" when the
// journal is opened for writing were in flight when the process died and
// become "interrupted", to be sent again.
package journal

import (
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"headshot/upload"
)

// State is where an entry stands.
type State string

// Entry states.
const (
	StateQueued      State = "queued"
	StateUploading   State = "uploading"
	StateUploaded    State = "uploaded"
	StateFailed      State = "failed"
	StateInterrupted State = "interrupted"
)

// Entry is the record of one person's photo on one platform.
type Entry struct {
	Person    string
	Platform  upload.Platform
	Path      string
	Hash      string // sha256 of the SOURCE file (imageprep.Result.Hash)
	Profile   string // imageprep.Profile.Key() + crop, so a changed crop counts as changed
	State     State
	Attempts  int
	Class     upload.Class
	LastError string // last failure (sanitize before display)
	// Partial names the sub-systems that refused a photo the platform
	// otherwise took (State uploaded), e.g. "social 500 (message)"; the
	// next run sends such a photo again. Empty for a whole success.
	Partial string `json:",omitempty"`
	Bytes   int
	Updated time.Time
}

// Correction is a manual crop a person set for one source photo.
type Correction struct {
	Hash    string
	Path    string
	Crop    image.Rectangle
	Person  string
	Updated time.Time
}

// Journal is an open journal. It is safe for concurrent use. A journal
// opened with Open writes; one opened with OpenReadOnly is a snapshot of
// the file when it was opened and refuses writes.
type Journal struct {
	path   string
	damage *Damage

	mu          sync.RWMutex
	entries     map[string]Entry
	corrections map[string]Correction
	approvals   map[string]Approval // by source hash (approvals.go)
	w           *appender           // nil: read-only
	lock        *os.File            // the writer's lock file
	records     int                 // lines in the file (for compaction)
	failed      error               // first write failure, kept for Failure
	unrecorded  int                 // records lost to failed writes
	readOnly    bool
}

// lockTimeout is how long Open waits for another headshot to let go.
const lockTimeout = 2 * time.Second

// DefaultPath is $XDG_STATE_HOME/headshot/journal.db, or
// ~/.local/state/headshot/journal.db when XDG_STATE_HOME is unset.
func DefaultPath() string {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			home = "."
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "headshot", "journal.db")
}

// Open opens (creating if needed) the journal at path for writing. Only one
// process may write a journal at a time; a second Open fails after
// lockTimeout with "in use by another headshot". A damaged file never
// panics or fails the open: it is kept aside, the readable records carry
// over to a fresh file, and Damage describes what happened (callers warn).
// Entries left "uploading" by a previous process become "interrupted".
func Open(path string) (*Journal, error) {
	if path == "" {
		return nil, errors.New("journal: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("journal %s: create directory: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("journal %s is a folder: choose a file (journal = \"FILE\" in the config, or --journal FILE)", path)
	}
	lock, err := lockFile(path+".lock", lockTimeout)
	if err != nil {
		return nil, err
	}
	j, err := openLocked(path)
	if err != nil {
		unlockFile(lock)
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j.lock = lock
	return j, nil
}

// openLocked loads path (holding the lock), sets damage aside, compacts
// when worthwhile, and opens the file for appending.
func openLocked(path string) (*Journal, error) {
	j := &Journal{path: path}
	ld, err := load(path, false)
	if err != nil {
		return nil, err
	}
	j.entries, j.corrections, j.approvals, j.records = ld.entries, ld.corrections, ld.approvals, ld.records
	now := time.Now()
	for k, e := range j.entries {
		if e.State == StateUploading {
			e.State, e.Updated = StateInterrupted, now
			j.entries[k] = e
			ld.rewrite = true
		}
	}
	if ld.damage != nil || ld.legacy {
		// Keep the old file as it is, beside the new one.
		aside := asideName(path, ld.damage != nil, now)
		if err := os.Rename(path, aside); err != nil {
			return nil, fmt.Errorf("keep the old journal aside: %w", err)
		}
		if ld.damage != nil {
			ld.damage.Aside = aside
			j.damage = ld.damage
		}
		ld.rewrite = true
	}
	live := len(j.entries) + len(j.corrections)
	if !ld.exists || ld.rewrite || j.records > 2*live+256 {
		if err := j.rewrite(); err != nil {
			return nil, err
		}
	}
	w, err := openAppender(path)
	if err != nil {
		return nil, err
	}
	j.w = w
	return j, nil
}

// asideName is journal.db.damaged-20261203-041502 (or .bbolt-... for a
// journal of the previous format); a second one in the same second gets a
// counter.
func asideName(path string, damaged bool, t time.Time) string {
	kind := "bbolt"
	if damaged {
		kind = "damaged"
	}
	base := fmt.Sprintf("%s.%s-%s", path, kind, t.Format("20060102-150405"))
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); os.IsNotExist(err) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// OpenReadOnly reads the journal at path without taking the writer's lock,
// so it works while another headshot writes it. The result is a snapshot;
// writes fail. While a writer holds the journal, a record being appended
// at that moment is not damage; any other damage is described by Damage,
// and the file is left as it is (the next Open keeps it aside).
func OpenReadOnly(path string) (*Journal, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	} else if st.IsDir() {
		return nil, fmt.Errorf("journal %s is a folder, not a journal file", path)
	}
	// Only while another headshot writes can a last line without its
	// newline be a record being appended; otherwise the file was cut short.
	ld, err := load(path, lockHeld(path+".lock"))
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return &Journal{path: path, readOnly: true, damage: ld.damage, entries: ld.entries, corrections: ld.corrections, approvals: ld.approvals, records: ld.records}, nil
}

// Path is the file the journal lives in.
func (j *Journal) Path() string { return j.path }

// Damage is what Open found wrong with the file, or nil when it was sound.
func (j *Journal) Damage() *Damage { return j.damage }

// Failure is the first write that failed since the journal was opened
// (disk full, file removed), or nil: a run that could not record what it
// sent must say so.
func (j *Journal) Failure() error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.failed
}

// Unrecorded is how many records failed to be written since the journal
// was opened: each may be a photo the next run sends again.
func (j *Journal) Unrecorded() int {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.unrecorded
}

// Close compacts the file when most of it is superseded records, and
// releases the writer's lock.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.w == nil {
		return nil
	}
	var err error
	live := len(j.entries) + len(j.corrections)
	if j.failed == nil && j.records > 2*live+256 {
		err = j.rewriteLocked()
	}
	if cerr := j.w.close(); err == nil {
		err = cerr
	}
	j.w = nil
	unlockFile(j.lock)
	j.lock = nil
	return err
}

func entryKey(person string, p upload.Platform) string {
	return string(p) + "\x00" + person
}

// Get returns the entry for person on platform p.
func (j *Journal) Get(person string, p upload.Platform) (Entry, bool, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	e, ok := j.entries[entryKey(person, p)]
	return e, ok, nil
}

// Put records e (replacing the previous entry for its person and platform)
// in one fsynced append. A zero Updated is set to now.
func (j *Journal) Put(e Entry) error { return j.PutMany([]Entry{e}) }

// PutMany records several entries in one fsynced append (a batch request's
// photos).
func (j *Journal) PutMany(es []Entry) error {
	now := time.Now()
	recs := make([]record, len(es))
	for i := range es {
		e := es[i]
		if e.Person == "" || e.Platform == "" {
			return errors.New("journal: entry needs a person and a platform")
		}
		if e.Updated.IsZero() {
			e.Updated = now
		}
		e.LastError = upload.CleanMessage(e.LastError, upload.MaxMessage) // a server's words: bounded
		recs[i] = record{Entry: &e}
	}
	return j.append(recs)
}

// All returns every entry, by person then platform.
func (j *Journal) All() ([]Entry, error) {
	j.mu.RLock()
	out := make([]Entry, 0, len(j.entries))
	for _, e := range j.entries {
		out = append(out, e)
	}
	j.mu.RUnlock()
	sort.Slice(out, func(a, b int) bool {
		if out[a].Person != out[b].Person {
			return out[a].Person < out[b].Person
		}
		return out[a].Platform < out[b].Platform
	})
	return out, nil
}

// ByPerson groups every entry by person.
func (j *Journal) ByPerson() (map[string][]Entry, error) {
	all, err := j.All()
	if err != nil {
		return nil, err
	}
	m := make(map[string][]Entry)
	for _, e := range all {
		m[e.Person] = append(m[e.Person], e)
	}
	return m, nil
}

// SaveCorrection records a manual crop, keyed by the source hash.
func (j *Journal) SaveCorrection(c Correction) error {
	if c.Hash == "" {
		return errors.New("journal: correction needs the source hash")
	}
	if c.Crop.Empty() {
		return fmt.Errorf("journal: correction for %s has an empty crop", filepath.Base(c.Path))
	}
	if c.Updated.IsZero() {
		c.Updated = time.Now()
	}
	return j.append([]record{{Correction: &c}})
}

// Correction returns the manual crop saved for a source hash.
func (j *Journal) Correction(hash string) (Correction, bool, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	c, ok := j.corrections[hash]
	return c, ok, nil
}

// append writes recs to the file (one write, one fsync) and then to the
// in-memory view. A failed write leaves the file as it was and is kept for
// Failure.
func (j *Journal) append(recs []record) error {
	buf, err := encodeRecords(recs)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.w == nil {
		if j.readOnly {
			return fmt.Errorf("journal %s was opened read-only", j.path)
		}
		return fmt.Errorf("journal %s is closed", j.path)
	}
	if err := j.w.write(buf); err != nil {
		err = fmt.Errorf("journal %s: %w", j.path, err)
		if j.failed == nil {
			j.failed = err
		}
		j.unrecorded += len(recs)
		return err
	}
	j.records += len(recs)
	for _, r := range recs {
		r.apply(j.entries, j.corrections)
		r.applyApproval(j.approvals)
	}
	return nil
}

// rewrite replaces the file with the live records (a temporary file beside
// it, fsynced, renamed over it), so readers see the old or the new file,
// never a mixture.
func (j *Journal) rewrite() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.rewriteLocked()
}

func (j *Journal) rewriteLocked() error {
	recs := make([]record, 0, len(j.entries)+len(j.corrections))
	keys := make([]string, 0, len(j.entries))
	for k := range j.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e := j.entries[k]
		recs = append(recs, record{Entry: &e})
	}
	hashes := make([]string, 0, len(j.corrections))
	for h := range j.corrections {
		hashes = append(hashes, h)
	}
	sort.Strings(hashes)
	for _, h := range hashes {
		c := j.corrections[h]
		recs = append(recs, record{Correction: &c})
	}
	recs = append(recs, j.approvalRecords()...)
	if err := writeFresh(j.path, recs); err != nil {
		return err
	}
	j.records = len(recs)
	if j.w != nil {
		// The appender holds the replaced file: reopen the new one.
		j.w.close()
		w, err := openAppender(j.path)
		if err != nil {
			j.w = nil
			return err
		}
		j.w = w
	}
	return nil
}
