package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
)

func TestPreparedOncePerBudgetAndAllUploaded(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 200)
	zoom.lim.MaxBytes = 2 << 20
	igloo := newFake(upload.Igloo, 200)
	netex := newFake(upload.Netex, 200)
	jobs := photos(t, 6)
	e, c := runAll(t, testConfig(fp, zoom, igloo, netex), jobs)

	// Two budgets (2 MB, 5 MB): each photo prepared twice, not three times.
	if got := fp.count(); got != 2*len(jobs) {
		t.Errorf("prepare called %d times, want %d (once per photo per budget)", got, 2*len(jobs))
	}
	for _, f := range []*fakeClient{zoom, igloo, netex} {
		if n := len(f.callList()); n != len(jobs) {
			t.Errorf("%s got %d uploads, want %d", f.p, n, len(jobs))
		}
	}
	if n := itemsIn(e, "uploaded"); n != 3*len(jobs) {
		t.Errorf("%d items uploaded, want %d", n, 3*len(jobs))
	}
	if n := c.count(EventUploaded, ""); n != 3*len(jobs) {
		t.Errorf("%d uploaded events, want %d", n, 3*len(jobs))
	}
	if n := c.count(EventDone, ""); n < 3 {
		t.Errorf("%d done events, want one per platform", n)
	}
}

func TestPacingNeverCrossesLimit(t *testing.T) {
	fp := &fakePrep{}
	const limit = 20
	zoom := newFake(upload.Zoom, limit)
	e, err := New(testConfig(fp, zoom))
	if err != nil {
		t.Fatal(err)
	}
	l := e.byName[upload.Zoom]
	if got, want := l.limiter.Limit(), rate.Limit(limit*0.97); got != want {
		t.Errorf("limiter rate %v, want %v", got, want)
	}
	if l.limiter.Burst() != 1 {
		t.Errorf("limiter burst %d, want 1", l.limiter.Burst())
	}
	e.Close()

	jobs := photos(t, 30)
	runAll(t, testConfig(fp, zoom), jobs)
	calls := zoom.callList()
	if len(calls) != len(jobs) {
		t.Fatalf("%d uploads, want %d", len(calls), len(jobs))
	}
	// Pacing: any limit+1 consecutive requests span at least limit/rate
	// (1.03 s at 19.4/s). The times are taken when the fake client is called,
	// after the limiter let the request go, so a loaded machine can only
	// delay a record, which may shorten one span by that delay: allow 230 ms
	// of that jitter. Without pacing the span is a few milliseconds.
	const minSpan = 800 * time.Millisecond
	for i := 0; i+limit < len(calls); i++ {
		if span := calls[i+limit].at.Sub(calls[i].at); span < minSpan {
			t.Fatalf("%d requests within %v starting at request %d; at %d/s they need at least %v",
				limit+1, span.Round(time.Millisecond), i, limit, minSpan)
		}
	}
	// And the whole run takes at least as long as the rate allows.
	if total, want := calls[len(calls)-1].at.Sub(calls[0].at), time.Duration(float64(len(calls)-1)/(limit*0.97)*float64(time.Second))-250*time.Millisecond; total < want {
		t.Errorf("%d requests took %v; at %.1f/s they take at least %v", len(calls), total, limit*0.97, want)
	}
}

func TestThrottleWithRetryAfterPausesOnlyThatPlatform(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	igloo := newFake(upload.Igloo, 30) // 20 photos take ~0.7 s: longer than the pause
	const ra = 400 * time.Millisecond
	var t429 time.Time
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if person == "p000@example.com" && n == 1 {
			t429 = time.Now()
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassThrottled, Status: 429, RetryAfter: ra}
		}
		return nil
	}
	zoom.lim.Concurrency = 1
	jobs := photos(t, 20)
	e, c := runAll(t, testConfig(fp, zoom, igloo), jobs)

	var throttled *Event
	for _, ev := range c.all() {
		if ev.Kind == EventThrottled {
			ev := ev
			throttled = &ev
		}
	}
	if throttled == nil || throttled.Platform != upload.Zoom || throttled.Until.Sub(t429) < ra-10*time.Millisecond {
		t.Fatalf("throttled event = %+v", throttled)
	}
	resume := throttled.Until
	for _, cl := range zoom.callList() {
		if cl.at.After(t429) && cl.at.Before(resume) {
			t.Errorf("zoom request at %v, during the Retry-After pause (until %v)", cl.at.Sub(t429), resume.Sub(t429))
		}
	}
	during := 0
	for _, cl := range igloo.callList() {
		if cl.at.After(t429) && cl.at.Before(resume) {
			during++
		}
	}
	if during == 0 {
		t.Error("igloo sent nothing while zoom was throttled: the pause was not per platform")
	}
	if zoom.uploadsOf("p000@example.com") != 2 || itemsIn(e, "uploaded") != 40 {
		t.Errorf("throttled item not re-sent once: %d sends, %d uploaded", zoom.uploadsOf("p000@example.com"), itemsIn(e, "uploaded"))
	}
	st := statsOf(e, upload.Zoom)
	if st.Throttles != 1 || st.ThrottleStatus != 429 {
		t.Errorf("zoom stats after one 429: throttles %d, status %d", st.Throttles, st.ThrottleStatus)
	}
	if it := findItem(e, upload.Zoom, "p000@example.com"); it.Attempts != 1 {
		t.Errorf("a 429 counted as an attempt: attempts %d", it.Attempts)
	}
}

