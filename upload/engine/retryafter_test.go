package engine

import (
	"strings"
	"testing"
	"time"

	"headshot/upload"
)

// An absurd Retry-After (a broken or hostile server) stops that platform
// with the reason instead of parking the run; the others carry on.
func TestAbsurdRetryAfterStopsThePlatform(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	igloo := newFake(upload.Igloo, 100)
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		return &upload.Error{Platform: upload.Zoom, Class: upload.ClassThrottled, Status: 429, RetryAfter: 24 * time.Hour}
	}
	zoom.lim.Concurrency = 1
	start := time.Now()
	e, c := runAll(t, testConfig(fp, zoom, igloo), photos(t, 5))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("run took %v: the Retry-After was waited", d)
	}
	var paused *Event
	c.mu.Lock()
	evs := append([]Event(nil), c.events...)
	c.mu.Unlock()
	for _, ev := range evs {
		if ev.Kind == EventPaused && ev.Platform == upload.Zoom {
			ev := ev
			paused = &ev
		}
		if ev.Kind == EventThrottled && ev.Platform == upload.Zoom {
			t.Errorf("a 24 h Retry-After was taken as a throttle: %+v", ev)
		}
	}
	if paused == nil {
		t.Fatal("zoom was not stopped")
	}
	for _, want := range []string{"asked to wait 24 h", "over the 1 h headshot waits", "run again later"} {
		if !strings.Contains(paused.Message, want) {
			t.Errorf("reason %q lacks %q", paused.Message, want)
		}
	}
	// Tomorrow at this time: the date is given.
	if tomorrow := time.Now().Add(24 * time.Hour).Format("Mon 2 Jan"); !strings.Contains(paused.Message, tomorrow) {
		t.Errorf("reason %q does not give the date %q", paused.Message, tomorrow)
	}
	if got := statsOf(e, upload.Igloo).Done; got != 5 {
		t.Errorf("igloo sent %d of 5 while zoom was stopped", got)
	}
	zoom.mu.Lock()
	n := len(zoom.calls)
	zoom.mu.Unlock()
	if n != 1 {
		t.Errorf("zoom got %d requests after asking for a day's wait, want 1", n)
	}

	// Under the ceiling it is a throttle, as before.
	cfg := testConfig(fp, newFake(upload.Zoom, 100))
	if cfg.MaxThrottleWait != 0 {
		t.Fatal("test config sets MaxThrottleWait")
	}
	e2, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if e2.cfg.MaxThrottleWait != DefaultMaxThrottleWait || DefaultMaxThrottleWait != time.Hour {
		t.Errorf("ceiling %v, want 1 h", e2.cfg.MaxThrottleWait)
	}
}

func TestClockTextGivesTheDateAcrossMidnight(t *testing.T) {
	now := time.Date(2026, 12, 3, 23, 50, 0, 0, time.Local)
	cases := []struct {
		t    time.Time
		want string
	}{
		{now.Add(5 * time.Minute), "23:55:00"},
		{now.Add(20 * time.Minute), "Fri 4 Dec 00:10:00"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.Local), "Fri 31 Dec 9999 23:59:59"},
	}
	for _, c := range cases {
		if got := ClockText(now, c.t); got != c.want {
			t.Errorf("ClockText(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}

// A failure that is the same on every request (Stop: an untrusted
// certificate, a redirect elsewhere) stops the platform after one try,
// with the cause, instead of being retried for every photo.
func TestStopErrorStopsThePlatformAtOnce(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 100)
	igloo := newFake(upload.Igloo, 100)
	zoom.lim.Concurrency = 1
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		return &upload.Error{Platform: upload.Zoom, Class: upload.ClassNetwork, Stop: true,
			Message: "TLS: certificate signed by an unknown authority: set SSL_CERT_FILE"}
	}
	e, _ := runAll(t, testConfig(fp, zoom, igloo), photos(t, 6))
	zoom.mu.Lock()
	n := len(zoom.calls)
	zoom.mu.Unlock()
	if n != 1 {
		t.Errorf("zoom tried %d times, want 1", n)
	}
	st := statsOf(e, upload.Zoom)
	if !st.Paused || !strings.Contains(st.PauseReason, "SSL_CERT_FILE") {
		t.Errorf("zoom paused %v: %q", st.Paused, st.PauseReason)
	}
	if got := statsOf(e, upload.Igloo).Done; got != 6 {
		t.Errorf("igloo sent %d of 6", got)
	}
}
