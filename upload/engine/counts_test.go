package engine

import (
	"testing"

	"headshot/upload"
	"headshot/upload/journal"
)

// A person submitted again in the same session replaces their old item in
// the lane's counts: the second run over the same three photos (one always
// refused) reads 2 done, 1 failed of 3, not 4 done, 2 failed of 6, and the
// counts agree with the items the failures view and the report list.
func TestResubmitDoesNotDoubleCount(t *testing.T) {
	zoom := newFake(upload.Zoom, 100)
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if person == "p000@example.com" {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Status: 400, Message: "refused"}
		}
		return nil
	}
	e, ctx := startEngine(t, testConfig(&fakePrep{}, zoom))
	jobs := photos(t, 3)
	for run := 1; run <= 3; run++ {
		e.Submit(jobs...)
		if err := e.Wait(ctx); err != nil {
			t.Fatalf("run %d: Wait: %v", run, err)
		}
		st := e.Snapshot()[0]
		if st.Total != 3 || st.Done != 2 || st.Failed != 1 || st.Skipped != 0 {
			t.Fatalf("run %d: total %d done %d failed %d skipped %d, want 3/2/1/0", run, st.Total, st.Done, st.Failed, st.Skipped)
		}
		failed, uploaded := itemsIn(e, string(journal.StateFailed)), itemsIn(e, string(journal.StateUploaded))
		if failed != st.Failed || uploaded != st.Done {
			t.Fatalf("run %d: items say %d uploaded %d failed, stats %d/%d", run, uploaded, failed, st.Done, st.Failed)
		}
	}
	if n := zoom.uploadsOf("p001@example.com"); n != 3 {
		t.Fatalf("p001 sent %d times, want 3 (one per run)", n)
	}
}

// Four photos answered 413, re-encoded, and refused again: "too large 4,
// re-encoded and sent 0", never "4 re-encoded" as if that fixed them. One
// that fits after the re-encode counts as sent; a second run of the same
// photos in the session does not count the 413s twice.
func TestTooLargeCountsWhatWasSentAfterReencoding(t *testing.T) {
	zoom := newFake(upload.Zoom, 100)
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if person != "p004@example.com" || len(ph.Data) > 500 {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassTooLarge, Status: 413, Size: int64(len(ph.Data)), Limit: 500}
		}
		return nil
	}
	e, ctx := startEngine(t, testConfig(&fakePrep{size: 900}, zoom))
	jobs := photos(t, 5)
	for run := 1; run <= 2; run++ {
		e.Submit(jobs...)
		if err := e.Wait(ctx); err != nil {
			t.Fatalf("run %d: Wait: %v", run, err)
		}
		st := e.Snapshot()[0]
		if st.TooLarge != 5 || st.ReencodedSent != 1 || st.Failed != 4 || st.Done != 1 || st.Total != 5 {
			t.Fatalf("run %d: too large %d, re-encoded and sent %d, failed %d, done %d of %d; want 5, 1, 4, 1 of 5",
				run, st.TooLarge, st.ReencodedSent, st.Failed, st.Done, st.Total)
		}
	}
}

// The done event says what was sent and only the counts that are not zero.
func TestDoneMessage(t *testing.T) {
	for _, c := range []struct {
		sent, failed, skipped, held int
		want                        string
	}{
		{11, 1, 0, 2, "11 sent, 1 failed, 2 held"},
		{3, 0, 0, 0, "3 sent"},
		{0, 0, 4, 0, "0 sent, 4 unchanged"},
		{5, 2, 1, 1, "5 sent, 2 failed, 1 held, 1 unchanged"},
	} {
		if got := doneMessage(c.sent, c.failed, c.skipped, c.held, false); got != c.want {
			t.Errorf("doneMessage(%d, %d, %d, %d) = %q, want %q", c.sent, c.failed, c.skipped, c.held, got, c.want)
		}
	}
	// A dry run sent nothing.
	if got, want := doneMessage(3, 1, 0, 0, true), "3 would send, 1 failed"; got != want {
		t.Errorf("dry run: %q, want %q", got, want)
	}
}
