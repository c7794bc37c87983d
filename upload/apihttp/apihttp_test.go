package apihttp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"headshot/upload"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h := http.Header{}
	if _, ok := RetryAfter(h, now); ok {
		t.Fatal("absent header read as present")
	}
	h.Set("Retry-After", "7")
	if d, ok := RetryAfter(h, now); !ok || d != 7*time.Second {
		t.Fatalf("seconds: %v %v", d, ok)
	}
	h.Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
	if d, ok := RetryAfter(h, now); !ok || d != 90*time.Second {
		t.Fatalf("date: %v %v", d, ok)
	}
	h.Set("Retry-After", "soon")
	if _, ok := RetryAfter(h, now); ok {
		t.Fatal("garbage read as a delay")
	}
}

func TestDoTimeoutIsNetworkClassWithoutURL(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	hc := NewClient(upload.Zoom, 100*time.Millisecond, upload.Limits{}, nil)
	req, _ := http.NewRequest("GET", srv.URL+"/x?secret=hunter2", nil)
	_, err := hc.Do(context.Background(), req)
	e, ok := upload.AsError(err)
	if !ok || e.Class != upload.ClassNetwork {
		t.Fatalf("want network error, got %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error leaks the URL: %v", err)
	}
}

func TestStatusErrorClasses(t *testing.T) {
	for status, want := range map[int]upload.Class{400: upload.ClassRejected, 401: upload.ClassAuth,
		403: upload.ClassAuth, 404: upload.ClassNotFound, 413: upload.ClassTooLarge, 429: upload.ClassThrottled,
		500: upload.ClassServer, 503: upload.ClassServer} {
		r := &Response{Status: status, Header: http.Header{"Retry-After": {"3"}}}
		e := StatusError(upload.Rhombus, r, "", "")
		if e.Class != want {
			t.Errorf("%d: class %v want %v", status, e.Class, want)
		}
		if status == 429 && e.RetryAfter != 3*time.Second {
			t.Errorf("429 retry after %v", e.RetryAfter)
		}
	}
}