func TestThrottleWithoutRetryAfterBacksOff(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	zoom.lim.Concurrency = 1
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if n <= 2 {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassThrottled, Status: 429}
		}
		return nil
	}
	cfg := testConfig(fp, zoom)
	cfg.Backoff = 100 * time.Millisecond
	cfg.MaxBackoff = time.Second
	_, c := runAll(t, cfg, photos(t, 1))
	calls := zoom.callList()
	if len(calls) != 3 {
		t.Fatalf("%d requests, want 3 (two 429s then success)", len(calls))
	}
	// Exponential: ~100 ms then ~200 ms, each with at most 20% jitter off.
	if d := calls[1].at.Sub(calls[0].at); d < 80*time.Millisecond {
		t.Errorf("first backoff %v, want >= 80ms", d)
	}
	if d := calls[2].at.Sub(calls[1].at); d < 160*time.Millisecond {
		t.Errorf("second backoff %v, want >= 160ms (doubling)", d)
	}
	if n := c.count(EventThrottled, upload.Zoom); n != 2 {
		t.Errorf("%d throttled events, want 2", n)
	}
}

func TestTooLargeReencodesOnceThenFails(t *testing.T) {
	fp := &fakePrep{size: 900}
	zoom := newFake(upload.Zoom, 100)
	const serverCap = 500
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if person == "p000@example.com" || len(ph.Data) > serverCap {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassTooLarge, Status: 413, Size: int64(len(ph.Data)), Limit: serverCap}
		}
		return nil
	}
	jobs := photos(t, 2)
	e, _ := runAll(t, testConfig(fp, zoom), jobs)

	ok := findItem(e, upload.Zoom, "p001@example.com")
	// Re-encoded just under the stated limit (0.95 x 500).
	if ok.State != journal.StateUploaded || ok.Bytes != serverCap*95/100 {
		t.Errorf("p001: state %s bytes %d, want uploaded at %d bytes", ok.State, ok.Bytes, serverCap*95/100)
	}
	bad := findItem(e, upload.Zoom, "p000@example.com")
	if bad.State != journal.StateFailed || bad.Err == nil || bad.Err.Class != upload.ClassTooLarge {
		t.Fatalf("p000: %+v", bad)
	}
	if !strings.Contains(bad.Err.Message, "sent 475 bytes, limit 500") {
		t.Errorf("failure message %q does not give bytes sent vs limit", bad.Err.Message)
	}
	if n := zoom.uploadsOf("p000@example.com"); n != 2 {
		t.Errorf("p000 sent %d times, want 2 (one re-encode)", n)
	}
	shrunk := 0
	for _, o := range fp.calls {
		if o.Profile.MaxBytes == 475 {
			shrunk++
		}
	}
	if shrunk != 2 {
		t.Errorf("%d re-encodes at the 0.95x limit budget, want 2", shrunk)
	}
	if st := e.Snapshot(); len(st) != 1 || st[0].Reencoded != 2 {
		t.Errorf("snapshot counts %+v re-encodes, want 2", st)
	}
	if st := e.Snapshot(); len(st) != 1 || st[0].TooLarge != 2 || st[0].ReencodedSent != 1 {
		t.Errorf("snapshot: too large %d, re-encoded and sent %d; want 2, 1", st[0].TooLarge, st[0].ReencodedSent)
	}
}

