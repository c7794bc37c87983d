package engine

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
)

// A platform's words of any size and content reach the events, the item
// and the journal bounded and without control characters.
func TestServerWordsBoundedEverywhere(t *testing.T) {
	fp := &fakePrep{}
	j, err := journal.Open(t.TempDir() + "/j.db")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	huge := "\x1b]0;pwned\x07\x1b[2J" + strings.Repeat("spam\r\n", 200000)
	zoom := newFake(upload.Zoom, 1000)
	zoom.answer = func(person string, n int, ph upload.Photo) error {
		return &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Status: 400, Code: "3\x1b00", Message: huge}
	}
	cfg := testConfig(fp, zoom)
	cfg.Journal = j
	e, c := runAll(t, cfg, photos(t, 1))
	check := func(where, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\x07\r\n") {
			t.Errorf("%s keeps control characters: %q", where, s[:min(len(s), 80)])
		}
		if n := utf8.RuneCountInString(s); n > upload.MaxMessage+1 {
			t.Errorf("%s keeps %d runes", where, n)
		}
	}
	failed := 0
	for _, ev := range c.all() {
		check("event Message", ev.Message)
		if ev.Err != nil {
			failed++
			check("event Err.Message", ev.Err.Message)
			check("event Err.Code", ev.Err.Code)
		}
	}
	if failed == 0 {
		t.Fatal("no failure event")
	}
	it := findItem(e, upload.Zoom, "p000@example.com")
	if it.Err == nil {
		t.Fatal("item has no error")
	}
	check("item error", it.Err.Message)
	en, ok, _ := j.Get("p000@example.com", upload.Zoom)
	if !ok {
		t.Fatal("no journal entry")
	}
	check("journal LastError", en.LastError)
}

// settleGoroutines waits for the goroutine count to fall to at most want.
func settleGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// Close leaves no goroutine behind: not after a finished run, nor with
// uploads held in flight, nor with a reader that never reads.
func TestCloseLeaksNoGoroutines(t *testing.T) {
	before := settleGoroutines(0)
	for round := 0; round < 3; round++ {
		fp := &fakePrep{}
		zoom := newFake(upload.Zoom, 1000)
		rh := batchFake{newFake(upload.Rhombus, 1000)}
		hold := make(chan struct{})
		if round == 1 {
			zoom.hold = hold // uploads stuck until Close cancels them
		}
		e, err := New(testConfig(fp, zoom, rh))
		if err != nil {
			t.Fatal(err)
		}
		if round != 2 {
			c := collect(e)
			defer func() { <-c.done }()
		} // round 2: nobody reads the events
		ctx, cancel := context.WithCancel(context.Background())
		e.Start(ctx)
		e.Submit(photos(t, 6)...)
		if round == 0 {
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			if err := e.Wait(wctx); err != nil {
				t.Fatal(err)
			}
			wcancel()
		} else {
			time.Sleep(50 * time.Millisecond)
		}
		e.Close()
		cancel()
		close(hold)
	}
	if after := settleGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%d goroutines before, %d after Close:\n%s", before, after, buf)
	}
}

// A photo that cannot be prepared fails with a message that quotes the file
// name and the decoder, bounded and without control characters.
func TestLocalFailureWordsBounded(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	cfg := testConfig(fp, zoom)
	cfg.Prepare = func(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error) {
		return nil, &imageprep.Error{Path: path + "\x1b]0;pwned\x07" + strings.Repeat("n", 5000), Kind: imageprep.KindCorrupt, Detail: "bad\r\nheader"}
	}
	e, c := runAll(t, cfg, photos(t, 1))
	it := findItem(e, upload.Zoom, "p000@example.com")
	if it.Err == nil {
		t.Fatal("no failure")
	}
	msgs := []string{it.Err.Message}
	for _, ev := range c.all() {
		if ev.Err != nil {
			msgs = append(msgs, ev.Err.Message)
		}
	}
	for _, m := range msgs {
		if strings.ContainsAny(m, "\x1b\x07\r\n") || utf8.RuneCountInString(m) > upload.MaxMessage+1 {
			t.Errorf("unclean local failure: %q", m[:min(len(m), 80)])
		}
	}
}
