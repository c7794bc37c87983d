package journal

import (
	"fmt"
	"os"
	"path/filepath"
)

// recordBytes is a generous size for one record on disk.
const recordBytes = 600

// minFree is the least free space a run starts with, whatever its size.
const minFree = 8 << 20

// CheckSpace says whether the file system holding the journal at path has
// room for a run that writes about records records (a photo on a platform
// is two or three: uploading, then uploaded or failed), with a margin. A
// run that starts on a full disk sends photos it cannot record, and the
// next run sends them again.
func CheckSpace(path string, records int) error {
	dir := filepath.Dir(path)
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	free, ok := freeBytes(dir)
	if !ok {
		return nil
	}
	need := uint64(records)*recordBytes*2 + minFree
	if free < need {
		return fmt.Errorf("only %s free on the disk holding the journal %s; this run needs about %s to record what it sends: free some space first (or pass --journal FILE on another disk)",
			sizeText(free), path, sizeText(need))
	}
	return nil
}

func sizeText(n uint64) string {
	switch {
	case n >= 10<<30:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	default:
		return fmt.Sprintf("%d KB", n>>10)
	}
}

// Report is what Verify found.
type Report struct {
	Entries     int
	Corrections int
	Records     int     // lines in the file, superseded ones included
	Damage      *Damage // nil: sound
	InUse       bool    // another headshot is writing it now
}

// Verify reads the journal at path and checks every record, without
// changing the file (`headshot doctor`). While another headshot writes it,
// a record being appended is not counted as damage.
func Verify(path string) (Report, error) {
	inUse := lockHeld(path + ".lock")
	ld, err := load(path, inUse)
	if err != nil {
		return Report{InUse: inUse}, err
	}
	return Report{Entries: len(ld.entries), Corrections: len(ld.corrections), Records: ld.records, Damage: ld.damage, InUse: inUse}, nil
}
