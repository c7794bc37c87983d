package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"headshot/upload"
	"headshot/upload/journal"
)

// TestDoctorVerifiesJournalIntegrity: a sound journal is "sound"; a damaged
// one fails with what the next run will do, and doctor changes nothing.
func TestDoctorVerifiesJournalIntegrity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a", "b", "c"} {
		if err := j.Put(journal.Entry{Person: p + "@example.com", Platform: upload.Zoom, State: journal.StateUploaded}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	f := checkJournal(path)
	if f.Level == Fail || !strings.Contains(f.Detail, "3 records checked, sound") {
		t.Fatalf("sound journal: %+v", f)
	}

	data, _ := os.ReadFile(path)
	data[len(data)-20] ^= 0x10 // a bit flip in the last record
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f = checkJournal(path)
	if f.Level != Fail || !strings.Contains(f.Detail, "damaged") || !strings.Contains(f.Fix, "journal.db.damaged-") ||
		!strings.Contains(f.Fix, "2 records") || !strings.Contains(f.Fix, "may be sent again") {
		t.Fatalf("damaged journal: %+v", f)
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Error("doctor changed the journal")
	}
}
