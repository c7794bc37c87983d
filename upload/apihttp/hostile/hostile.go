// Package hostile is a test helper: HTTP servers that misbehave the ways a
// broken or malicious platform might (401 echoing the credentials, 500
// quoting the request body, an HTML page, a redirect to a URL holding the
// token, another host collecting what is forwarded), and an assertion that
// no secret reached an error or a result. The client packages' tests use it.
package hostile

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Mode is one way of misbehaving.
type Mode string

// The modes every client is tested against.
const (
	Echo401       Mode = "401 echoing the request"
	Echo400JSON   Mode = "400 JSON echoing the request"
	Echo500       Mode = "500 quoting the request body"
	HTML          Mode = "200 HTML page echoing the request"
	OKEcho        Mode = "200 JSON echoing the request in every field"
	EchoHeaders   Mode = "2xx with Location and Content-Location holding the credentials"
	RedirectOther Mode = "redirect to another host with the token in the URL"
	RedirectSame  Mode = "same-host redirect with the token in the URL, then 500 echoing"
	Throttled     Mode = "429 echoing the request"

	EmptyOK    Mode = "200 with an empty body"
	DeepJSON   Mode = "200 with JSON nested 100000 deep"
	HugeNumber Mode = "200 with JSON numbers far past int64 and float64"
	Oversized  Mode = "200 with a JSON answer larger than the body limit"
	WrongShape Mode = "200 with JSON of the wrong shape"
)

// GarbageModes are 2xx answers no client can make sense of.
func GarbageModes() []Mode {
	return []Mode{EmptyOK, DeepJSON, HugeNumber, Oversized, WrongShape}
}

// Modes lists every Mode.
func Modes() []Mode {
	return []Mode{Echo401, Echo400JSON, Echo500, HTML, OKEcho, EchoHeaders, RedirectOther, RedirectSame, Throttled}
}

// Server is a misbehaving server plus the other host it redirects to.
type Server struct {
	*httptest.Server
	Other *httptest.Server // the host RedirectOther sends clients to

	mu       sync.Mutex
	leaked   []string // what reached Other: header values, URL
	mode     Mode
	pass     func(*http.Request) bool
	next     http.Handler
	secrets  []string
	testName string
}

// New starts a server in mode m. Requests for which pass returns true go to
// next instead (a real login or token endpoint, so the client gets as far
// as the call under test); pass may be nil. Both servers close at the end
// of the test.
func New(t testing.TB, m Mode, secrets []string, pass func(*http.Request) bool, next http.Handler) *Server {
	t.Helper()
	s := &Server{mode: m, pass: pass, next: next, secrets: secrets, testName: t.Name()}
	s.Other = httptest.NewServer(http.HandlerFunc(s.other))
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Other.Close)
	t.Cleanup(s.Server.Close)
	return s
}

// dump is everything the request carried: method, URL, headers, body.
func dump(r *http.Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.String())
	names := make([]string, 0, len(r.Header))
	for n := range r.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "%s: %s\n", n, strings.Join(r.Header[n], ", "))
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	b.Write(body)
	return b.String()
}

