package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/journal"
)

// A request under way when its platform's queue is canceled may have
// reached the platform: the engine must not count it with the photos never
// sent ("canceled"), and must say it may be there.
func TestCancelMidSendSaysItMayHaveArrived(t *testing.T) {
	fp := &fakePrep{}
	zoom := newFake(upload.Zoom, 1000)
	zoom.lim.Concurrency = 1
	zoom.hold = make(chan struct{}) // the first request hangs until canceled
	e, err := New(testConfig(fp, zoom))
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	e.Submit(photos(t, 3)...)
	for len(zoom.callList()) == 0 {
		if ctx.Err() != nil {
			t.Fatal("no request was made")
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.Cancel(upload.Zoom)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	var cut []Item
	for _, it := range e.Items() {
		if it.CutOff {
			cut = append(cut, it)
		}
	}
	if len(cut) != 1 {
		t.Fatalf("%d items cut off mid-send, want 1 (the one request made): %+v", len(cut), e.Items())
	}
	it := cut[0]
	if it.Person != zoom.callList()[0].person {
		t.Errorf("cut off %s, but the request was for %s", it.Person, zoom.callList()[0].person)
	}
	if it.State != journal.StateInterrupted || it.Err == nil || !strings.Contains(it.Err.Message, "may have stored it") {
		t.Errorf("cut-off item: state %s, err %v; want interrupted, saying it may have arrived", it.State, it.Err)
	}
	st := e.Snapshot()[0]
	if st.CutOff != 1 || st.Done != 0 || st.Failed != 0 {
		t.Errorf("stats: cut off %d, done %d, failed %d; want 1, 0, 0", st.CutOff, st.Done, st.Failed)
	}
	for _, it := range e.Items() {
		if !it.CutOff && it.Err != nil && strings.Contains(it.Err.Message, "may have") {
			t.Errorf("%s was never sent but says %q", it.Person, it.Err.Message)
		}
	}

	// Sent again, it is counted once, as sent, and no longer cut off.
	close(zoom.hold)
	if n := e.Retry(func(Item) bool { return true }); n != 3 {
		t.Fatalf("retried %d, want 3", n)
	}
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Close()
	<-c.done
	st = e.Snapshot()[0]
	if st.CutOff != 0 || st.Done != 3 {
		t.Errorf("after sending again: cut off %d, done %d; want 0 and 3", st.CutOff, st.Done)
	}
}
