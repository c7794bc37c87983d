package journal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// The file format, version 2. The first line is header; then one record a
// line:
//
//	<crc> <json>\n
//
// where <crc> is the CRC-32C (Castagnoli) of <json> as 8 lower-case hex
// digits and <json> is {"e":Entry} or {"c":Correction}. A later record for
// the same key replaces an earlier one. A line whose CRC does not match is
// damage (a bit flip, an overwritten block); a last line with no newline
// was being written when the process or the machine stopped (or the file
// was cut short).
const header = "headshot-journal 2\n"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// record is one line: an entry or a correction.
type record struct {
	Entry      *Entry      `json:"e,omitempty"`
	Correction *Correction `json:"c,omitempty"`
	Approval   *Approval   `json:"a,omitempty"` // approvals.go
}

func (r record) apply(entries map[string]Entry, corrections map[string]Correction) {
	switch {
	case r.Entry != nil:
		entries[entryKey(r.Entry.Person, r.Entry.Platform)] = *r.Entry
	case r.Correction != nil:
		corrections[r.Correction.Hash] = *r.Correction
	}
}

func encodeRecords(recs []record) ([]byte, error) {
	var buf bytes.Buffer
	for _, r := range recs {
		js, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		var sum [4]byte
		c := crc32.Checksum(js, crcTable)
		sum[0], sum[1], sum[2], sum[3] = byte(c>>24), byte(c>>16), byte(c>>8), byte(c)
		buf.WriteString(hex.EncodeToString(sum[:]))
		buf.WriteByte(' ')
		buf.Write(js)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// decodeLine parses one line (without its newline); ok is false when the
// line is damaged.
func decodeLine(line []byte) (record, bool) {
	var r record
	if len(line) < 10 || line[8] != ' ' {
		return r, false
	}
	want, err := strconv.ParseUint(string(line[:8]), 16, 32)
	if err != nil || uint32(want) != crc32.Checksum(line[9:], crcTable) {
		return r, false
	}
	if json.Unmarshal(line[9:], &r) != nil {
		return r, false
	}
	switch {
	case r.Entry != nil && r.Entry.Person != "" && r.Entry.Platform != "":
	case r.Correction != nil && r.Correction.Hash != "":
	case r.Approval != nil && r.Approval.Hash != "":
	default:
		return record{}, false
	}
	return r, true
}

// Damage is what was wrong with a journal file when it was opened.
type Damage struct {
	// Reason says what was found ("2 damaged records", "the file is empty").
	Reason string
	// Aside is where the damaged file was kept (journal.db.damaged-<time>);
	// empty when the journal was only read.
	Aside string
	// Kept is how many records were read and kept.
	Kept int
	// Lost estimates how many records could not be read: each may be a
	// photo that is sent again. -1: not known.
	Lost int
	// CutShort: the file ends mid-record, so records after that point may
	// be gone too (a file cut short, or a machine that stopped mid-write).
	CutShort bool
}

// Warning is the sentence to show the technician.
func (d *Damage) Warning(path string) string {
	msg := fmt.Sprintf("the upload journal %s was damaged (%s)", path, d.Reason)
	if d.Aside != "" {
		msg += fmt.Sprintf("; the damaged file is kept as %s and a new journal started with the %d records that could be read", d.Aside, d.Kept)
	}
	switch {
	case d.Lost < 0 && d.Kept == 0:
		msg += "; nothing in it could be read, so every photo it recorded may be sent again"
	case d.Lost < 0:
		msg += "; photos recorded after the damage may be sent again"
	case d.Lost > 0:
		msg += fmt.Sprintf("; up to %d photo(s) recorded in the damaged part may be sent again", d.Lost)
	}
	if d.CutShort {
		msg += ", and any recorded after the point where it was cut"
	}
	return msg
}

// loaded is what load read from a journal file.
type loaded struct {
	entries     map[string]Entry
	corrections map[string]Correction
	approvals   map[string]Approval
	records     int
	damage      *Damage
	exists      bool
	legacy      bool // bbolt file of the previous format
	rewrite     bool
}

// maxJournal bounds what load reads into memory (about 3 million records).
const maxJournal = 1 << 30

// load reads path. A missing file is an empty journal. readOnly: a last
// line without a newline is a record being appended, not damage. load
// never panics: a panic while reading (the previous format's library) is
// damage.
func load(path string, readOnly bool) (ld loaded, err error) {
	ld.entries, ld.corrections, ld.approvals = map[string]Entry{}, map[string]Correction{}, map[string]Approval{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return ld, nil
	}
	if err != nil {
		return ld, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ld, err
	}
	if !st.Mode().IsRegular() {
		return ld, fmt.Errorf("not a regular file")
	}
	if st.Size() > maxJournal {
		return ld, fmt.Errorf("the file is %d MB, over the %d MB a journal can be: move it aside", st.Size()>>20, maxJournal>>20)
	}
	ld.exists = true
	data, err := io.ReadAll(io.LimitReader(f, maxJournal+1))
	if err != nil {
		return ld, err
	}
	if len(data) == 0 {
		ld.damage = &Damage{Reason: "the file is empty (0 bytes)", Lost: -1}
		return ld, nil
	}
	if isBolt(data) {
		ld.legacy = true
		ld.damage = loadBolt(path, data, &ld)
		return ld, nil
	}
	parseLog(data, readOnly, &ld)
	if ld.damage != nil && ld.records == 0 && !bytes.HasPrefix(data, []byte(header[:10])) {
		// Nothing of a journal in it: someone else's file. Do not move it.
		return ld, fmt.Errorf("is not a headshot journal (no %q header, no readable record): choose another file with --journal or journal = \"FILE\"", header[:len(header)-1])
	}
	return ld, nil
}

// parseLog reads the records of a version-2 file into ld, counting damage.
func parseLog(data []byte, readOnly bool, ld *loaded) {
	var badLines, goodBytes int
	var bad [][]byte // the damaged lines (and a torn tail), for Lost
	torn := false
	rest := data
	if bytes.HasPrefix(rest, []byte(header)) {
		rest = rest[len(header):]
	} else {
		// A damaged header: the lines after it may still be sound.
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest) - 1
		}
		badLines++
		bad = append(bad, rest[:i+1])
		rest = rest[i+1:]
	}
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			if !readOnly {
				torn = true
				bad = append(bad, rest)
			}
			break
		}
		line := rest[:i]
		rest = rest[i+1:]
		r, ok := decodeLine(line)
		if !ok {
			badLines++
			bad = append(bad, line)
			continue
		}
		goodBytes += len(line) + 1
		ld.records++
		r.apply(ld.entries, ld.corrections)
		r.applyApproval(ld.approvals)
	}
	if badLines == 0 && !torn {
		return
	}
	avg := 300
	if ld.records > 0 {
		avg = goodBytes / ld.records
	}
	lost := 0
	for _, b := range bad {
		lost += recordsIn(b, avg)
	}
	d := &Damage{Kept: len(ld.entries) + len(ld.corrections), Lost: lost, CutShort: torn}
	switch {
	case badLines > 0 && torn:
		d.Reason = fmt.Sprintf("%d damaged record(s), and it ends mid-record: cut short", badLines)
	case badLines > 0:
		d.Reason = fmt.Sprintf("%d damaged record(s): their checksums do not match", badLines)
	default:
		d.Reason = fmt.Sprintf("it ends mid-record at byte %d: cut short, or the machine stopped while it was written", len(data))
	}
	ld.damage = d
}

