package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"headshot/upload"
)

// sharedErrBatch answers every batch with one and the same error value, as
// a batch client does when the whole request fails (one 429 or 5xx for
// every photo in it).
type sharedErrBatch struct {
	*fakeClient
	err *upload.Error
}

func (b sharedErrBatch) UploadBatch(ctx context.Context, items []upload.Item) ([]upload.Outcome, error) {
	return nil, b.err
}

// TestSharedBatchErrorIsNotRewritten: the engine cleans a platform's error
// message for each photo of a batch, but must not write into the error the
// client returned: events already sent carry it, and a reader formatting
// one while the next photo of the batch is settled raced with that write
// (a data race seen in CI under load). Under -race this test reads every
// event's error while the batch settles.
func TestSharedBatchErrorIsNotRewritten(t *testing.T) {
	const raw = "refused\x1b[31m every photo"
	shared := &upload.Error{Class: upload.ClassRejected, Status: 400, Message: raw}
	f := newFake(upload.Rhombus, 1000)
	f.lim.BatchSize = 4
	client := sharedErrBatch{fakeClient: f, err: shared}
	e, err := New(testConfig(&fakePrep{size: 1000}, client))
	if err != nil {
		t.Fatal(err)
	}
	read := make(chan []string)
	go func() {
		var msgs []string
		for ev := range e.Events() {
			if ev.Err != nil {
				msgs = append(msgs, ev.Err.Message+"|"+string(ev.Err.Platform))
			}
		}
		read <- msgs
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	e.Submit(photos(t, 4)...)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	e.Close()
	msgs := <-read
	if shared.Message != raw || shared.Platform != "" {
		t.Errorf("the client's error was rewritten: message %q platform %q", shared.Message, shared.Platform)
	}
	failed := 0
	for _, m := range msgs {
		if strings.ContainsRune(m, '\x1b') {
			t.Errorf("event error not cleaned: %q", m)
		}
		if !strings.HasSuffix(m, "|"+string(upload.Rhombus)) {
			t.Errorf("event error without its platform: %q", m)
		}
		failed++
	}
	if failed < 4 {
		t.Fatalf("%d events carried the error, want one per photo (4): %q", failed, msgs)
	}
}