func TestRetryAfterTooLargeReencodesSmallerThanLastTime(t *testing.T) {
	fp := &fakePrep{size: 900}
	zoom := newFake(upload.Zoom, 100)
	// The server says its limit is 500 but really refuses anything over 310,
	// so the engine's one automatic re-encode (0.95 x 500 = 475) still fails.
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if len(ph.Data) > 310 {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassTooLarge, Status: 413, Size: int64(len(ph.Data)), Limit: 500}
		}
		return nil
	}
	e, err := New(testConfig(fp, zoom))
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	e.Submit(photos(t, 1)...)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	it := findItem(e, upload.Zoom, "p000@example.com")
	if it.State != journal.StateFailed || it.Err == nil || it.Err.Class != upload.ClassTooLarge {
		t.Fatalf("first run: %+v", it)
	}
	if n := e.Retry(func(i Item) bool { return i.Err != nil && i.Err.Class == upload.ClassTooLarge }); n != 1 {
		t.Fatalf("Retry re-queued %d items", n)
	}
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Close()
	<-c.done
	it = findItem(e, upload.Zoom, "p000@example.com")
	// Retry starts at 0.8 x 475 = 380 (still refused), then the automatic
	// re-encode goes below both: min(0.95 x 500, 0.8 x 380) = 304.
	if it.State != journal.StateUploaded || it.Bytes != 304 {
		t.Fatalf("after retry: state %s, %d bytes; want uploaded at 304", it.State, it.Bytes)
	}
	var sizes []int
	for _, c := range zoom.callList() {
		sizes = append(sizes, c.bytes)
	}
	if want := []int{900, 475, 380, 304}; fmt.Sprint(sizes) != fmt.Sprint(want) {
		t.Errorf("sizes sent %v, want %v", sizes, want)
	}
}

func TestServerErrorsRetriedThenSucceed(t *testing.T) {
	fp := &fakePrep{}
	netex := newFake(upload.Netex, 100)
	netex.answer = func(person string, n int, ph upload.Photo) error {
		switch n {
		case 1:
			return &upload.Error{Platform: upload.Netex, Class: upload.ClassServer, Status: 503}
		case 2:
			return &upload.Error{Platform: upload.Netex, Class: upload.ClassNetwork, Err: errors.New("connection reset")}
		}
		return nil
	}
	e, c := runAll(t, testConfig(fp, netex), photos(t, 1))
	it := findItem(e, upload.Netex, "p000@example.com")
	if it.State != journal.StateUploaded || it.Attempts != 3 {
		t.Errorf("item %s after %d attempts, want uploaded after 3", it.State, it.Attempts)
	}
	if n := c.count(EventRetrying, upload.Netex); n != 2 {
		t.Errorf("%d retrying events, want 2", n)
	}
	c.mu.Lock()
	for _, ev := range c.events {
		if ev.Err != nil && ev.Kind != EventRetrying && ev.Kind != EventFailed && ev.Kind != EventThrottled {
			t.Errorf("%s event carries the error it got over: %v", ev.Kind, ev.Err)
		}
	}
	c.mu.Unlock()

	// Always failing: bounded by MaxAttempts.
	netex2 := newFake(upload.Netex, 100)
	netex2.answer = func(string, int, upload.Photo) error {
		return &upload.Error{Platform: upload.Netex, Class: upload.ClassServer, Status: 500}
	}
	cfg := testConfig(fp, netex2)
	cfg.MaxAttempts = 3
	e, _ = runAll(t, cfg, photos(t, 1))
	if it := findItem(e, upload.Netex, "p000@example.com"); it.State != journal.StateFailed || netex2.uploadsOf("p000@example.com") != 3 {
		t.Errorf("always-500: state %s after %d sends, want failed after 3", it.State, netex2.uploadsOf("p000@example.com"))
	}
}

func TestRejectedAndNotFoundNotRetried(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		switch person {
		case "p000@example.com":
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Status: 400, Code: "300", Message: "Invalid picture"}
		case "p001@example.com":
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Status: 404, Code: "1001", Message: "User does not exist"}
		}
		return nil
	}
	zoom.resolveErr = func(person string) error {
		if person == "p002@example.com" {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Status: 404, Message: "no such user p002"}
		}
		return nil
	}
	e, c := runAll(t, testConfig(fp, zoom), photos(t, 4))
	for person, msg := range map[string]string{"p000@example.com": "Invalid picture", "p001@example.com": "User does not exist", "p002@example.com": "no such user"} {
		it := findItem(e, upload.Zoom, person)
		if it.State != journal.StateFailed || it.Err == nil || !strings.Contains(it.Err.Message, msg) {
			t.Errorf("%s: %+v, want failed with %q", person, it, msg)
		}
	}
	if zoom.uploadsOf("p000@example.com") != 1 || zoom.uploadsOf("p001@example.com") != 1 || zoom.uploadsOf("p002@example.com") != 0 {
		t.Error("a 400/404 was retried")
	}
	if c.count(EventRetrying, "") != 0 {
		t.Error("retrying events for non-retryable failures")
	}
	if findItem(e, upload.Zoom, "p003@example.com").State != journal.StateUploaded {
		t.Error("p003 not uploaded")
	}
}

