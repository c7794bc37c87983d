// Package people remembers who a person key resolved to on each platform
// across runs, so a run does not look everyone up again: a small file
// beside the journal (PathFor), read once when a run starts and written
// back (atomically, 0600) when it ends.
//
// An entry is used only while it is younger than the platform's people_ttl
// and only for the same tenant (Open's tenants: a fingerprint of the
// platform's non-secret settings, so ids from one workplace are never sent
// to another). A stale id is the engine's to catch: when an upload made
// with a remembered id answers "no such user", the engine drops the entry
// (Drop) and looks the person up again once.
//
// The file is a cache: one that is damaged, from another version or
// unreadable is set aside with a warning and the run starts empty; nothing
// is lost but lookups. No credential is stored in it.
package people

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"headshot/upload"
)

// DefaultTTL is how long a resolved person is reused when the platform's
// people_ttl is unset.
const DefaultTTL = 24 * time.Hour

// maxAge drops entries this old when the file is written, whatever the
// TTLs: the file does not grow for ever.
const maxAge = 30 * 24 * time.Hour

// maxFileBytes bounds what Open reads (about 1.5 million entries): a file
// larger than that is not one headshot wrote.
const maxFileBytes = 256 << 20

// fileVersion is the file format's version.
const fileVersion = 1

// PathFor is the cache file beside the journal at journalPath.
func PathFor(journalPath string) string { return journalPath + ".people" }

// Entry is one remembered person on one platform.
type Entry struct {
	Platform upload.Platform `json:"platform"`
	Tenant   string          `json:"tenant"`
	Person   string          `json:"person"`
	ID       string          `json:"id"`
	Name     string          `json:"name,omitempty"`
	Resolved time.Time       `json:"resolved"`
}

type key struct {
	platform upload.Platform
	tenant   string
	person   string
}

// Cache holds the remembered people of one run. Its methods are safe for
// concurrent use; a nil *Cache remembers nothing.
type Cache struct {
	path    string
	tenants map[upload.Platform]string
	now     func() time.Time

	mu      sync.Mutex
	entries map[key]Entry
	dirty   bool
	hits    int
	dropped int
}

type file struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// Open reads the cache at path (a missing file is an empty cache). tenants
// maps each platform to its tenant fingerprint (Tenant); a platform
// missing from it has tenant "". A file that cannot be used is renamed
// aside (path.damaged-<time>) and warning says so; the cache is then empty
// but usable, never nil.
func Open(path string, tenants map[upload.Platform]string) (c *Cache, warning string) {
	c = &Cache{path: path, tenants: tenants, now: time.Now, entries: map[key]Entry{}}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, ""
	}
	if err != nil {
		return c, fmt.Sprintf("people cache %s: %v: looking everyone up again", path, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	f.Close()
	var in file
	switch {
	case err != nil:
		return c, fmt.Sprintf("people cache %s: %v: looking everyone up again", path, err)
	case len(data) > maxFileBytes:
		return c, c.setAside("larger than a people cache can be")
	case json.Unmarshal(data, &in) != nil:
		return c, c.setAside("damaged")
	case in.Version != fileVersion:
		return c, c.setAside(fmt.Sprintf("format %d, not %d", in.Version, fileVersion))
	}
	for _, e := range in.Entries {
		if e.Platform == "" || strings.TrimSpace(e.Person) == "" || strings.TrimSpace(e.ID) == "" || e.Resolved.IsZero() {
			continue
		}
		c.entries[key{e.Platform, e.Tenant, e.Person}] = e
	}
	return c, ""
}

// setAside renames a file that cannot be used out of the way.
func (c *Cache) setAside(why string) string {
	aside := c.path + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(c.path, aside); err != nil {
		return fmt.Sprintf("people cache %s is %s (and could not be set aside: %v): looking everyone up again", c.path, why, err)
	}
	return fmt.Sprintf("people cache %s is %s: kept as %s; looking everyone up again", c.path, why, aside)
}

func (c *Cache) key(p upload.Platform, person string) key {
	return key{p, c.tenants[p], strings.TrimSpace(person)}
}

// Get is the target person resolved to on p, when remembered for this
// tenant less than ttl ago (ttl <= 0: DefaultTTL). It counts as a hit.
func (c *Cache) Get(p upload.Platform, person string, ttl time.Duration) (upload.Target, bool) {
	if c == nil {
		return upload.Target{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.freshLocked(p, person, ttl)
	if !ok {
		return upload.Target{}, false
	}
	c.hits++
	return upload.Target{Person: person, ID: e.ID, Name: e.Name}, true
}

// Holds is Get without the target and without counting a hit.
func (c *Cache) Holds(p upload.Platform, person string, ttl time.Duration) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.freshLocked(p, person, ttl)
	return ok
}

func (c *Cache) freshLocked(p upload.Platform, person string, ttl time.Duration) (Entry, bool) {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	e, ok := c.entries[c.key(p, person)]
	if !ok {
		return Entry{}, false
	}
	if age := c.now().Sub(e.Resolved); age >= ttl || age < -time.Hour {
		return Entry{}, false // expired (or from a clock far ahead)
	}
	return e, true
}

// Put remembers a resolved target. Unverified targets (derived locally,
// not looked up) are not remembered.
func (c *Cache) Put(p upload.Platform, t upload.Target) {
	if c == nil || t.Unverified || strings.TrimSpace(t.ID) == "" || strings.TrimSpace(t.Person) == "" {
		return
	}
	k := c.key(p, t.Person)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[k] = Entry{Platform: p, Tenant: k.tenant, Person: k.person, ID: t.ID, Name: t.Name, Resolved: c.now().UTC()}
	c.dirty = true
}

// Drop forgets person on p (its remembered id was refused as unknown).
func (c *Cache) Drop(p upload.Platform, person string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.key(p, person)
	if _, ok := c.entries[k]; ok {
		delete(c.entries, k)
		c.dirty = true
		c.dropped++
	}
}

// Stats are the run's cache hits and the entries dropped as stale.
func (c *Cache) Stats() (hits, dropped int) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.dropped
}

// Len is the number of entries held (expired ones included until Save).
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Save writes the cache back when it changed: to a temporary file beside
// it, then renamed over it (a symlink at path is replaced, not followed),
// mode 0600. Entries older than 30 days are left out.
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	if !c.dirty {
		c.mu.Unlock()
		return nil
	}
	now := c.now()
	out := file{Version: fileVersion, Entries: make([]Entry, 0, len(c.entries))}
	for _, e := range c.entries {
		if now.Sub(e.Resolved) < maxAge {
			out.Entries = append(out.Entries, e)
		}
	}
	c.mu.Unlock()
	sort.Slice(out.Entries, func(i, j int) bool {
		a, b := out.Entries[i], out.Entries[j]
		if a.Platform != b.Platform {
			return a.Platform < b.Platform
		}
		return a.Person < b.Person
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("people cache: %w", err)
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("people cache: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(c.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("people cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename: nothing there
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("people cache %s: %w", c.path, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("people cache %s: %w", c.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("people cache %s: %w", c.path, err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("people cache %s: %w", c.path, err)
	}
	c.mu.Lock()
	c.dirty = false
	c.mu.Unlock()
	return nil
}
