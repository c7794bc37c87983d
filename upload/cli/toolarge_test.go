package cli

import (
	"context"
	"net/http/httptest"
	"testing"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/journal"
	"headshot/upload/sandbox"
)

// TestTooLargeReencodedSmallerAgainstSandbox: the sandbox's Zoom takes less
// than Zoom documents; the engine re-encodes under 0.8x the limit the 413
// named and the photo goes through, once.
func TestTooLargeReencodedSmallerAgainstSandbox(t *testing.T) {
	dir := t.TempDir()
	path := writePhoto(t, dir, "staff001@example.com.jpg")
	impossible := writePhoto(t, dir, "staff002@example.com.jpg")
	prep := config.FromValues(sandbox.Credentials{}).PrepOptions()
	prep.Profile.MaxBytes = 2 * 1024 * 1024
	res, err := imageprep.NewPreparer().Prepare(context.Background(), path, prep)
	if err != nil {
		t.Fatal(err)
	}
	full := len(res.Data)
	limit := int64(full * 3 / 4)

	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(5), ZoomMaxBytes: limit})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	c, err := cfg.Client(upload.Zoom)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(engine.Config{Clients: []upload.Client{c}, Prep: cfg.PrepOptions()})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range e.Events() {
		}
	}()
	ctx := context.Background()
	e.Start(ctx)
	e.Submit(engine.Job{Path: path, Person: "staff001@example.com"})
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	items := e.Items()
	e.Close()
	if len(items) != 1 || items[0].State != journal.StateUploaded || items[0].Attempts != 2 {
		t.Fatalf("item %+v: want uploaded on the second attempt (full size %d, limit %d)", items, full, limit)
	}
	got := sb.ReceivedBy("zoom")
	if len(got) != 1 || int64(got[0].Bytes) > limit*95/100 {
		t.Errorf("stored %+v: want one photo within 0.95 x %d bytes", got, limit)
	}

	// A cap no 600x600 photo fits: re-encoded once, then failed with the
	// sizes, nothing stored.
	sb2 := sandbox.New(sandbox.Options{Users: sandbox.Roster(5), ZoomMaxBytes: 1500})
	srv2 := httptest.NewServer(sb2.Handler())
	defer srv2.Close()
	sb2.URL = srv2.URL
	cfg2 := config.FromValues(sb2.Credentials())
	c2, err := cfg2.Client(upload.Zoom)
	if err != nil {
		t.Fatal(err)
	}
	e2, err := engine.New(engine.Config{Clients: []upload.Client{c2}, Prep: cfg2.PrepOptions()})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range e2.Events() {
		}
	}()
	e2.Start(ctx)
	e2.Submit(engine.Job{Path: impossible, Person: "staff002@example.com"})
	if err := e2.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	items = e2.Items()
	e2.Close()
	if len(items) != 1 || items[0].State != journal.StateFailed || items[0].Err == nil || items[0].Err.Class != upload.ClassTooLarge {
		t.Fatalf("item %+v: want failed as too large", items)
	}
	if items[0].Attempts > 2 {
		t.Errorf("%d attempts: want one re-encode at most", items[0].Attempts)
	}
	if n := len(sb2.Received()); n != 0 {
		t.Errorf("%d photos stored over a 1500-byte cap", n)
	}
	t.Logf("impossible cap: %s", items[0].Err.Message)
}