func TestAuthFailurePausesPlatformOthersCarryOn(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	igloo := newFake(upload.Igloo, 100)
	var badCreds = true
	var mu = &zoom.mu
	zoom.answer = func(string, int, upload.Photo) error {
		mu.Lock()
		defer mu.Unlock()
		if badCreds {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassAuth, Status: 401, Code: "124", Message: "Invalid access token"}
		}
		return nil
	}
	jobs := photos(t, 5)
	e, err := New(testConfig(fp, zoom, igloo))
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	e.Submit(jobs...)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	st := statsOf(e, upload.Zoom)
	if !st.Paused || !strings.Contains(st.PauseReason, "Invalid access token") {
		t.Errorf("zoom stats %+v: want paused with the reason", st)
	}
	if st.Queued != 5 || st.Failed != 0 {
		t.Errorf("zoom queued %d failed %d: items must wait, not fail", st.Queued, st.Failed)
	}
	if len(igloo.callList()) != 5 {
		t.Errorf("igloo sent %d, want 5: other platforms carry on", len(igloo.callList()))
	}
	mu.Lock()
	badCreds = false
	mu.Unlock()
	e.Resume(upload.Zoom)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Close()
	<-c.done
	if n := itemsIn(e, "uploaded"); n != 10 {
		t.Errorf("%d uploaded after resume, want 10", n)
	}
	if c.count(EventPaused, upload.Zoom) < 1 || c.count(EventResumed, upload.Zoom) != 1 {
		t.Error("missing paused/resumed events")
	}
}

func TestPauseResumeCancel(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	igloo := newFake(upload.Igloo, 1000)
	e, err := New(testConfig(fp, zoom, igloo))
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Pause("", "operator")
	e.Start(ctx)
	e.Submit(photos(t, 4)...)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if len(zoom.callList())+len(igloo.callList()) != 0 {
		t.Fatal("sent while paused")
	}
	e.Cancel(upload.Igloo)
	e.Resume(upload.Zoom)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Resume(upload.Igloo) // nothing left to send
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Close()
	<-c.done
	if len(zoom.callList()) != 4 || len(igloo.callList()) != 0 {
		t.Errorf("zoom %d igloo %d sends, want 4 and 0", len(zoom.callList()), len(igloo.callList()))
	}
	if n := itemsIn(e, string(StateCanceled)); n != 4 {
		t.Errorf("%d canceled items, want 4", n)
	}
	if n := c.count(EventCanceled, upload.Igloo); n != 4 {
		t.Errorf("%d canceled events, want 4", n)
	}
	// Retry brings canceled items back.
}

func TestRetryMatchRequeuesFailed(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		if n == 1 && person != "p002@example.com" {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Status: 404}
		}
		if n == 1 {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Status: 400}
		}
		return nil
	}
	e, err := New(testConfig(fp, zoom))
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	e.Submit(photos(t, 3)...)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if n := itemsIn(e, "failed"); n != 3 {
		t.Fatalf("%d failed, want 3", n)
	}
	n := e.Retry(func(it Item) bool { return it.Err != nil && it.Err.Class == upload.ClassNotFound })
	if n != 2 {
		t.Errorf("Retry matched %d, want 2", n)
	}
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Close()
	<-c.done
	if itemsIn(e, "uploaded") != 2 || itemsIn(e, "failed") != 1 {
		t.Errorf("after Retry: %d uploaded %d failed, want 2 and 1", itemsIn(e, "uploaded"), itemsIn(e, "failed"))
	}
	if st := statsOf(e, upload.Zoom); st.Done != 2 || st.Failed != 1 || st.Total != 3 {
		t.Errorf("stats after Retry: %+v", st)
	}
}

func TestEventsNeverBlockTheEngine(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 5000)
	cfg := testConfig(fp, zoom)
	cfg.EventBuffer = 2
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	jobs := photos(t, 40)
	e.Submit(jobs...)
	// Nobody reads Events; uploads must still finish.
	if err := e.Wait(ctx); err != nil {
		t.Fatalf("engine stalled on an unread event channel: %v", err)
	}
	if len(zoom.callList()) != 40 {
		t.Fatalf("%d sent, want 40", len(zoom.callList()))
	}
	if e.Dropped() == 0 {
		t.Error("no progress events were dropped with a 2-event buffer")
	}
	// The reader catches up: every terminal event is still there.
	uploaded, done := 0, 0
	deadline := time.After(5 * time.Second)
	for uploaded < 40 || done < 1 {
		select {
		case ev := <-e.Events():
			switch ev.Kind {
			case EventUploaded:
				uploaded++
			case EventDone:
				done++
			}
		case <-deadline:
			t.Fatalf("only %d uploaded and %d done events delivered", uploaded, done)
		}
	}
	e.Close()
}

