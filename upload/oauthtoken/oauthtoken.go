// Package oauthtoken holds the access-token handling the OAuth clients built
// on golang.org/x/oauth2 share (Microsoft 365 and Google Workspace): a
// cache that reuses a token until shortly before it expires and drops one
// the API refused, and the reading of the oauth2 package's errors into
// *upload.Error without quoting the endpoint's answer (which may echo a
// credential). It knows no platform's API.
package oauthtoken

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// Fetch asks the token endpoint for a new token. ctx carries the
// *http.Client to use (oauth2.HTTPClient) and the fetch's own deadline.
type Fetch func(ctx context.Context) (*oauth2.Token, error)

// Cache hands out one token to every caller until Margin before it
// expires. Callers arriving while a fetch runs wait for that same fetch.
type Cache struct {
	fetch   Fetch
	hc      *http.Client
	timeout time.Duration
	margin  time.Duration

	mu   sync.Mutex
	src  oauth2.TokenSource
	last string // the token src last gave out
}

// New builds a cache: fetch runs with hc and its own timeout (one caller
// giving up must not fail the others waiting on the same fetch).
func New(fetch Fetch, hc *http.Client, timeout, margin time.Duration) *Cache {
	c := &Cache{fetch: fetch, hc: hc, timeout: timeout, margin: margin}
	c.src = c.newSource()
	return c
}

func (c *Cache) newSource() oauth2.TokenSource {
	return oauth2.ReuseTokenSourceWithExpiry(nil, fetcher{c}, c.margin)
}

// fetcher adapts Fetch to oauth2.TokenSource.
type fetcher struct{ c *Cache }

func (f fetcher) Token() (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(context.Background(), f.c.timeout)
	defer cancel()
	tok, err := f.c.fetch(context.WithValue(ctx, oauth2.HTTPClient, f.c.hc))
	if err != nil {
		return nil, err
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, errors.New("oauth2: server response missing access_token")
	}
	// A nonsense lifetime (none, past, or beyond a day) is read as an hour.
	if d := time.Until(tok.Expiry); tok.Expiry.IsZero() || d <= 0 || d > 24*time.Hour {
		tok.Expiry = time.Now().Add(time.Hour)
	}
	return tok, nil
}

// Get returns a valid token. stale is a token the API just refused: if it
// is still the one in use, the cache is dropped and a new token fetched.
// A failure is the fetch's raw error: read it with Classify.
func (c *Cache) Get(ctx context.Context, stale string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	c.mu.Lock()
	if stale != "" && stale == c.last {
		c.src, c.last = c.newSource(), ""
	}
	src := c.src
	c.mu.Unlock()
	tok, err := src.Token()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if src == c.src {
		c.last = tok.AccessToken
	}
	c.mu.Unlock()
	return tok.AccessToken, nil
}

// Refusal is a token endpoint's refusal: the parts of an
// *oauth2.RetrieveError a client may show, cleaned and bounded.
type Refusal struct {
	Status int
	Header http.Header
	Code   string // OAuth error code: invalid_client, unauthorized_client, invalid_grant...
	Words  string // error_description (or nothing)
	Body   []byte // the raw answer, for a platform-specific shape; never quote it whole
}

// Classify turns a failed token fetch into an *upload.Error for p. A
// refusal from the endpoint goes to refused, which words it for its
// platform; transport failures and unreadable answers are classed here
// without quoting the endpoint. ctx is the caller's (cancellation).
func Classify(ctx context.Context, p upload.Platform, err error, refused func(Refusal) *upload.Error) *upload.Error {
	if e, ok := upload.AsError(err); ok {
		return e
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return apihttp.TransportError(ctx, p, err)
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code, desc := re.ErrorCode, re.ErrorDescription
		if code == "" {
			// The JWT flow leaves the RFC 6749 body unparsed.
			var body struct {
				Error            string `json:"error"`
				ErrorDescription string `json:"error_description"`
			}
			if json.Unmarshal(re.Body, &body) == nil {
				code, desc = body.Error, body.ErrorDescription
			}
		}
		r := Refusal{Code: upload.CleanMessage(code, 40), Words: upload.CleanMessage(desc, 300), Body: re.Body}
		if re.Response != nil {
			r.Status, r.Header = re.Response.StatusCode, re.Response.Header
		}
		return refused(r)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		e := apihttp.TransportError(ctx, p, err)
		e.Message = "getting an access token: " + e.Message
		return e
	}
	// The oauth2 package (its JWT flow, a body read) flattens a transport
	// failure into text that quotes the endpoint's URL; only its kind is kept.
	msg := err.Error()
	if strings.HasPrefix(msg, "oauth2: cannot fetch token:") {
		what := "network error"
		switch {
		case strings.Contains(msg, "deadline exceeded"), strings.Contains(msg, "timeout"):
			what = "timed out waiting for the server"
		case strings.Contains(msg, "connection refused"):
			what = "connection refused (is the token endpoint right?)"
		case strings.Contains(msg, "no such host"):
			what = "host not found (check the token endpoint)"
		case strings.Contains(msg, apihttp.ErrRedirect.Error()):
			what = "the token endpoint redirected to another host; headshot does not follow"
		case strings.Contains(msg, "connection reset"), strings.Contains(msg, "EOF"):
			what = "connection reset by the server"
		}
		return &upload.Error{Platform: p, Class: upload.ClassNetwork, Message: "getting an access token: " + what}
	}
	// oauth2's own complaints about a 2xx answer (no access_token, not JSON).
	return &upload.Error{Platform: p, Class: upload.ClassServer,
		Message: "unexpected answer from the token endpoint: want JSON with an access_token"}
}

// Throttled reports whether a refusal means "slow down" (429, or 503 with
// Retry-After) and how long to wait.
func (r Refusal) Throttled() (bool, time.Duration) {
	if r.Status == http.StatusTooManyRequests || (r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") != "") {
		d, _ := apihttp.RetryAfter(r.Header, time.Now())
		return true, d
	}
	return false, 0
}
