package journal

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"headshot/upload"
)

// fill writes n uploaded entries (and one correction) and closes j.
func fill(t *testing.T, path string, n int) {
	t.Helper()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		must(t, j.Put(Entry{Person: fmt.Sprintf("person%03d@example.com", i), Platform: upload.Zoom,
			Path: fmt.Sprintf("/photos/person%03d.jpg", i), Hash: strings.Repeat("ab", 32), State: StateUploaded, Bytes: 50000}))
	}
	must(t, j.Close())
}

// boltJournal writes a journal of the previous (bbolt) format.
func boltJournal(t *testing.T, path string, n int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(boltEntries)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(boltCorrections); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			p := fmt.Sprintf("person%03d@example.com", i)
			v := fmt.Sprintf(`{"Person":%q,"Platform":"zoom","Hash":"h","State":"uploaded","Path":"/p/%d.jpg","LastError":"%s"}`, p, i, strings.Repeat("x", 200))
			if err := b.Put([]byte("zoom\x00"+p), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, db.Close())
}

func overwrite(t *testing.T, path string, off int64, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(data, off); err != nil {
		t.Fatal(err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(1)).Read(b)
	return b
}

// TestDamagedJournalVariants: whatever is done to the file, Open neither
// panics nor fails; it reports the damage, keeps the damaged file aside
// byte for byte, keeps what it could read, and the new journal works.
func TestDamagedJournalVariants(t *testing.T) {
	const n = 100 // about 25 KB of records
	cases := []struct {
		name     string
		make     func(t *testing.T, path string)
		minKept  int // records that must survive
		maxKept  int
		lostSome bool // Lost > 0 or unknown
	}{
		{"empty file", func(t *testing.T, p string) { must(t, os.WriteFile(p, nil, 0o600)) }, 0, 0, true},
		{"truncated to 8 KB", func(t *testing.T, p string) { fill(t, p, n); must(t, os.Truncate(p, 8192)) }, 20, 40, true},
		{"page 2 random", func(t *testing.T, p string) { fill(t, p, n); overwrite(t, p, 4096, randomBytes(4096)) }, 70, 90, true},
		{"one bit flipped", func(t *testing.T, p string) {
			fill(t, p, n)
			data, _ := os.ReadFile(p)
			overwrite(t, p, 5000, []byte{data[5000] ^ 0x04})
		}, n - 1, n - 1, true},
		{"header overwritten", func(t *testing.T, p string) { fill(t, p, n); overwrite(t, p, 0, []byte("XXXXXXXX")) }, n, n, false},
		{"torn last record", func(t *testing.T, p string) {
			fill(t, p, n)
			f, _ := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			f.WriteString(`1234abcd {"e":{"Person":"half`)
			f.Close()
		}, n, n, true},
		{"old format truncated to 8 KB", func(t *testing.T, p string) { boltJournal(t, p, n); must(t, os.Truncate(p, 8192)) }, 0, n, true},
		{"old format page 1 random", func(t *testing.T, p string) { boltJournal(t, p, n); overwrite(t, p, 4096, randomBytes(4096)) }, 0, n, true},
		{"old format leaf page random", func(t *testing.T, p string) { boltJournal(t, p, n); overwrite(t, p, 4096*4, randomBytes(4096)) }, 0, n, true},
		{"old format page 0 random", func(t *testing.T, p string) {
			boltJournal(t, p, n)
			overwrite(t, p, 32, randomBytes(2000))
		}, 0, n, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.db")
			tc.make(t, path)
			damaged, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}

			// A reader (headshot history, doctor) sees the damage and
			// moves nothing.
			rep, err := Verify(path)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if rep.Damage == nil {
				t.Fatalf("Verify found no damage (%d entries)", rep.Entries)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("Verify moved the file: %v", err)
			}

			j, err := Open(path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			d := j.Damage()
			if d == nil {
				t.Fatal("Open reported no damage")
			}
			w := d.Warning(path)
			t.Log(w)
			if !strings.Contains(w, "damaged") || !strings.Contains(w, d.Aside) || !strings.Contains(w, "sent again") {
				t.Errorf("warning does not say what happened: %s", w)
			}
			if !strings.HasPrefix(d.Aside, path+".damaged-") {
				t.Errorf("damaged file kept as %q", d.Aside)
			}
			aside, err := os.ReadFile(d.Aside)
			if err != nil || !bytes.Equal(aside, damaged) {
				t.Errorf("the damaged file was not kept as it was (%v)", err)
			}
			if tc.lostSome && d.Lost == 0 {
				t.Errorf("Lost = 0, want a count or unknown: %+v", d)
			}
			all, _ := j.All()
			if len(all) < tc.minKept || len(all) > tc.maxKept || d.Kept != len(all) {
				t.Errorf("kept %d entries (Kept %d), want %d..%d", len(all), d.Kept, tc.minKept, tc.maxKept)
			}
			must(t, j.Put(Entry{Person: "new@example.com", Platform: upload.Igloo, State: StateUploaded}))
			must(t, j.Close())

			j, err = Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if j.Damage() != nil {
				t.Errorf("the new journal is damaged: %+v", j.Damage())
			}
			if _, ok, _ := j.Get("new@example.com", upload.Igloo); !ok {
				t.Error("the new journal lost a record written after the damage")
			}
			if all2, _ := j.All(); len(all2) != len(all)+1 {
				t.Errorf("reopened with %d entries, want %d", len(all2), len(all)+1)
			}
		})
	}
}

func TestOldFormatMigratedAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	boltJournal(t, path, 30)
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if j.Damage() != nil {
		t.Fatalf("sound old journal reported damaged: %+v", j.Damage())
	}
	all, _ := j.All()
	if len(all) != 30 {
		t.Fatalf("migrated %d entries, want 30", len(all))
	}
	old, _ := filepath.Glob(path + ".bbolt-*")
	if len(old) != 1 {
		t.Errorf("old file not kept aside: %v", old)
	}
}

func TestNotAJournalIsRefusedAndLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	must(t, os.WriteFile(path, []byte("[zoom]\naccount_id = \"x\"\n"), 0o600))
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "not a headshot journal") {
		t.Fatalf("Open of a config file: %v", err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "account_id") {
		t.Error("the file was changed")
	}
}

// TestReadWhileWriting: history in a second pane while an upload writes.
func TestReadWhileWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	must(t, j.Put(Entry{Person: "first", Platform: upload.Zoom, State: StateUploaded}))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			if err := j.Put(Entry{Person: fmt.Sprintf("p%d", i), Platform: upload.Rhombus, State: StateUploaded, LastError: strings.Repeat("e", i)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 20; i++ {
		r, err := OpenReadOnly(path)
		if err != nil {
			t.Fatalf("read while writing: %v", err)
		}
		if r.Damage() != nil {
			t.Fatalf("a record being written counted as damage: %+v", r.Damage())
		}
		if _, ok, _ := r.Get("first", upload.Zoom); !ok {
			t.Fatal("reader misses a record written before it opened")
		}
		if err := r.Put(Entry{Person: "x", Platform: upload.Zoom}); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("read-only Put: %v", err)
		}
		r.Close()
	}
	wg.Wait()
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if all, _ := r.All(); len(all) != 201 {
		t.Errorf("reader sees %d entries, want 201", len(all))
	}
}

func TestWriteFailureIsKeptAndFileStaysSound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	must(t, j.Put(Entry{Person: "a", Platform: upload.Zoom, State: StateUploaded}))
	j.w.f.Close() // the next write fails, as on a full disk
	if err := j.Put(Entry{Person: "b", Platform: upload.Zoom, State: StateUploaded}); err == nil {
		t.Fatal("write to a closed file succeeded")
	}
	if j.Failure() == nil {
		t.Error("Failure() is nil after a failed write")
	}
	if _, ok, _ := j.Get("b", upload.Zoom); ok {
		t.Error("an entry that was not written is reported as recorded")
	}
	unlockFile(j.lock)
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Damage() != nil {
		t.Errorf("file damaged by a failed write: %+v", r.Damage())
	}
}

func TestCheckSpace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x", "journal.db")
	if err := CheckSpace(path, 10); err != nil {
		t.Errorf("CheckSpace with room: %v", err)
	}
	err := CheckSpace(path, 1<<50)
	if err == nil || !strings.Contains(err.Error(), "free") || !strings.Contains(err.Error(), path) {
		t.Errorf("CheckSpace for an impossible run: %v", err)
	}
}

func TestCompactionKeepsLatest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 400; i++ {
		must(t, j.Put(Entry{Person: "same", Platform: upload.Zoom, State: StateUploaded, Attempts: i}))
	}
	must(t, j.Close())
	st, _ := os.Stat(path)
	if st.Size() > 4096 {
		t.Errorf("journal of one entry is %d bytes after close", st.Size())
	}
	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if e, _, _ := j.Get("same", upload.Zoom); e.Attempts != 399 {
		t.Errorf("kept attempts %d, want 399", e.Attempts)
	}
}

// With no writer, history must see a journal cut short (the last line
// without its newline is not a record being appended).
func TestReadOnlySeesACutShortJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	fill(t, path, 100)
	must(t, os.Truncate(path, 8192))
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Damage(); d == nil || !d.CutShort {
		t.Fatalf("cut-short journal read as sound: %+v", d)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal("the reader moved the file")
	}
}

// One flipped bit damages one record, however long that record is next
// to the others: the warning said "up to 2 photos" when the damaged line
// was a third longer than the average (a flake of upload/cli's
// TestUploadWithDamagedJournal). A flipped newline merges two records
// into one bad line, and both are counted.
func TestDamageCountsRecordsNotBytes(t *testing.T) {
	for _, c := range []struct {
		name string
		flip func(data []byte) int // the offset to flip a bit at
		want int
	}{
		{"a bit in the long last record", func(d []byte) int { return len(d) - 30 }, 1},
		{"the newline between the last two records", func(d []byte) int { return bytes.LastIndexByte(d[:len(d)-1], '\n') }, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.db")
			j, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				must(t, j.Put(Entry{Person: fmt.Sprintf("p%d@example.com", i), Platform: upload.Zoom, Hash: "h", State: StateUploaded}))
			}
			// The last record is three times as long as the others.
			must(t, j.Put(Entry{Person: "long@example.com", Platform: upload.Zoom, Hash: "h", State: StateFailed, LastError: strings.Repeat("refused ", 30)}))
			must(t, j.Close())
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			off := c.flip(data)
			overwrite(t, path, int64(off), []byte{data[off] ^ 0x01})
			j, err = Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if d := j.Damage(); d == nil || d.Lost != c.want {
				t.Fatalf("damage %+v, want Lost %d", d, c.want)
			}
		})
	}
}