func TestJournalSkipForceAndResume(t *testing.T) {
	fp := &fakePrep{}
	j, err := journal.Open(t.TempDir() + "/j.db")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	jobs := photos(t, 3)
	zoom := newFake(upload.Zoom, 1000)
	cfg := testConfig(fp, zoom)
	cfg.Journal = j
	runAll(t, cfg, jobs)
	if len(zoom.callList()) != 3 {
		t.Fatalf("first run sent %d, want 3", len(zoom.callList()))
	}
	en, ok, _ := j.Get("p000@example.com", upload.Zoom)
	if !ok || en.State != journal.StateUploaded || en.Hash == "" || en.Profile == "" || en.Bytes != 1000 {
		t.Fatalf("journal entry %+v", en)
	}

	// Second run: unchanged -> skipped; one entry interrupted -> re-sent.
	en.State = journal.StateInterrupted
	if err := j.Put(en); err != nil {
		t.Fatal(err)
	}
	zoom2 := newFake(upload.Zoom, 1000)
	cfg.Clients = []upload.Client{zoom2}
	e, c := runAll(t, cfg, jobs)
	if n := len(zoom2.callList()); n != 1 || zoom2.uploadsOf("p000@example.com") != 1 {
		t.Errorf("second run sent %d (want only the interrupted one)", n)
	}
	if c.count(EventSkipped, upload.Zoom) != 2 || itemsIn(e, string(StateSkipped)) != 2 {
		t.Error("unchanged photos not skipped")
	}

	// A changed crop counts as changed.
	crop := jobs[1]
	r := rectOf(10, 10, 100, 100)
	crop.Crop = &r
	zoom3 := newFake(upload.Zoom, 1000)
	cfg.Clients = []upload.Client{zoom3}
	runAll(t, cfg, []Job{jobs[0], crop})
	if zoom3.uploadsOf("p001@example.com") != 1 || zoom3.uploadsOf("p000@example.com") != 0 {
		t.Errorf("changed crop: sends %v", zoom3.callList())
	}

	// A dry run reports what a real run would skip, and writes nothing.
	zoomDry := newFake(upload.Zoom, 1000)
	dry := cfg
	dry.Clients = []upload.Client{zoomDry}
	dry.DryRun = true
	before, _ := j.All()
	_, c = runAll(t, dry, jobs)
	if len(zoomDry.callList()) != 0 || c.count(EventSkipped, upload.Zoom) != 2 || c.count(EventChecked, upload.Zoom) != 1 {
		t.Errorf("dry run: sent %d, skipped %d, checked %d; want 0, 2 (unchanged) and 1 (changed crop before)",
			len(zoomDry.callList()), c.count(EventSkipped, upload.Zoom), c.count(EventChecked, upload.Zoom))
	}
	if after, _ := j.All(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("dry run wrote the journal")
	}

	// Force re-sends everything.
	zoom4 := newFake(upload.Zoom, 1000)
	cfg.Clients = []upload.Client{zoom4}
	cfg.Force = true
	runAll(t, cfg, jobs)
	if n := len(zoom4.callList()); n != 3 {
		t.Errorf("forced run sent %d, want 3", n)
	}
}

