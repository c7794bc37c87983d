package engine

import (
	"strings"
	"testing"

	"headshot/upload"
	"headshot/upload/journal"
)

// netexParts is a Netex-like receipt: training and play took the photo,
// social answered fail (0: took it as well).
func netexParts(fail int) upload.Receipt {
	social := upload.PartStatus{Name: "social", Status: 204}
	if fail != 0 {
		social = upload.PartStatus{Name: "social", Status: fail, Message: "could not store the image"}
	}
	return upload.Receipt{Status: 200, Parts: []upload.PartStatus{
		{Name: "training", Status: 200}, social, {Name: "play", Status: 204}}}
}

func TestPartialSuccessIsSentOnceMoreThenRecordedAsPartial(t *testing.T) {
	fp := &fakePrep{}
	j, err := journal.Open(t.TempDir() + "/j.db")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	netex := newFake(upload.Netex, 1000)
	netex.receipt = func(string, int) upload.Receipt { return netexParts(500) }
	cfg := testConfig(fp, netex)
	cfg.Journal = j
	jobs := photos(t, 2)
	e, c := runAll(t, cfg, jobs)

	for _, job := range jobs {
		if n := netex.uploadsOf(job.Person); n != 2 {
			t.Errorf("%s sent %d times, want 2 (the first try and one more)", job.Person, n)
		}
		it := findItem(e, upload.Netex, job.Person)
		if it.State != journal.StateUploaded || !strings.Contains(it.Partial, "social 500") || it.Err != nil {
			t.Errorf("item %s: state %s, partial %q, err %v; want uploaded, partial naming social 500", job.Person, it.State, it.Partial, it.Err)
		}
		en, ok, _ := j.Get(job.Person, upload.Netex)
		if !ok || en.State != journal.StateUploaded || !strings.Contains(en.Partial, "social 500") {
			t.Errorf("journal %+v: want uploaded with the partial noted", en)
		}
	}
	st := e.Snapshot()[0]
	if st.Done != 2 || st.Partial != 2 || st.Failed != 0 {
		t.Errorf("stats done %d, partial %d, failed %d; want 2, 2 (of done), 0", st.Done, st.Partial, st.Failed)
	}
	if n := c.count(EventRetrying, upload.Netex); n != 2 {
		t.Errorf("%d retrying events, want one per photo", n)
	}
	for _, ev := range c.all() {
		if ev.Kind == EventUploaded && !strings.Contains(ev.Message, "partial: social 500") {
			t.Errorf("uploaded event %q does not say which sub-platform refused", ev.Message)
		}
	}

	// The next run sends a partial photo again (it is not "unchanged").
	netex2 := newFake(upload.Netex, 1000)
	cfg.Clients = []upload.Client{netex2}
	e, _ = runAll(t, cfg, jobs)
	for _, job := range jobs {
		if netex2.uploadsOf(job.Person) != 1 {
			t.Errorf("second run sent %s %d times, want 1", job.Person, netex2.uploadsOf(job.Person))
		}
		if it := findItem(e, upload.Netex, job.Person); it.Partial != "" {
			t.Errorf("a whole success still carries partial %q", it.Partial)
		}
		if en, _, _ := j.Get(job.Person, upload.Netex); en.Partial != "" {
			t.Errorf("journal keeps partial %q after a whole success", en.Partial)
		}
	}
	if st := e.Snapshot()[0]; st.Partial != 0 || st.Done != 2 {
		t.Errorf("second run stats %+v", st)
	}
}

func TestPartialThenWholeSuccessIsAWholeSuccess(t *testing.T) {
	fp := &fakePrep{}
	netex := newFake(upload.Netex, 1000)
	netex.receipt = func(_ string, n int) upload.Receipt {
		if n == 1 {
			return netexParts(503)
		}
		return netexParts(0)
	}
	e, _ := runAll(t, testConfig(fp, netex), photos(t, 1))
	it := findItem(e, upload.Netex, "p000@example.com")
	if it.State != journal.StateUploaded || it.Partial != "" || netex.uploadsOf("p000@example.com") != 2 {
		t.Errorf("item %s partial %q after %d sends; want uploaded, whole, after 2", it.State, it.Partial, netex.uploadsOf("p000@example.com"))
	}
	if st := e.Snapshot()[0]; st.Partial != 0 || st.Done != 1 {
		t.Errorf("stats %+v", st)
	}
}