// recordsIn estimates how many records a damaged line held: the record
// openings it still shows (`xxxxxxxx {"e":`; a flipped newline merges two
// lines into one bad line showing two), else its length in average records
// (avg bytes each; a zeroed stretch over several lines shows none), at
// least one. Counting by length alone said "up to 2 photos" for a single
// flipped bit in a record a third longer than the average.
func recordsIn(line []byte, avg int) int {
	n := 0
	for _, open := range [][]byte{[]byte(` {"e":`), []byte(` {"c":`), []byte(` {"a":`)} {
		n += bytes.Count(line, open)
	}
	if n > 0 {
		return n
	}
	return max(1, (len(line)+avg/2)/max(avg, 1))
}

// appender appends to the journal file.
type appender struct {
	f    *os.File
	size int64
}

func openAppender(path string) (*appender, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &appender{f: f, size: size}, nil
}

// write appends buf and fsyncs. On failure (disk full) the file is cut
// back to where it was, so a half-written line never precedes the next.
func (a *appender) write(buf []byte) error {
	if _, err := a.f.Write(buf); err != nil {
		a.f.Truncate(a.size)
		return err
	}
	if err := a.f.Sync(); err != nil {
		a.f.Truncate(a.size)
		return err
	}
	a.size += int64(len(buf))
	return nil
}

func (a *appender) close() error { return a.f.Close() }

// writeFresh writes header and recs to a new file beside path, fsyncs it
// and renames it over path.
func writeFresh(path string, recs []record) error {
	body, err := encodeRecords(recs)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".new-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.WriteString(header); err != nil {
		return err
	}
	if _, err := tmp.Write(body); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