func TestCorrectionFromJournalApplied(t *testing.T) {
	fp := &fakePrep{}
	j, err := journal.Open(t.TempDir() + "/j.db")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	jobs := photos(t, 1)
	e0, _ := New(testConfig(fp, newFake(upload.Zoom, 10)))
	hash, err := e0.prep.sourceHash(jobs[0].Path)
	e0.Close()
	if err != nil {
		t.Fatal(err)
	}
	crop := rectOf(5, 6, 205, 206)
	if err := j.SaveCorrection(journal.Correction{Hash: hash, Path: jobs[0].Path, Crop: crop}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(fp, newFake(upload.Zoom, 1000))
	cfg.Journal = j
	runAll(t, cfg, jobs)
	if fp.count() != 1 || fp.calls[0].Manual == nil || *fp.calls[0].Manual != crop {
		t.Errorf("prepare options %+v: want the saved correction as the manual crop", fp.calls)
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	zoom.resolveErr = func(person string) error {
		if person == "p001@example.com" {
			return &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Status: 404, Message: "User does not exist"}
		}
		return nil
	}
	small := newFake(upload.Igloo, 1000)
	small.lim.MIMETypes = []string{"image/png"}
	cfg := testConfig(fp, zoom, small)
	cfg.DryRun = true
	e, c := runAll(t, cfg, photos(t, 3))
	if len(zoom.callList())+len(small.callList()) != 0 {
		t.Fatal("dry run sent photos")
	}
	if len(zoom.resolves) != 3 {
		t.Errorf("dry run resolved %d people on zoom, want 3", len(zoom.resolves))
	}
	if findItem(e, upload.Zoom, "p000@example.com").State != StateChecked || findItem(e, upload.Zoom, "p001@example.com").State != journal.StateFailed {
		t.Error("dry run states wrong")
	}
	if it := findItem(e, upload.Igloo, "p000@example.com"); it.State != journal.StateFailed || it.Err == nil || !it.Err.Local {
		t.Errorf("dry run did not validate against the platform's types: %+v", it)
	}
	if c.count(EventChecked, "") != 2 {
		t.Errorf("%d checked events, want 2", c.count(EventChecked, ""))
	}
}

func TestBatchClientGetsBatches(t *testing.T) {
	fp := &fakePrep{}
	rh := batchFake{newFake(upload.Rhombus, 100)}
	rh.lim.BatchSize = 10
	rh.lim.Concurrency = 1
	rh.answer = func(person string, n int, ph upload.Photo) error {
		if person == "p003@example.com" {
			return &upload.Error{Platform: upload.Rhombus, Class: upload.ClassNotFound, Message: "no user matches p003"}
		}
		return nil
	}
	e, _ := runAll(t, testConfig(fp, rh), photos(t, 25))
	if rh.batches > 4 || rh.batches < 3 {
		t.Errorf("%d batch requests for 25 photos at 10 per batch", rh.batches)
	}
	if itemsIn(e, "uploaded") != 24 || findItem(e, upload.Rhombus, "p003@example.com").State != journal.StateFailed {
		t.Errorf("per-photo outcomes not applied: %d uploaded", itemsIn(e, "uploaded"))
	}
}

func TestCloseMarksInFlightInterrupted(t *testing.T) {
	fp := &fakePrep{}
	j, err := journal.Open(t.TempDir() + "/j.db")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	zoom := newFake(upload.Zoom, 1000)
	zoom.hold = make(chan struct{}) // never answers
	cfg := testConfig(fp, zoom)
	cfg.Journal = j
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e.Start(ctx)
	e.Submit(photos(t, 2)...)
	deadline := time.Now().Add(5 * time.Second)
	for len(zoom.callList()) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	e.Close()
	for _, p := range []string{"p000@example.com", "p001@example.com"} {
		en, ok, _ := j.Get(p, upload.Zoom)
		if !ok || en.State != journal.StateInterrupted {
			t.Errorf("%s journal state %q, want interrupted", p, en.State)
		}
	}
}

func statsOf(e *Engine, p upload.Platform) PlatformStats {
	for _, s := range e.Snapshot() {
		if s.Platform == p {
			return s
		}
	}
	return PlatformStats{}
}

func findItem(e *Engine, p upload.Platform, person string) Item {
	for _, it := range e.Items() {
		if it.Platform == p && it.Person == person {
			return it
		}
	}
	return Item{}
}

func TestPaceDecreasesOnThrottleAndRecovers(t *testing.T) {
	zoom := newFake(upload.Zoom, 20)
	e, err := New(testConfig(&fakePrep{}, zoom))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	l := e.byName[upload.Zoom]
	e.mu.Lock()
	defer e.mu.Unlock()
	l.throttleLocked(&upload.Error{Class: upload.ClassThrottled, RetryAfter: time.Second})
	// A second 429 from a request already in flight is the same episode.
	l.throttleLocked(&upload.Error{Class: upload.ClassThrottled, RetryAfter: time.Second})
	if l.pace != paceDecrease {
		t.Fatalf("pace after one throttle episode %.3f, want %.2f", l.pace, paceDecrease)
	}
	if got, want := float64(l.limiter.Limit()), 20*0.97*paceDecrease; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("limiter %.3f/s, want %.3f/s", got, want)
	}
	// Recovery is by time of success: quickly to just under the pace the
	// 429 came at (1.0 * 0.97), then slowly above it.
	t0 := time.Now()
	l.paceAdjusted = t0
	l.successLocked(t0.Add(2 * time.Second))
	if want := paceDecrease + 2*paceRecover; math.Abs(l.pace-want) > 1e-9 {
		t.Errorf("pace after 2 s of success %.4f, want %.4f", l.pace, want)
	}
	l.successLocked(t0.Add(6 * time.Second))
	if math.Abs(l.pace-probeMargin) > 1e-9 {
		t.Errorf("pace after 6 s %.4f, want the knee %.2f", l.pace, probeMargin)
	}
	l.successLocked(t0.Add(16 * time.Second))
	if want := probeMargin + 10*paceProbe; math.Abs(l.pace-want) > 1e-9 {
		t.Errorf("pace probing above the knee %.5f, want %.5f", l.pace, want)
	}
	for i := 1; i <= 20; i++ {
		l.successLocked(t0.Add(time.Duration(16+10*i) * time.Second))
	}
	if l.pace != 1 {
		t.Errorf("pace %.4f after long success, want back at 1", l.pace)
	}
	e.cfg.Backoff = time.Second
	if d := backoff(time.Second, time.Minute, 3); d < 3200*time.Millisecond || d > 4800*time.Millisecond {
		t.Errorf("third backoff %v, want 4s +-20%%", d)
	}
	if d := backoff(time.Second, 5*time.Second, 10); d > 6*time.Second {
		t.Errorf("backoff %v above its cap", d)
	}
}

