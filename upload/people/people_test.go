package people

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"headshot/upload"
)

func openAt(t *testing.T, path string, tenants map[upload.Platform]string, now time.Time) *Cache {
	t.Helper()
	c, warn := Open(path, tenants)
	if warn != "" {
		t.Fatal(warn)
	}
	c.now = func() time.Time { return now }
	return c
}

func TestRememberedAcrossOpensUntilTTL(t *testing.T) {
	path := PathFor(filepath.Join(t.TempDir(), "journal.db"))
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	tenants := map[upload.Platform]string{upload.Igloo: "acme"}
	c := openAt(t, path, tenants, t0)
	c.Put(upload.Igloo, upload.Target{Person: "jane@example.com", ID: "guid-1", Name: "Jane"})
	c.Put(upload.Igloo, upload.Target{Person: "raw", ID: "raw", Unverified: true}) // not looked up: not remembered
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v %v", st, err)
	}

	later := openAt(t, path, tenants, t0.Add(23*time.Hour))
	if got, ok := later.Get(upload.Igloo, "jane@example.com", 24*time.Hour); !ok || got.ID != "guid-1" || got.Name != "Jane" || got.Person != "jane@example.com" {
		t.Errorf("within the TTL: %+v %v", got, ok)
	}
	if _, ok := later.Get(upload.Igloo, "raw", 24*time.Hour); ok {
		t.Error("an unverified target was remembered")
	}
	if _, ok := later.Get(upload.Zoom, "jane@example.com", 24*time.Hour); ok {
		t.Error("remembered on another platform")
	}
	if hits, _ := later.Stats(); hits != 1 {
		t.Errorf("hits %d, want 1", hits)
	}

	expired := openAt(t, path, tenants, t0.Add(25*time.Hour))
	if _, ok := expired.Get(upload.Igloo, "jane@example.com", 24*time.Hour); ok {
		t.Error("used past its TTL")
	}
	if expired.Holds(upload.Igloo, "jane@example.com", 0) {
		t.Error("used past the default TTL (24 h)")
	}
	if !expired.Holds(upload.Igloo, "jane@example.com", 48*time.Hour) {
		t.Error("a longer TTL should still hold it")
	}

	other := openAt(t, path, map[upload.Platform]string{upload.Igloo: "another-workplace"}, t0.Add(time.Hour))
	if _, ok := other.Get(upload.Igloo, "jane@example.com", 24*time.Hour); ok {
		t.Error("an id from one workplace used for another")
	}
}

func TestDropForgetsAndSaveWritesOnlyChanges(t *testing.T) {
	path := PathFor(filepath.Join(t.TempDir(), "journal.db"))
	c := openAt(t, path, nil, time.Now())
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an unchanged empty cache was written: %v", err)
	}
	c.Put(upload.Zoom, upload.Target{Person: "a@example.com", ID: "1"})
	c.Put(upload.Zoom, upload.Target{Person: "b@example.com", ID: "2"})
	c.Drop(upload.Zoom, "a@example.com")
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	again := openAt(t, path, nil, time.Now())
	if again.Holds(upload.Zoom, "a@example.com", time.Hour) || !again.Holds(upload.Zoom, "b@example.com", time.Hour) {
		t.Errorf("after Drop and Save: %d entries", again.Len())
	}
	if _, dropped := c.Stats(); dropped != 1 {
		t.Errorf("dropped %d, want 1", dropped)
	}
	var nilCache *Cache
	nilCache.Put(upload.Zoom, upload.Target{Person: "x", ID: "y"})
	if _, ok := nilCache.Get(upload.Zoom, "x", time.Hour); ok || nilCache.Save() != nil {
		t.Error("a nil cache remembered something")
	}
}

