package apihttp

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"headshot/upload"
)

// A limiter that refuses the wait (it would pass the deadline) is a local
// rejection naming the limiter; a canceled run is canceled, not rejected.
func TestWaitError(t *testing.T) {
	lim := rate.NewLimiter(rate.Every(time.Hour), 1)
	lim.Allow() // empty: the next token is an hour away
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := lim.Wait(ctx)
	if err == nil {
		t.Fatal("an hour's wait within a minute's deadline passed")
	}
	e := WaitError(ctx, upload.Zoom, err)
	if e.Class != upload.ClassRejected || !e.Local || !strings.HasPrefix(e.Message, "rate limiter: ") || e.Platform != upload.Zoom {
		t.Errorf("limiter refusal: %+v", e)
	}
	gone, stop := context.WithCancel(context.Background())
	stop()
	if e := WaitError(gone, upload.Zoom, lim.Wait(gone)); e.Class != upload.ClassCanceled {
		t.Errorf("canceled run: class %v, want canceled", e.Class)
	}
}