func TestSamePersonTwiceIsSentOnceAndReported(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	jobs := photos(t, 2)
	dup := jobs[1]
	dup.Person = jobs[0].Person // a second photo for p000
	again := jobs[0]            // the very same job twice
	e, c := runAll(t, testConfig(fp, zoom), []Job{jobs[0], again, dup})
	if n := zoom.uploadsOf(jobs[0].Person); n != 1 {
		t.Errorf("p000 sent %d times, want 1", n)
	}
	var reported bool
	for _, ev := range c.all() {
		if ev.Kind == EventFailed && ev.Path == dup.Path && ev.Err != nil && strings.Contains(ev.Err.Message, "already has a photo queued") {
			reported = true
		}
	}
	if !reported {
		t.Error("a second photo for the same person was dropped silently")
	}
	if len(e.Items()) != 1 {
		t.Errorf("%d items, want 1", len(e.Items()))
	}
}

func TestSlowDownCapsPace(t *testing.T) {
	zoom := newFake(upload.Zoom, 20)
	e, err := New(testConfig(&fakePrep{}, zoom))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	l := e.byName[upload.Zoom]
	e.SlowDown(upload.Zoom, 0.5)
	if got := float64(l.limiter.Limit()); got < 20*0.97*0.5-1e-9 || got > 20*0.97*0.5+1e-9 {
		t.Errorf("limiter after SlowDown(0.5) %.3f/s", got)
	}
	e.mu.Lock()
	now := time.Now()
	for i := 0; i < 50; i++ {
		l.successLocked(now.Add(time.Duration(i) * time.Second))
	}
	pace := l.pace
	e.mu.Unlock()
	if pace != 0.5 {
		t.Errorf("successes raised the pace above the cap: %.2f", pace)
	}
	e.SlowDown("", 1)
	e.mu.Lock()
	for i := 0; i < 50; i++ {
		l.successLocked(now.Add(time.Duration(50+10*i) * time.Second))
	}
	pace = l.pace
	e.mu.Unlock()
	if pace != 1 {
		t.Errorf("pace %.2f after lifting the cap, want 1", pace)
	}
	if st := statsOf(e, upload.Zoom); st.Pace != 1 {
		t.Errorf("Snapshot pace %.2f", st.Pace)
	}
}

func TestBatchThrottleCountsOnceAndResends(t *testing.T) {
	fp := &fakePrep{}
	rh := batchFake{newFake(upload.Rhombus, 100)}
	rh.lim.BatchSize = 10
	rh.lim.Concurrency = 1
	b := &throttleOnce{batchFake: rh}
	e, _ := runAll(t, testConfig(fp, b), photos(t, 5))
	if st := statsOf(e, upload.Rhombus); st.Throttles != 1 || st.Done != 5 {
		t.Errorf("stats %+v: want one 429 counted and all 5 done", st)
	}
	for i := 0; i < 5; i++ {
		if n := rh.uploadsOf(fmt.Sprintf("p%03d@example.com", i)); n != 1 {
			t.Errorf("p%03d stored %d times", i, n)
		}
	}
}

// throttleOnce refuses its first batch with a 429.
type throttleOnce struct {
	batchFake
	mu   sync.Mutex
	done bool
}

func (t *throttleOnce) UploadBatch(ctx context.Context, items []upload.Item) ([]upload.Outcome, error) {
	t.mu.Lock()
	first := !t.done
	t.done = true
	t.mu.Unlock()
	if first {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassThrottled, Status: 429, RetryAfter: 50 * time.Millisecond}
	}
	return t.batchFake.UploadBatch(ctx, items)
}

