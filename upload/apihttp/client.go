package apihttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"time"

	"headshot/upload"
)

// Settings are the keys every platform's Config has; Configs embed them.
type Settings struct {
	Rate        upload.Rate   `toml:"rate"`        // requests (or photos) per unit of time
	Concurrency int           `toml:"concurrency"` // requests in flight
	MaxBytes    int64         `toml:"max_bytes"`   // largest photo sent
	Timeout     time.Duration `toml:"timeout"`     // every request's timeout
}

// Limits are the settings as upload.Limits for a platform taking the given
// types, one request and one photo at a time.
func (s Settings) Limits(mime ...string) upload.Limits {
	return upload.Limits{MaxBytes: s.MaxBytes, MIMETypes: mime, Rate: s.Rate, Burst: 1, Concurrency: s.Concurrency, BatchSize: 1}
}

// Client is the HTTP side of a platform client, which embeds it (as
// go-github's services share one Client): the *http.Client with its
// timeouts and redirect rule, the platform its errors name, the
// credentials it removes from every answer and error, and the limits the
// platform declares. It provides the upload.Client methods Platform and
// Limits, and String/GoString that never show a secret.
type Client struct {
	platform upload.Platform
	http     *http.Client
	secrets  []string
	limits   upload.Limits
	settings any // printed by String (its credentials are Secrets)
}

// NewClient builds the HTTP side of platform p's client. Every request
// times out after timeout (DefaultTimeout when zero) and never follows a
// redirect to another host or from https to http (Go would forward custom
// credential headers such as X-ApiKey or X-Cloud-Auth-Token there).
// settings is printed by String (its credentials must be Secrets); secrets are the
// credentials Do removes from every answer and error besides those the
// request itself carries (a password sent in a JSON body, say).
func NewClient(p upload.Platform, timeout time.Duration, limits upload.Limits, settings any, secrets ...string) *Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = timeout
	tr.MaxIdleConnsPerHost = 16
	var keep []string
	for _, s := range secrets {
		if s != "" {
			keep = append(keep, s)
		}
	}
	return &Client{platform: p, limits: limits, settings: settings, secrets: keep,
		http: &http.Client{Timeout: timeout, Transport: tr, CheckRedirect: sameHostRedirect}}
}

// Platform is the platform the client talks to.
func (c *Client) Platform() upload.Platform { return c.platform }

// Limits are the platform's type, size and rate limits as configured.
func (c *Client) Limits() upload.Limits { return c.limits }

// String names the client with its settings, redacted: fmt would otherwise
// print the unexported settings (and any cached token) raw for %v.
func (c *Client) String() string {
	if c.settings == nil {
		return string(c.platform) + " client"
	}
	return fmt.Sprintf("%s client %+v", c.platform, c.settings)
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// HTTP is the underlying *http.Client, for libraries that send requests
// themselves (golang.org/x/oauth2's token sources).
func (c *Client) HTTP() *http.Client { return c.http }

// NewRequest builds a request for url (Do gives it its context); a URL
// that cannot be one (it came from settings checked by New and escaped
// segments, so this is rare) is a local *upload.Error that does not
// repeat it.
func (c *Client) NewRequest(method, url string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, &upload.Error{Platform: c.platform, Class: upload.ClassRejected, Local: true,
			Message: "cannot build the " + method + " request (check base_url)"}
	}
	return req, nil
}

// Do sends req with the headshot User-Agent and ctx, reads up to MaxBody of
// the answer and closes it. A transport failure comes back as *upload.Error
// of ClassNetwork (or ClassCanceled when ctx ended); any HTTP status is
// returned as a Response with a nil error: the caller classifies it.
//
// Every credential the request carries (sensitive headers, cookies, Basic
// auth, sensitive query parameters) and every secret given to NewClient is
// replaced by [redacted] in the answer's body and headers and in transport
// errors, so a server that echoes one cannot make a client quote it.
func (c *Client) Do(ctx context.Context, req *http.Request) (*Response, error) {
	return c.DoLimit(ctx, req, MaxBody)
}

// DoLimit is Do reading at most limit bytes of the answer. A 2xx answer
// over the limit is refused as ClassServer (a truncated list must not read
// as a short one); another status keeps the first limit bytes for its words.
func (c *Client) DoLimit(ctx context.Context, req *http.Request, limit int64) (*Response, error) {
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", upload.UserAgent())
	secrets := append(requestSecrets(req), c.secrets...)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, c.platform, err, secrets)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, transportError(ctx, c.platform, err, secrets)
	}
	if int64(len(body)) > limit {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return nil, &upload.Error{Platform: c.platform, Class: upload.ClassServer, Status: resp.StatusCode,
				Message: fmt.Sprintf("the answer is larger than %d KB; refused", limit>>10)}
		}
		body = body[:limit]
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body}
	redactResponse(r, secrets)
	return r, nil
}

// transport is the client's *http.Transport (NewClient always builds one).
func (c *Client) transport() *http.Transport {
	tr, _ := c.http.Transport.(*http.Transport)
	return tr
}

func (c *Client) tlsConfig() *tls.Config {
	tr := c.transport()
	if tr == nil {
		return nil
	}
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return tr.TLSClientConfig
}

// UseClientCert presents cert in every TLS handshake (mutual TLS, e.g.
// Rhombus's certificate schemes).
func (c *Client) UseClientCert(cert tls.Certificate) {
	if tc := c.tlsConfig(); tc != nil {
		tc.Certificates = []tls.Certificate{cert}
	}
}

// UseRootCAs trusts the certificates in pool instead of the system's (a
// private CA, e.g. a test server's).
func (c *Client) UseRootCAs(pool *x509.CertPool) {
	if tc := c.tlsConfig(); tc != nil {
		tc.RootCAs = pool
	}
}

// PerRequestDeadlines lifts the client's own time limits (the overall
// timeout and the wait for response headers) for a platform client whose
// every request carries a context deadline scaled to its body (Rhombus's
// batches of 100 photos).
func (c *Client) PerRequestDeadlines() {
	c.http.Timeout = 0
	if tr := c.transport(); tr != nil {
		tr.ResponseHeaderTimeout = 0
	}
}
