package journal

import (
	"errors"
	"sort"
	"time"
)

// Approval is a human's "send it anyway" for one source photo that needs
// review (imageprep's review gate), keyed by its content hash, so the
// approval follows the photo, not its file name. Approvals are records of
// their own in the journal file ({"a":Approval}); a journal written before
// they existed reads as "nothing approved".
type Approval struct {
	Hash    string
	Path    string
	Person  string
	Reasons []string // what the photo was held for when it was approved
	Updated time.Time
}

// applyApproval adds r's approval, if it is one, to approvals.
func (r record) applyApproval(approvals map[string]Approval) {
	if r.Approval != nil && approvals != nil {
		approvals[r.Approval.Hash] = *r.Approval
	}
}

// approvalRecords are the live approvals, for a rewrite (mu held).
func (j *Journal) approvalRecords() []record {
	hashes := make([]string, 0, len(j.approvals))
	for h := range j.approvals {
		hashes = append(hashes, h)
	}
	sort.Strings(hashes)
	recs := make([]record, 0, len(hashes))
	for _, h := range hashes {
		a := j.approvals[h]
		recs = append(recs, record{Approval: &a})
	}
	return recs
}

// Approve records that the photo with the approval's hash may be sent
// although it needs review.
func (j *Journal) Approve(a Approval) error {
	if a.Hash == "" {
		return errors.New("journal: approval needs the source hash")
	}
	if a.Updated.IsZero() {
		a.Updated = time.Now()
	}
	return j.append([]record{{Approval: &a}})
}

// Approved returns the approval recorded for a source hash.
func (j *Journal) Approved(hash string) (Approval, bool, error) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	a, ok := j.approvals[hash]
	return a, ok, nil
}