func TestSnapshotAndItemsWhileRunning(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 500)
	rh := batchFake{newFake(upload.Rhombus, 200)}
	rh.lim.BatchSize = 4
	netex := newFake(upload.Netex, 500)
	netex.answer = func(person string, n int, ph upload.Photo) error {
		if n == 1 {
			return &upload.Error{Platform: upload.Netex, Class: upload.ClassServer, Status: 502}
		}
		return nil
	}
	e, err := New(testConfig(fp, zoom, rh, netex))
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stop := make(chan struct{})
	polled := make(chan int)
	go func() { // the TUI polls on a tick while the engine runs
		n := 0
		for {
			select {
			case <-stop:
				polled <- n
				return
			default:
			}
			for _, s := range e.Snapshot() {
				if s.Done+s.Failed+s.Skipped > s.Total {
					t.Errorf("%s: counts exceed total: %+v", s.Platform, s)
				}
			}
			_ = e.Items()
			n++
			time.Sleep(time.Millisecond)
		}
	}()
	e.Start(ctx)
	e.Submit(photos(t, 12)...)
	e.Pause(upload.Zoom, "tick")
	e.Resume(upload.Zoom)
	e.SlowDown(upload.Rhombus, 0.9)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if <-polled == 0 {
		t.Error("never polled")
	}
	e.Close()
	<-c.done
	if n := itemsIn(e, "uploaded"); n != 36 {
		t.Errorf("%d uploaded, want 36", n)
	}
	for _, s := range e.Snapshot() {
		if s.Done != 12 || s.Total != 12 || s.InFlight != 0 || s.Queued != 0 {
			t.Errorf("final stats %+v", s)
		}
	}
}

func TestAchievedRateOfASlowPlatform(t *testing.T) {
	l := &lane{platform: upload.Interact, limits: upload.Limits{Rate: upload.Rate{N: 6, Per: time.Minute}}}
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		l.noteSentLocked(t0.Add(time.Duration(i) * 10 * time.Second))
	}
	// Sending exactly at 6/min: the figure reads 6/min, not 0 (a 10 s
	// window never holds two sends) and not more (n over the span would).
	got := l.statsLocked(t0.Add(30*time.Second)).Rate * 60
	if math.Abs(got-6) > 0.01 {
		t.Fatalf("achieved %.2f/min, want 6", got)
	}
	// A fast platform keeps the 10 s window.
	f := &lane{platform: upload.Zoom, limits: upload.Limits{Rate: upload.Rate{N: 20, Per: time.Second}}}
	for i := 0; i <= 400; i++ {
		f.noteSentLocked(t0.Add(time.Duration(i) * 50 * time.Millisecond))
	}
	if got := f.statsLocked(t0.Add(20 * time.Second)).Rate; math.Abs(got-20) > 0.5 {
		t.Fatalf("achieved %.2f/s, want 20", got)
	}
}

func TestUnreadablePhotoFailsLocallyWithItsOwnCode(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	jobs := []Job{{Path: t.TempDir() + "/gone@example.com.jpg", Person: "gone@example.com"}}
	e, _ := runAll(t, testConfig(fp, zoom), jobs)
	it := findItem(e, upload.Zoom, "gone@example.com")
	if it.State != journal.StateFailed || it.Err == nil || !it.Err.Local || it.Err.Code != upload.CodeUnreadable {
		t.Fatalf("missing photo: %+v err %+v", it, it.Err)
	}
	if len(zoom.callList()) != 0 {
		t.Fatal("an unreadable photo was sent")
	}
}

// A PNG profile still reaches a platform that takes only JPEG (Microsoft
// 365) as JPEG; platforms that take PNG get the PNG.
func TestPNGProfileFallsBackToJPEGPerPlatform(t *testing.T) {
	fp := &fakePrep{}
	jpegOnly := newFake("m365", 200)
	jpegOnly.lim.MIMETypes = []string{"image/jpeg"}
	both := newFake(upload.Zoom, 200)
	both.lim.MaxBytes = jpegOnly.lim.MaxBytes + 1 // a budget of its own: prepared apart
	cfg := testConfig(fp, jpegOnly, both)
	cfg.Prep.Profile.Format = imageprep.PNG
	runAll(t, cfg, photos(t, 2))
	formats := map[int64]imageprep.Format{}
	fp.mu.Lock()
	for _, o := range fp.calls {
		formats[o.Profile.MaxBytes] = o.Profile.Format
	}
	fp.mu.Unlock()
	if formats[jpegOnly.lim.MaxBytes] != imageprep.JPEG || formats[both.lim.MaxBytes] != imageprep.PNG {
		t.Errorf("formats by budget %v: want JPEG for the JPEG-only platform, PNG for the other", formats)
	}
	if len(jpegOnly.callList()) != 2 || len(both.callList()) != 2 {
		t.Errorf("uploads %d and %d, want 2 each", len(jpegOnly.callList()), len(both.callList()))
	}
}
