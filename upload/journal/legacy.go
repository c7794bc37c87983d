package journal

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// Journals before version 2 were bbolt files. Open reads one into the new
// format and keeps the old file as journal.db.bbolt-<time>.

// boltMagic is at byte 16 of a bbolt file (the first meta page).
const boltMagic = 0xED0CDAED

func isBolt(data []byte) bool {
	return len(data) >= 20 && binary.LittleEndian.Uint32(data[16:20]) == boltMagic
}

var (
	boltEntries     = []byte("entries")
	boltCorrections = []byte("corrections")
)

// loadBolt reads a bbolt journal into ld. bbolt trusts its file: a damaged
// one panics or faults on the memory map, so both are caught (a fault on
// the map becomes a panic with SetPanicOnFault) and reported as damage,
// keeping what was read before it.
func loadBolt(path string, data []byte, ld *loaded) (damage *Damage) {
	bad := 0
	metaErr := checkBoltMetas(data)
	defer func() {
		if metaErr != nil && damage == nil {
			// bbolt silently falls back to the other meta page: an older
			// state, possibly empty.
			damage = &Damage{Reason: "the old-format (bbolt) file: " + metaErr.Error(), Kept: len(ld.entries) + len(ld.corrections), Lost: -1}
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			damage = &Damage{Reason: fmt.Sprintf("the old-format (bbolt) file is damaged: %v", r), Kept: len(ld.entries) + len(ld.corrections), Lost: -1}
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockTimeout})
	if err != nil {
		return &Damage{Reason: "the old-format (bbolt) file cannot be opened: " + err.Error(), Lost: -1}
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(boltEntries); b != nil {
			b.ForEach(func(_, v []byte) error {
				var e Entry
				if json.Unmarshal(v, &e) != nil || e.Person == "" || e.Platform == "" {
					bad++
					return nil
				}
				ld.records++
				record{Entry: &e}.apply(ld.entries, ld.corrections)
				return nil
			})
		}
		if b := tx.Bucket(boltCorrections); b != nil {
			b.ForEach(func(_, v []byte) error {
				var c Correction
				if json.Unmarshal(v, &c) != nil || c.Hash == "" {
					bad++
					return nil
				}
				ld.records++
				record{Correction: &c}.apply(ld.entries, ld.corrections)
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return &Damage{Reason: "the old-format (bbolt) file: " + err.Error(), Kept: len(ld.entries) + len(ld.corrections), Lost: -1}
	}
	if bad > 0 {
		return &Damage{Reason: fmt.Sprintf("%d damaged record(s) in the old-format (bbolt) file", bad), Kept: len(ld.entries) + len(ld.corrections), Lost: bad}
	}
	return nil
}

// checkBoltMetas checks the two meta pages' checksums and that the file
// is as long as the newest valid one says.
func checkBoltMetas(data []byte) error {
	type meta struct {
		ok        bool
		pageSize  uint64
		pgid, txn uint64
	}
	read := func(off int) meta {
		if off < 0 || off+80 > len(data) {
			return meta{}
		}
		m := data[off+16 : off+80]
		h := fnv.New64a()
		h.Write(m[:56])
		if binary.LittleEndian.Uint32(m[0:4]) != boltMagic || h.Sum64() != binary.LittleEndian.Uint64(m[56:64]) {
			return meta{}
		}
		return meta{ok: true, pageSize: uint64(binary.LittleEndian.Uint32(m[8:12])), pgid: binary.LittleEndian.Uint64(m[40:48]), txn: binary.LittleEndian.Uint64(m[48:56])}
	}
	m0 := read(0)
	ps := 4096
	if m0.ok && m0.pageSize >= 1024 && m0.pageSize <= 1<<16 {
		ps = int(m0.pageSize)
	}
	m1 := read(ps)
	if !m0.ok || !m1.ok {
		return errors.New("a meta page is damaged, so the newest records may be missing")
	}
	newest := m0
	if m1.txn > m0.txn {
		newest = m1
	}
	if uint64(len(data)) < newest.pgid*newest.pageSize {
		return fmt.Errorf("the file is %d bytes, cut short of the %d its header gives", len(data), newest.pgid*newest.pageSize)
	}
	return nil
}
