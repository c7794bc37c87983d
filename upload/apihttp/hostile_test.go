package apihttp

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"headshot/upload"
)

// A redirect to another host is refused whatever the header carrying the
// credential is called (Go forwards custom headers such as X-ApiKey to any
// host), and the error names neither the URL nor the key.
func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var reached []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for n := range r.Header {
			reached = append(reached, n)
		}
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/x?k="+r.Header.Get("X-ApiKey"), http.StatusFound)
	}))
	defer srv.Close()
	for _, h := range []string{"X-ApiKey", "x-auth-apikey", "X-Cloud-Auth-Token", "Authorization", "Cookie"} {
		reached = nil
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set(h, "sekrit-value-123")
		req.Header.Set("X-ApiKey", "sekrit-value-123")
		_, err := NewClient(upload.Interact, time.Second, upload.Limits{}, nil).Do(context.Background(), req)
		e, ok := upload.AsError(err)
		if !ok || e.Class != upload.ClassServer || !strings.Contains(e.Message, "redirect") {
			t.Fatalf("%s: want a refused redirect, got %v", h, err)
		}
		if strings.Contains(fmt.Sprintf("%+v %#v", err, err), "sekrit") {
			t.Fatalf("%s: error shows the key: %v", h, err)
		}
		if len(reached) > 0 {
			t.Fatalf("%s: the other host was contacted with %v", h, reached)
		}
	}
}

// A redirect within the same host is followed; one from https to http is not.
func TestSameHostRedirectFollowedDowngradeRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		io.WriteString(w, "at "+r.URL.Path)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/old", nil)
	r, err := NewClient(upload.Zoom, time.Second, upload.Limits{}, nil).Do(context.Background(), req)
	if err != nil || string(r.Body) != "at /new" {
		t.Fatalf("same-host redirect: %v %v", r, err)
	}
	first, _ := http.NewRequest("GET", "https://api.example/a", nil)
	next, _ := http.NewRequest("GET", "http://api.example/b", nil)
	if sameHostRedirect(next, []*http.Request{first}) == nil {
		t.Fatal("https -> http redirect allowed")
	}
}

