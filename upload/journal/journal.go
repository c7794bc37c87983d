// Package journal is headshot's embedded, crash-safe record of what was sent
// where: one bbolt file holding, per (person, platform), the source photo's
// content hash, the output profile, the state (queued, uploading, uploaded,
// failed, interrupted), attempts and the last error; plus the manual crop
// corrections made in the browser, keyed by the source hash. Every write is
// one fsynced transaction, so a crash or kill -9 loses nothing that was
// recorded; entries found "uploading" when the file is opened were in flight
// when the process died and become "interrupted", to be sent again.
package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

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

// Journal is an open journal file. It is safe for concurrent use.
type Journal struct {
	db   *bolt.DB
	path string
}

var (
	bucketEntries     = []byte("entries")
	bucketCorrections = []byte("corrections")
)

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

// Open opens (creating if needed) the journal at path. Entries left
// "uploading" by a previous process become "interrupted".
func Open(path string) (*Journal, error) {
	if path == "" {
		return nil, errors.New("journal: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("journal %s: create directory: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("journal %s is in use by another headshot (close it, or pass --journal FILE)", path)
		}
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j := &Journal{db: db, path: path}
	if err := j.recover(); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, nil
}

// recover creates the buckets and marks in-flight entries interrupted.
func (j *Journal) recover() error {
	return j.db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketCorrections); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketEntries)
		if err != nil {
			return err
		}
		type fix struct {
			k []byte
			v []byte
		}
		var fixes []fix
		err = b.ForEach(func(k, v []byte) error {
			var e Entry
			if json.Unmarshal(v, &e) != nil || e.State != StateUploading {
				return nil
			}
			e.State = StateInterrupted
			e.Updated = time.Now()
			nv, err := json.Marshal(e)
			if err != nil {
				return err
			}
			fixes = append(fixes, fix{append([]byte(nil), k...), nv})
			return nil
		})
		if err != nil {
			return err
		}
		for _, f := range fixes {
			if err := b.Put(f.k, f.v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Path is the file the journal lives in.
func (j *Journal) Path() string { return j.path }

// Close flushes and closes the file.
func (j *Journal) Close() error { return j.db.Close() }

func entryKey(person string, p upload.Platform) []byte {
	return []byte(string(p) + "\x00" + person)
}

// Get returns the entry for person on platform p.
func (j *Journal) Get(person string, p upload.Platform) (Entry, bool, error) {
	var e Entry
	var found bool
	err := j.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEntries).Get(entryKey(person, p))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("journal entry %s/%s is damaged: %w", p, person, err)
		}
		found = true
		return nil
	})
	return e, found, err
}

// Put records e (replacing the previous entry for its person and platform)
// in one fsynced transaction. A zero Updated is set to now.
func (j *Journal) Put(e Entry) error {
	if e.Person == "" || e.Platform == "" {
		return errors.New("journal: entry needs a person and a platform")
	}
	if e.Updated.IsZero() {
		e.Updated = time.Now()
	}
	e.LastError = upload.CleanMessage(e.LastError, upload.MaxMessage) // a server's words: bounded
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return j.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEntries).Put(entryKey(e.Person, e.Platform), v)
	})
}

// All returns every entry, by person then platform. Damaged records are
// skipped.
func (j *Journal) All() ([]Entry, error) {
	var out []Entry
	err := j.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEntries).ForEach(func(_, v []byte) error {
			var e Entry
			if json.Unmarshal(v, &e) == nil {
				out = append(out, e)
			}
			return nil
		})
	})
	sort.Slice(out, func(a, b int) bool {
		if out[a].Person != out[b].Person {
			return out[a].Person < out[b].Person
		}
		return out[a].Platform < out[b].Platform
	})
	return out, err
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
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return j.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCorrections).Put([]byte(c.Hash), v)
	})
}

// Correction returns the manual crop saved for a source hash.
func (j *Journal) Correction(hash string) (Correction, bool, error) {
	var c Correction
	var found bool
	err := j.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketCorrections).Get([]byte(hash))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("journal correction %.12s is damaged: %w", hash, err)
		}
		found = true
		return nil
	})
	return c, found, err
}

// PutMany records several entries in one fsynced transaction (a batch
// request's photos).
func (j *Journal) PutMany(es []Entry) error {
	vals := make([][]byte, len(es))
	now := time.Now()
	for i, e := range es {
		if e.Person == "" || e.Platform == "" {
			return errors.New("journal: entry needs a person and a platform")
		}
		if e.Updated.IsZero() {
			e.Updated = now
		}
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	return j.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		for i, e := range es {
			if err := b.Put(entryKey(e.Person, e.Platform), vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
