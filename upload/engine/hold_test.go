package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
)

// flaggingPrep is fakePrep whose results carry flags by file name:
// "noface" in the name -> no face found; "tiny" -> too small to be a photo.
func flaggingPrep(fp *fakePrep) PrepareFunc {
	return func(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error) {
		if strings.Contains(path, "tiny") {
			return nil, &imageprep.Error{Path: path, Kind: imageprep.KindTooSmall, Detail: "1x1 px is not a photo"}
		}
		res, err := fp.prepare(ctx, path, o)
		if err == nil && strings.Contains(path, "noface") && o.Manual == nil {
			res.Flags = []imageprep.Flag{imageprep.FlagNoFace}
		}
		return res, err
	}
}

func TestPhotosThatNeedReviewAreHeld(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 500)
	netex := newFake(upload.Netex, 500)
	jobs := photos(t, 2)
	dir := filepath.Dir(jobs[0].Path)
	jobs = append(jobs, jobAt(t, dir, "noface"), jobAt(t, dir, "tiny"))
	cfg := testConfig(fp, zoom, netex)
	cfg.Prepare = flaggingPrep(fp)
	e, c := runAll(t, cfg, jobs)

	for _, f := range []*fakeClient{zoom, netex} {
		if f.uploadsOf("noface@example.com") != 0 || f.uploadsOf("tiny@example.com") != 0 {
			t.Errorf("%s received a held photo: %v", f.p, f.callList())
		}
		if n := len(f.callList()); n != 2 {
			t.Errorf("%s got %d uploads, want the 2 fit photos", f.p, n)
		}
	}
	if n := itemsIn(e, string(StateHeld)); n != 4 {
		t.Errorf("%d items held, want 4 (2 photos x 2 platforms)", n)
	}
	if n := c.count(EventHeld, ""); n != 4 {
		t.Errorf("%d held events, want 4", n)
	}
	for _, it := range e.Items() {
		if it.Person == "noface@example.com" && (it.State != StateHeld || len(it.Review) != 1 || it.Review[0] != "no face found") {
			t.Errorf("no-face item: %+v", it)
		}
		if it.Person == "tiny@example.com" && (it.State != StateHeld || !strings.Contains(strings.Join(it.Review, ""), "cannot be approved")) {
			t.Errorf("tiny item: %+v", it)
		}
	}
	for _, s := range e.Snapshot() {
		if s.Held != 2 || s.Done != 2 || s.Failed != 0 {
			t.Errorf("%s stats: held %d done %d failed %d, want 2, 2, 0", s.Platform, s.Held, s.Done, s.Failed)
		}
	}
}

func TestApprovalSendsAHeldPhoto(t *testing.T) {
	dir := t.TempDir()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for _, c := range []struct {
		name string
		set  func(*Config, *Job)
	}{
		{"job approved", func(_ *Config, jb *Job) { jb.Approved = true }},
		{"--approve-flagged", func(cfg *Config, _ *Job) { cfg.ApproveFlagged = true }},
		{"approved in the journal", func(cfg *Config, jb *Job) {
			cfg.Journal = j
			h, err := newPrepCache(nil).sourceHash(jb.Path)
			if err != nil {
				t.Fatal(err)
			}
			if err := j.Approve(journal.Approval{Hash: h, Path: jb.Path}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fp := &fakePrep{}
			zoom := newFake(upload.Zoom, 500)
			jb := jobAt(t, dir, "noface-"+strings.ReplaceAll(c.name, " ", "-"))
			tiny := jobAt(t, dir, "tiny-"+strings.ReplaceAll(c.name, " ", "-"))
			cfg := testConfig(fp, zoom)
			cfg.Prepare = flaggingPrep(fp)
			c.set(&cfg, &jb)
			tiny.Approved = jb.Approved
			e, _ := runAll(t, cfg, []Job{jb, tiny})
			if zoom.uploadsOf(jb.Person) != 1 {
				t.Errorf("approved no-face photo not sent: %+v", e.Items())
			}
			if zoom.uploadsOf(tiny.Person) != 0 {
				t.Error("a photo too small to be a photo was sent: no approval may send it")
			}
		})
	}
}

func TestPlanSaysWhatTheRunWillDo(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 20)
	inter := newFake(upload.Interact, 500)
	inter.lim.Rate = upload.Rate{N: 6, Per: time.Minute}
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	jobs := photos(t, 13)
	dir := filepath.Dir(jobs[0].Path)
	jobs = append(jobs, jobAt(t, dir, "noface"), jobAt(t, dir, "tiny"))
	cfg := testConfig(fp, zoom, inter)
	cfg.Prepare = flaggingPrep(fp)
	cfg.Journal = j
	// Three people had another photo sent before; one has this very photo
	// on both platforms already.
	for i, jb := range jobs[:4] {
		h, _ := newPrepCache(nil).sourceHash(jb.Path)
		for _, c := range []upload.Client{zoom, inter} {
			_, profile := prepOptions(cfg, c.Limits(), jb, h)
			if i > 0 {
				h, profile = "an older photo", "old"
			}
			if err := j.Put(journal.Entry{Person: jb.Person, Platform: c.Platform(), Hash: h, Profile: profile, State: journal.StateUploaded}); err != nil {
				t.Fatal(err)
			}
		}
	}
	pl, err := MakePlan(context.Background(), cfg, jobs)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Photos != 12 || pl.Uploads != 24 || len(pl.Held) != 2 || pl.Replace != 3 || pl.Unchanged != 1 {
		t.Errorf("plan %+v, want 12 photos, 24 uploads, 2 held, 3 replacing, 1 unchanged", pl)
	}
	if pl.Slowest.Platform != upload.Interact || pl.Slowest.Time < time.Minute || pl.Slowest.Time > 2*time.Minute {
		t.Errorf("slowest %+v, want Interact, about 2 min for 12 at 6/min", pl.Slowest)
	}
	want := "Send 12 photos to 2 platforms (24 uploads)? 2 held for review, 3 replace photos sent before, 1 unchanged (skipped), " +
		upload.Interact.Title() + " at 6/min needs about 2 min"
	if got := pl.Sentence(true); got != want {
		t.Errorf("sentence\n got %q\nwant %q", got, want)
	}

	// One photo sent again to one platform (Correct's target after a
	// remap) goes "to 1 platform", not to every platform configured.
	one := jobs[5]
	one.Platforms, one.Force = []upload.Platform{upload.Zoom}, true
	if pl1, err := MakePlan(context.Background(), cfg, []Job{one}); err != nil || !strings.HasPrefix(pl1.Sentence(true), "Send 1 photo to 1 platform (1 upload)?") {
		t.Errorf("one photo to Zoom: %q, %v", pl1.Sentence(true), err)
	}

	// The run does what the plan said (at a test's pace).
	inter.lim.Rate = upload.Rate{N: 500, Per: time.Second}
	e, _ := runAll(t, cfg, jobs)
	if n := itemsIn(e, "uploaded"); n != pl.Uploads {
		t.Errorf("run uploaded %d, plan said %d", n, pl.Uploads)
	}
	if n := itemsIn(e, string(StateHeld)); n != 2*len(pl.Held) {
		t.Errorf("run held %d items, plan said %d photos on 2 platforms", n, len(pl.Held))
	}
	if n := itemsIn(e, string(StateSkipped)); n != 2*pl.Unchanged {
		t.Errorf("run skipped %d items, plan said %d photos unchanged", n, pl.Unchanged)
	}
}

