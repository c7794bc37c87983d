package zoom

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// tokenCache holds the account's access token. Callers that need a token
// while one is being fetched wait for that same fetch.
type tokenCache struct {
	client *Client

	mu       sync.Mutex
	token    string
	renewAt  time.Time // ask again from this moment (expiry minus the margin)
	inflight *tokenFetch
}

// tokenFetch is one token request that several callers may wait on.
type tokenFetch struct {
	done  chan struct{}
	token string
	err   error
}

// get returns a valid token. stale is a token the API just refused (code
// 124): if it is still the cached one, it is dropped and a new one fetched.
func (t *tokenCache) get(ctx context.Context, stale string) (string, error) {
	t.mu.Lock()
	if stale != "" && t.token == stale {
		t.token = ""
	}
	if t.token != "" && time.Now().Before(t.renewAt) {
		tok := t.token
		t.mu.Unlock()
		return tok, nil
	}
	f := t.inflight
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		t.inflight = f
		go t.fetch(f)
	}
	t.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", apihttp.TransportError(ctx, upload.Zoom, ctx.Err())
	}
}

// fetch runs one token request on its own deadline (so that one caller
// giving up does not fail the others) and publishes the result.
func (t *tokenCache) fetch(f *tokenFetch) {
	ctx, cancel := context.WithTimeout(context.Background(), t.client.cfg.Timeout)
	defer cancel()
	tok, ttl, err := t.client.requestToken(ctx)
	t.mu.Lock()
	if err == nil {
		t.token = tok
		t.renewAt = time.Now().Add(renewAfter(ttl, t.client.cfg.TokenMargin))
	}
	t.inflight = nil
	t.mu.Unlock()
	f.token, f.err = tok, err
	close(f.done)
}

// renewAfter is how long a token of lifetime ttl is used: ttl minus the
// margin, or half of a lifetime shorter than twice the margin.
func renewAfter(ttl, margin time.Duration) time.Duration {
	if ttl <= 2*margin {
		return ttl / 2
	}
	return ttl - margin
}

// maxTokenTTL bounds the token lifetime (seconds) a server may claim.
const maxTokenTTL = 24 * 60 * 60

// tokenAnswer is the OAuth endpoint's success body.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// requestToken asks for an account-credentials token.
func (c *Client) requestToken(ctx context.Context) (string, time.Duration, error) {
	u, err := url.Parse(c.cfg.TokenURL)
	if err != nil {
		return "", 0, &upload.Error{Platform: upload.Zoom, Class: upload.ClassAuth, Local: true, Message: "token_url is not a URL"}
	}
	q := u.Query()
	q.Set("grant_type", "account_credentials")
	q.Set("account_id", c.cfg.AccountID)
	u.RawQuery = q.Encode()
	req, err := http.NewRequest(http.MethodPost, u.String(), nil)
	if err != nil {
		return "", 0, &upload.Error{Platform: upload.Zoom, Class: upload.ClassAuth, Local: true, Message: "cannot build the token request (check token_url)"}
	}
	req.SetBasicAuth(string(c.cfg.ClientID), string(c.cfg.ClientSecret))
	req.Header.Set("Accept", "application/json")
	r, err := c.Do(ctx, req)
	if err != nil {
		if e, ok := upload.AsError(err); ok {
			e.Message = "getting an access token: " + e.Message
		}
		return "", 0, err
	}
	if r.Status >= 200 && r.Status < 300 {
		var a tokenAnswer
		if json.Unmarshal(r.Body, &a) != nil || a.AccessToken == "" {
			// The body is not quoted: a truncated answer may hold a token.
			return "", 0, &upload.Error{Platform: upload.Zoom, Class: upload.ClassServer, Status: r.Status,
				Message: "unexpected answer from token_url: want JSON with an access_token"}
		}
		// Zoom says 3600; a nonsense lifetime (zero, negative, or so large
		// that it would overflow a Duration) is read as an hour or a day.
		ttl := time.Hour
		if a.ExpiresIn > 0 {
			ttl = time.Duration(min(a.ExpiresIn, maxTokenTTL)) * time.Second
		}
		return a.AccessToken, ttl, nil
	}
	return "", 0, c.tokenError(r)
}

// tokenError classes a refused token request. Bad credentials become
// ClassAuth with plain words and without the secret.
func (c *Client) tokenError(r *apihttp.Response) *upload.Error {
	ae, code, isJSON := parseError(r.Body)
	e := apihttp.StatusError(upload.Zoom, r, code, "")
	if code == "" && ae.Error != "" {
		e.Code = ae.Error
	}
	words := c.redact(ae.words())
	switch {
	case r.Status == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(r.Header, time.Now())
		e.Message = "token requests throttled"
	case r.Status >= 500:
		e.Message = "token endpoint failed"
	case !isJSON:
		g := c.garbage(r, "want the OAuth endpoint's JSON (check token_url)")
		g.Status = r.Status
		return g
	default:
		e.Class = upload.ClassAuth
		e.Message = "token refused: check the client id and secret"
		if strings.Contains(strings.ToLower(words), "account") {
			e.Message = "token refused: check the account id"
		}
	}
	if words != "" {
		e.Message += " (Zoom says: " + words + ")"
	}
	return e
}