// Do reads at most MaxBody of an answer, also when the server gzips a
// bomb (the Transport inflates transparently: the limit applies to the
// inflated bytes). A 2xx over the limit is refused (a cut list must not
// read as a short one); an error answer keeps its first MaxBody bytes.
func TestBodyBoundedEvenGzipped(t *testing.T) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for i := 0; i < 64; i++ { // 64 MiB of zeros in ~64 KiB
		zw.Write(zero)
	}
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gzip" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
			return
		}
		if r.URL.Path == "/error" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		for i := 0; i < 8; i++ { // 8 MiB plain
			w.Write(zero)
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/gzip", "/plain"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		_, err := NewClient(upload.Rhombus, 5*time.Second, upload.Limits{}, nil).Do(context.Background(), req)
		if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassServer || !strings.Contains(e.Message, "larger than") {
			t.Fatalf("%s: want an over-limit refusal, got %v", path, err)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/error", nil)
	r, err := NewClient(upload.Rhombus, 5*time.Second, upload.Limits{}, nil).Do(context.Background(), req)
	if err != nil || r.Status != 500 || len(r.Body) != MaxBody {
		t.Fatalf("error answer: %v, %d bytes", err, len(r.Body))
	}
	req, _ = http.NewRequest("GET", srv.URL+"/plain", nil)
	if r, err := NewClient(upload.Rhombus, 5*time.Second, upload.Limits{}, nil).DoLimit(context.Background(), req, MaxListBody); err != nil || len(r.Body) != 8<<20 {
		t.Fatalf("DoLimit: %v", err)
	}
}

// A server that trickles its headers (slowloris) or never finishes its body
// is cut off by the timeout, as a retryable network error.
func TestSlowHeadersAndEndlessBodyTimeOut(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.WriteHeader(200)
			for {
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
					w.Write([]byte(" "))
					w.(http.Flusher).Flush()
				}
			}
		}
		select { // headers never come
		case <-stop:
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	defer close(stop)
	for _, path := range []string{"/headers", "/body"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		start := time.Now()
		_, err := NewClient(upload.Netex, 300*time.Millisecond, upload.Limits{}, nil).Do(context.Background(), req)
		if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassNetwork {
			t.Fatalf("%s: want a network error, got %v", path, err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%s: took %v", path, time.Since(start))
		}
	}
}

// The server's words in an error are bounded and free of control
// characters, whoever reads Message or Error().
func TestStatusErrorAndGarbageCleanServerWords(t *testing.T) {
	evil := "bad\x1b[2J\x1b]0;pwned\x07\u009b31m\r\nline" + strings.Repeat("x", 5000)
	r := &Response{Status: 400, Header: http.Header{}, Body: []byte(evil)}
	for _, e := range []*upload.Error{StatusError(upload.Zoom, r, "3\x1b00", evil), Garbage(upload.Zoom, r, "test")} {
		for _, s := range []string{e.Message, e.Code, e.Error()} {
			if strings.ContainsAny(s, "\x1b\x07\r\n\u009b") {
				t.Fatalf("control character survived: %q", s)
			}
			if n := utf8.RuneCountInString(s); n > upload.MaxMessage+100 {
				t.Fatalf("%d runes kept", n)
			}
		}
	}
	// Error() is safe even for an Error built by hand with raw words.
	raw := &upload.Error{Platform: upload.Igloo, Class: upload.ClassServer, Code: "\x1b[1m", Message: evil}
	if s := raw.Error(); strings.ContainsAny(s, "\x1b\x07\r\n\u009b") || utf8.RuneCountInString(s) > upload.MaxMessage+100 {
		t.Fatalf("Error() = %q", s)
	}
}

// Secrets are redacted from an answer in every spelling a server may echo.
func TestRedactSpellings(t *testing.T) {
	const key = `k3y/with+odd"chars`
	for _, echo := range []string{key, `k3y/with+odd\"chars`, "k3y%2Fwith%2Bodd%22chars", "k3y%2Fwith+odd%22chars", "k3y/with+odd&#34;chars"} {
		if got := Redact("server says "+echo+"!", key); strings.Contains(got, "k3y") {
			t.Errorf("echo %q: %q", echo, got)
		}
	}
	if got := Redact("abc def", "abc"); got != "abc def" {
		t.Errorf("a 3-byte secret blanked ordinary text: %q", got)
	}
}

// CheckURL refuses what is not a plain http(s) endpoint and never repeats
// the value (a secret pasted into base_url must not reach the screen).
func TestCheckURLNeverEchoesTheValue(t *testing.T) {
	const sec = "S3CRET-pasted-here"
	for _, raw := range []string{sec, "ftp://" + sec, "https://user:" + sec + "@host", "https://host/?token=" + sec,
		"https://host/#" + sec, "https:///" + sec, "\x1b]0;" + sec, "https://host/?"} {
		_, err := CheckURL("zoom", "base_url", raw)
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), sec) || !strings.Contains(err.Error(), "zoom: base_url") || strings.ContainsAny(err.Error(), "\x1b") {
			t.Errorf("%q: %v", raw, err)
		}
	}
	if u, err := CheckURL("zoom", "base_url", " https://api.zoom.us/v2/ "); err != nil || u != "https://api.zoom.us/v2" {
		t.Errorf("good URL: %q %v", u, err)
	}
}

func TestSegmentRefusesDotsAndControls(t *testing.T) {
	for _, s := range []string{"", ".", "..", "a\x00b", "a\nb", "\x7f"} {
		if _, ok := Segment(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if got, ok := Segment("jane.doe@example.com/x y"); !ok || got != "jane.doe@example.com%2Fx%20y" {
		t.Errorf("got %q %v", got, ok)
	}
}

// A Retry-After far in the future, past int64 nanoseconds, infinite or NaN
// never yields a negative or absurd wait.
func TestRetryAfterHostileValues(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"1e30": MaxRetryAfter, "99999999999999999999": MaxRetryAfter, "Inf": MaxRetryAfter, "+Inf": MaxRetryAfter,
		"86401": MaxRetryAfter, "Fri, 31 Dec 9999 23:59:59 GMT": MaxRetryAfter, "2.5": 2500 * time.Millisecond,
	} {
		d, ok := RetryAfter(http.Header{"Retry-After": {v}}, now)
		if !ok || d != want {
			t.Errorf("Retry-After %q: %v %v, want %v", v, d, ok, want)
		}
	}
	for _, v := range []string{"NaN", "-1", "-Inf"} {
		if d, ok := RetryAfter(http.Header{"Retry-After": {v}}, now); ok || d != 0 {
			t.Errorf("Retry-After %q: %v %v", v, d, ok)
		}
	}
}