// A photo some sub-systems refused last time (a partial upload) is sent
// again by the run, so the plan counts it as a send, not as unchanged.
func TestPlanSendsAPartialUploadAgain(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	jobs := photos(t, 2)
	cfg := testConfig(fp, zoom)
	cfg.Journal = j
	for i, jb := range jobs {
		h, _ := newPrepCache(nil).sourceHash(jb.Path)
		_, profile := prepOptions(cfg, zoom.Limits(), jb, h)
		en := journal.Entry{Person: jb.Person, Platform: upload.Zoom, Hash: h, Profile: profile, State: journal.StateUploaded}
		if i == 0 {
			en.Partial = "training refused it"
		}
		if err := j.Put(en); err != nil {
			t.Fatal(err)
		}
	}
	pl, err := MakePlan(context.Background(), cfg, jobs)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Uploads != 1 || pl.Unchanged != 1 {
		t.Errorf("plan %+v, want 1 upload (the partial one) and 1 unchanged", pl)
	}
	e, _ := runAll(t, cfg, jobs)
	if up, sk := itemsIn(e, "uploaded"), itemsIn(e, string(StateSkipped)); up != pl.Uploads || sk != pl.Unchanged {
		t.Errorf("run uploaded %d, skipped %d; plan said %d, %d", up, sk, pl.Uploads, pl.Unchanged)
	}
}

// jobAt writes a photo file for person <name>@example.com in dir.
func jobAt(t *testing.T, dir, name string) Job {
	t.Helper()
	jb := photosIn(t, dir, name)
	return jb
}

// A local failure of another file (a text file named jane.jpg) leaves the
// journal's record of the photo that was uploaded alone.
func TestLocalFailureOfAnotherFileKeepsTheUploadRecord(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 500)
	dir := t.TempDir()
	good := photosIn(t, dir, "jane")
	cfg := testConfig(fp, zoom)
	cfg.Journal = j
	runAll(t, cfg, []Job{good})
	text := Job{Path: filepath.Join(dir, "jane.jpg"), Person: good.Person}
	cfg.Prepare = func(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error) {
		return nil, &imageprep.Error{Path: path, Kind: imageprep.KindNotImage, Detail: "text"}
	}
	if err := os.WriteFile(text.Path, []byte("notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	e, _ := runAll(t, cfg, []Job{text})
	if n := itemsIn(e, "failed"); n != 1 {
		t.Fatalf("the text file should fail: %+v", e.Items())
	}
	en, ok, err := j.Get(good.Person, upload.Zoom)
	if err != nil || !ok || en.State != journal.StateUploaded || en.Path != good.Path {
		t.Errorf("journal entry after the text file failed: %+v (%v %v), want the upload of %s", en, ok, err, good.Path)
	}
}
