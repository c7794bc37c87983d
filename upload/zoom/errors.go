package zoom

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/apihttp"
)

// Zoom's own error codes that change what headshot does.
const (
	codeAdminOnly     = "200"  // only an account administrator can change another user's picture
	codeRejected      = "300"  // picture invalid or explicit
	codeInvalidToken  = "124"  // access token invalid or expired: ask for a new one once
	codeUserNotExists = "1001" // no such user
	codeMissingScope  = "4711" // HTTP 400: the token lacks a scope the endpoint needs
)

// scopesInMessage finds the list in Zoom's 4711 words "Invalid access
// token, does not contain scopes:[user:read:user:admin]."
var scopesInMessage = regexp.MustCompile(`scopes?\s*:\s*\[([^\]]*)\]`)

// missingScopes are the scopes a 4711 answer names, cleaned ("" if none).
func missingScopes(msg string) string {
	m := scopesInMessage.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	var out []string
	for _, s := range strings.Split(m[1], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, textsafe.CleanN(s, 60))
		}
	}
	return strings.Join(out, ", ")
}

// apiError is Zoom's error body.
type apiError struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
	Errors  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	// OAuth endpoint shape.
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

// parseError reads Zoom's error body; ok is false when it is not JSON.
func parseError(b []byte) (e apiError, code string, ok bool) {
	if json.Unmarshal(b, &e) != nil {
		return e, "", false
	}
	code = strings.Trim(string(e.Code), `" `)
	if code == "null" {
		code = ""
	}
	if _, err := strconv.Atoi(code); err != nil {
		code = ""
	}
	return e, code, true
}

// words is the platform's message, validation errors appended, cleaned and
// bounded.
func (e apiError) words() string {
	msg := e.Message
	if msg == "" {
		msg = e.Reason
	}
	for _, fe := range e.Errors {
		msg += "; " + fe.Field + ": " + fe.Message
	}
	return textsafe.CleanN(strings.TrimSpace(msg), 200)
}

// classify turns a non-2xx API answer into an *upload.Error.
func (c *Client) classify(r *apihttp.Response, person string, body *reqBody) *upload.Error {
	ae, code, isJSON := parseError(r.Body)
	e := apihttp.StatusError(upload.Zoom, r, code, c.redact(ae.words()))
	switch {
	case r.Status == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(r.Header, time.Now())
		if e.Message == "" || e.Message == http.StatusText(http.StatusTooManyRequests) {
			e.Message = "rate limit reached"
		}
	case r.Status >= 500:
		// ClassServer as StatusError made it.
	case !isJSON:
		// An HTML page or truncated JSON is not Zoom speaking: a wrong
		// base_url, a proxy, or a broken answer.
		if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
			e.Message = "access refused"
			return e
		}
		g := c.garbage(r, "want Zoom's JSON error")
		g.Status = r.Status
		return g
	case code == codeMissingScope:
		// Not the credentials: the app was not given a scope. Every call
		// to this endpoint will fail the same way until it is added.
		e.Class = upload.ClassAuth
		scopes := missingScopes(e.Message)
		if scopes == "" {
			scopes = "the scope this request needs"
		}
		e.Hint = "the app lacks scope " + scopes + "; add it under Scopes in the Marketplace app (Server-to-Server OAuth), then test again"
		e.Message = e.Hint + " (Zoom says: " + e.Message + ")"
	case isTokenCode(code):
		e.Class = upload.ClassAuth
		e.Message = "token refused: check the account id, client id and secret (" + e.Message + ")"
	case r.Status == http.StatusUnauthorized && code == codeInvalidToken:
		e.Class = upload.ClassAuth
		e.Message = "access token refused even after asking for a new one: " + e.Message
	case code == codeUserNotExists || (r.Status == http.StatusNotFound && person != ""):
		e.Class = upload.ClassNotFound
		e.Message = fmt.Sprintf("Zoom has no user %q: %s", textsafe.CleanN(person, 120), e.Message)
	case r.Status == http.StatusBadRequest && code == codeRejected:
		e.Message = "picture rejected (invalid or explicit content): " + e.Message
	case r.Status == http.StatusBadRequest && code == codeAdminOnly:
		e.Message = "only an account administrator can change another user's picture (check the app's scopes): " + e.Message
	case r.Status == http.StatusRequestEntityTooLarge || (r.Status == http.StatusBadRequest && sizeWords(e.Message)):
		e.Class = upload.ClassTooLarge
		if body != nil {
			e.Size = body.size
		}
		e.Limit = c.sizeLimit(e.Message, e.Size)
	}
	return e
}

// isTokenCode reports Zoom's OAuth error codes 4700-4711.
func isTokenCode(code string) bool {
	n, err := strconv.Atoi(code)
	return err == nil && n >= 4700 && n <= 4711
}

// sizeWords spots a 400 that is about the file's size.
func sizeWords(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "too large") || strings.Contains(m, "size") || strings.Contains(m, "exceed")
}

var bytesInMessage = regexp.MustCompile(`(\d+)\s*bytes`)

// sizeLimit is the limit Zoom stated, else the configured one or Zoom's
// documented one when the photo was over it, else 0 (unknown).
func (c *Client) sizeLimit(msg string, size int64) int64 {
	if m := bytesInMessage.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n > 0 {
			return n
		}
	}
	for _, l := range []int64{c.cfg.MaxBytes, DefaultMaxBytes} {
		if size == 0 || size > l {
			return l
		}
	}
	return 0
}

// retryAfter is when Zoom says to try again: Retry-After (seconds, an HTTP
// date, or the ISO-8601 time Zoom documents for its daily limit, e.g.
// 2020-05-31T00:00:00Z), else from X-RateLimit-Type (QPS: about a second;
// Daily-limit: next UTC midnight), else 0 (unknown).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if d, ok := apihttp.RetryAfter(h, now); ok {
		return d
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(h.Get("Retry-After"))); err == nil {
		return min(max(t.Sub(now), 0), apihttp.MaxRetryAfter)
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("X-RateLimit-Type"))) {
	case "qps":
		return time.Second
	case "daily-limit":
		u := now.UTC()
		midnight := time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, time.UTC)
		return midnight.Sub(u)
	}
	return 0
}

// redact removes the client secret and id from text a server sent back,
// in case a server echoes them.
func (c *Client) redact(s string) string {
	for _, secret := range []string{string(c.cfg.ClientSecret), string(c.cfg.ClientID)} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// garbage is apihttp.Garbage with any echoed credential removed.
func (c *Client) garbage(r *apihttp.Response, what string) *upload.Error {
	g := apihttp.Garbage(upload.Zoom, r, what)
	g.Message = c.redact(g.Message)
	return g
}