// secretsIn is every secret and every credential-looking header value of
// the request, joined so they can go in a URL.
func (s *Server) secretsIn(r *http.Request) string {
	parts := append([]string(nil), s.secrets...)
	for n, vs := range r.Header {
		ln := strings.ToLower(n)
		if strings.Contains(ln, "auth") || strings.Contains(ln, "key") || strings.Contains(ln, "token") || strings.Contains(ln, "cookie") {
			parts = append(parts, vs...)
		}
	}
	return strings.Join(parts, "|")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.pass != nil && s.pass(r) {
		s.next.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/hostile-redirected/") {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "redirected here: "+dump(r))
		return
	}
	d := dump(r)
	q := json(d)
	echoJSON := fmt.Sprintf(`{"code":124,"message":%s,"Message":%s,"error":true,"errorMsg":%s,"status":400,"reason":%s,"ModelState":{"x":[%s]}}`, q, q, q, q, q)
	switch s.mode {
	case Echo401:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", got=`+strings.ReplaceAll(s.secretsIn(r), "\n", " "))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, echoJSON)
	case Echo400JSON:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, echoJSON)
	case Echo500:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, d)
	case HTML:
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><pre>"+d+"</pre></body></html>")
	case OKEcho:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, echoJSON)
	case EchoHeaders:
		sec := url.PathEscape(s.secretsIn(r))
		w.Header().Set("Location", "/attachments/"+sec)
		w.Header().Set("Content-Location", "https://x.example/"+sec)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "{}")
	case RedirectOther:
		http.Redirect(w, r, s.Other.URL+"/steal/"+url.PathEscape(s.secretsIn(r))+"?token="+url.QueryEscape(s.secretsIn(r)), http.StatusTemporaryRedirect)
	case RedirectSame:
		http.Redirect(w, r, "/hostile-redirected/"+url.PathEscape(s.secretsIn(r))+"?token="+url.QueryEscape(s.secretsIn(r)), http.StatusTemporaryRedirect)
	case EmptyOK:
		w.WriteHeader(http.StatusOK)
	case DeepJSON:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"users":`+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`}`)
	case HugeNumber:
		w.Header().Set("Content-Type", "application/json")
		n := "1" + strings.Repeat("0", 400)
		io.WriteString(w, `{"id":`+n+`,"code":`+n+`,"status":1e999999,"contentLength":`+n+`,"TokenId":`+n+
			`,"users":[{"id":`+n+`,"uuid":`+n+`,"email":`+n+`}],"fileUploadResults":[{"fileName":`+n+`,"success":`+n+`}],`+
			`"response":{"value":{"hit":[{"id":`+n+`}]}},"responsePlatforms":{"training":{"status":`+n+`}}}`)
	case Oversized:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"users":[`)
		for i := 0; i < 200000; i++ {
			io.WriteString(w, `{"id":"x","email":"x@example.com"},`)
		}
		io.WriteString(w, `{}]}`)
	case WrongShape:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[1,"two",{"three":null},true]`)
	case Throttled:
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, d)
	}
}

// other is the foreign host: it records every credential that reached it.
func (s *Server) other(w http.ResponseWriter, r *http.Request) {
	d := dump(r)
	s.mu.Lock()
	for _, sec := range s.secrets {
		if strings.Contains(d, sec) {
			s.leaked = append(s.leaked, sec)
		}
	}
	for n := range r.Header {
		ln := strings.ToLower(n)
		if strings.Contains(ln, "auth") || strings.Contains(ln, "key") || strings.Contains(ln, "token") || strings.Contains(ln, "cookie") {
			s.leaked = append(s.leaked, n)
		}
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, `{}`)
}

// Forwarded lists the secrets and credential headers that reached Other.
func (s *Server) Forwarded() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.leaked...)
}

func json(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// NoSecret fails t when any of secrets appears in what a client returned:
// the error's text (%v, %+v and %#v), and any results.
func NoSecret(t testing.TB, context string, secrets []string, err error, results ...any) {
	t.Helper()
	var texts []string
	if err != nil {
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		for u := err; u != nil; {
			texts = append(texts, u.Error())
			w, ok := u.(interface{ Unwrap() error })
			if !ok {
				break
			}
			u = w.Unwrap()
		}
	}
	for _, r := range results {
		texts = append(texts, fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r))
	}
	for _, txt := range texts {
		for _, sec := range secrets {
			if sec != "" && strings.Contains(txt, sec) {
				t.Errorf("%s: secret %q leaked into %q", context, sec, txt)
			}
		}
	}
}

// WantClientError fails t unless err is a *upload.Error-like failure: a
// non-nil error whose type has a Class (checked by the caller's assertion
// function) and a one-line message. It exists so the clients' garbage
// tests read the same way.
func WantClientError(t testing.TB, context string, err error, isUploadError func(error) bool) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: a garbage answer was accepted", context)
		return
	}
	if !isUploadError(err) {
		t.Errorf("%s: %T is not an *upload.Error: %v", context, err, err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n\x1b") || len(msg) > 4000 {
		t.Errorf("%s: message not one bounded line: %q", context, msg[:min(len(msg), 200)])
	}
}