// A damaged cache is set aside with a warning; the run goes on with an
// empty cache (lookups only cost time), and never panics.
func TestDamagedCacheSetAside(t *testing.T) {
	for name, data := range map[string][]byte{
		"garbage":   []byte("\x00\x01not json"),
		"truncated": []byte(`{"version":1,"entries":[{"platform":"zoom","person":"a","id":"1","resolved":"2026-`),
		"version":   []byte(`{"version":99,"entries":[]}`),
		"empty":     {},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "journal.db.people")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			c, warn := Open(path, nil)
			if c == nil || c.Len() != 0 || !strings.Contains(warn, "kept as") {
				t.Fatalf("cache %v, warning %q", c, warn)
			}
			matches, _ := filepath.Glob(path + ".damaged-*")
			if len(matches) != 1 {
				t.Fatalf("set aside: %v", matches)
			}
			if kept, _ := os.ReadFile(matches[0]); !bytes.Equal(kept, data) {
				t.Error("the damaged file was not kept as it was")
			}
			c.Put(upload.Zoom, upload.Target{Person: "a", ID: "1"})
			if err := c.Save(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A symlink where the cache goes is replaced, not followed.
func TestSaveDoesNotFollowSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "journal.db.people")
	if err := os.Symlink(target, path); err != nil {
		t.Skip(err)
	}
	c, _ := Open(path, nil)
	c.Put(upload.Zoom, upload.Target{Person: "a", ID: "1"})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(target); string(data) != "keep" {
		t.Errorf("wrote through the symlink: %q", data)
	}
}

func TestDirectoryIndexesAndLeavesSharedKeysOut(t *testing.T) {
	d := NewDirectory()
	lists := 0
	list := func(ctx context.Context, add func(upload.Target, ...string) bool) (string, error) {
		lists++
		add(upload.Target{ID: "1", Name: "Jane"}, "Jane@Example.com", "jane")
		add(upload.Target{ID: "2"}, "shared@example.com", "bob")
		add(upload.Target{ID: "3"}, "shared@example.com", "")
		return "", nil
	}
	if _, ok, _ := d.Find(t.Context(), "jane@example.com", list); ok || lists != 0 {
		t.Fatal("listed for fewer than two people")
	}
	d.Expect(10)
	for _, k := range []string{"jane@example.com", " JANE ", "bob"} {
		if got, ok, err := d.Find(t.Context(), k, list); err != nil || !ok || (got.ID != "1" && k != "bob") || got.Person != k {
			t.Errorf("Find(%q) = %+v %v %v", k, got, ok, err)
		}
	}
	if _, ok, _ := d.Find(t.Context(), "shared@example.com", list); ok {
		t.Error("a key two users share was indexed")
	}
	if lists != 1 {
		t.Errorf("listed %d times, want once", lists)
	}
	if !d.Worth(1000, 100, 100) || d.Worth(100000, 100, 100) {
		t.Error("Worth: 9 pages for 10 people is worth it, 999 pages is not")
	}
}

// Pages says a list does not end at the first page that brings no one new
// (the same page again, or a loop back), and past the page count MaxListed
// users fill; a page with someone new, or an empty one, is not its call.
func TestPagesStopsAtTheFirstRepeat(t *testing.T) {
	p := NewPages(2)
	for i, c := range []struct {
		ids  []string
		want bool
	}{
		{[]string{"a", "b"}, false},
		{[]string{"b", "c"}, false}, // overlaps, brings c
		{nil, false},
		{[]string{"a", "b"}, true}, // the first page again
	} {
		if got := p.Endless(c.ids); got != c.want {
			t.Errorf("page %d %v: Endless = %v, want %v", i+1, c.ids, got, c.want)
		}
	}
	p = NewPages(MaxListed / 3)
	for i := 0; i < 4; i++ {
		if p.Endless([]string{strconv.Itoa(i)}) {
			t.Fatalf("page %d of new users called endless", i+1)
		}
	}
	if !p.Endless([]string{"new"}) {
		t.Error("page 5 of a list MaxListed users fill in 3 (and one more) is not called endless")
	}
}
