// Package igloo is headshot's client for Igloo digital workplaces: a session
// login (Session/Create -> TokenId, sent as cookie iglooauth; on a 401 the
// client logs in again once, concurrent callers sharing one login), member
// lookup by email or username (from the community's member list, read once
// per run when the run looks up enough people, else, and for whom the list
// lacks, through the v1 member search; both paced by lookup_rate), and the
// documented
// three-step profile-photo upload: create an attachment entry, PATCH its
// bytes in chunks of chunk_size with Content-Range, and associate it with the
// member as ProfilePhoto.
//
// The PATCH step resumes: after a dropped connection, a timeout, a 5xx, a
// 429 (after its Retry-After, at most 10s) or a 416 (misaligned range) it asks what the entry holds (`Content-Range:
// bytes */total`, empty body -> contentLength) and continues from there,
// never re-sending stored bytes, at most max_resumes times per upload.
//
// Assumptions ([A], each a Config field or documented default): 5 MiB cap,
// 5 requests/s for the uploads (one costs at least three) and 5/s for the
// lookups (slowed to the answers' minRequestPeriod), the list's page size, the
// create step answers 201 with a Location whose last segment is the key,
// the stored-length query, and 416 for a misaligned range.
package igloo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/people"
)

// Client talks to one Igloo workplace.
type Client struct {
	cfg Config
	*apihttp.Client
	lim     *rate.Limiter // uploads (and logins): rate
	lookLim *rate.Limiter // member list and search: lookup_rate
	sess    session
	members *people.Directory // the run's member list
}

var _ upload.PeopleLister = (*Client)(nil)

// New validates c and builds a client; it does not log in yet.
func New(c Config) (*Client, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &Client{
		cfg:     c,
		Client:  apihttp.NewClient(upload.Igloo, c.Timeout, c.limits(), c, string(c.AppPassword), string(c.Password)),
		lim:     rate.NewLimiter(rate.Limit(c.Rate.PerSecond()), 1),
		lookLim: rate.NewLimiter(rate.Limit(c.LookupRate.PerSecond()), 1),
		sess:    session{lock: make(chan struct{}, 1)},
		members: people.NewDirectory(),
	}, nil
}

// requestsPerPhoto is what one person's photo costs in requests paced by
// Rate: the attachment, one PATCH (a prepared 600x600 photo fits one
// chunk) and the association, plus room for the member search, which has
// its own limiter (lookup_rate) but may share the workplace's budget.
const requestsPerPhoto = 4

// limits report the photo rate: every upload request is paced by Rate, and
// a photo takes requestsPerPhoto of them, so the engine is told Rate/4 and
// keeps the client busy without queueing behind its own limiter.
func (c Config) limits() upload.Limits {
	l := c.Limits("image/jpeg", "image/png", "image/gif")
	l.Rate = upload.Rate{N: c.Rate.N, Per: requestsPerPhoto * c.Rate.Per}
	l.PeopleTTL = c.PeopleTTL
	return l
}

// Check logs in and runs one member search.
func (c *Client) Check(ctx context.Context) error {
	if _, _, err := c.current(ctx); err != nil {
		return err
	}
	_, err := c.searchMembers(ctx, c.cfg.Username, 1)
	return err
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Resolve finds the member GUID: a GUID is taken as is; an email must match
// a search hit's email exactly (case-insensitively); another key must match
// a hit's namespace (username).
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	key := strings.TrimSpace(person)
	if key == "" {
		return upload.Target{}, &upload.Error{Platform: upload.Igloo, Class: upload.ClassNotFound, Local: true, Message: "empty person key"}
	}
	if guidRE.MatchString(key) {
		return upload.Target{Person: person, ID: key}, nil
	}
	isEmail := strings.Contains(key, "@")
	if t, ok, err := c.fromList(ctx, key); err != nil {
		return upload.Target{}, err
	} else if ok {
		t.Person = person
		return t, nil
	}
	seen := 0
	for page := 1; page <= maxSearchPages; page++ {
		hits, err := c.searchMembers(ctx, key, page)
		if err != nil {
			return upload.Target{}, err
		}
		seen += len(hits)
		for _, h := range hits {
			if h.ID == "" {
				continue
			}
			if (isEmail && strings.EqualFold(strings.TrimSpace(h.Email), key)) || (!isEmail && strings.EqualFold(h.Namespace, key)) {
				return upload.Target{Person: person, ID: h.ID, Name: upload.CleanMessage(h.Name.FullName, 200)}, nil
			}
		}
		if len(hits) < c.cfg.SearchRows {
			break // the last page
		}
	}
	return upload.Target{}, &upload.Error{Platform: upload.Igloo, Class: upload.ClassNotFound,
		Message: fmt.Sprintf("no Igloo member matches %s exactly (%d search hits)", key, seen)}
}

// maxSearchPages bounds the member-search pages one lookup reads: an exact
// match ranks high, so a person past search_rows x maxSearchPages hits is
// reported as not found rather than paged for ever.
const maxSearchPages = 5

type memberHit struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Namespace string `json:"namespace"`
	Name      struct {
		FullName string `json:"fullName"`
	} `json:"name"`
}

// searchMembers reads one page (1-based) of GET /.api/api.svc/search/members,
// asking for SearchRows hits: the server's default is 10, so without rows
// an exact match past the tenth hit would be missed.
func (c *Client) searchMembers(ctx context.Context, q string, page int) ([]memberHit, error) {
	query := url.Values{"q": {q}, "rows": {strconv.Itoa(c.cfg.SearchRows)}, "page": {strconv.Itoa(page)}}
	resp, err := c.lookup(ctx, "/.api/api.svc/search/members?"+query.Encode())
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status >= 300 {
		return nil, c.statusError(resp)
	}
	var out struct {
		Response *struct {
			Value *struct {
				Hit []memberHit `json:"hit"`
			} `json:"value"`
		} `json:"response"`
	}
	if json.Unmarshal(resp.Body, &out) != nil || out.Response == nil {
		return nil, apihttp.Garbage(upload.Igloo, resp, "member search")
	}
	if out.Response.Value == nil {
		return nil, nil
	}
	return out.Response.Value.Hit, nil
}

// send makes one upload request with the session cookie, pacing it by
// Rate; on a 401 it logs in again (once, shared with concurrent callers)
// and resends.
func (c *Client) send(ctx context.Context, method, path string, hdr http.Header, body []byte) (*apihttp.Response, error) {
	return c.sendPaced(ctx, c.lim, method, path, hdr, body)
}

// lookup is a GET of the member search or list, paced by lookup_rate (not
// by the upload rate) and slowed further when the answer asks for a
// longer minRequestPeriod.
func (c *Client) lookup(ctx context.Context, path string) (*apihttp.Response, error) {
	resp, err := c.sendPaced(ctx, c.lookLim, http.MethodGet, path, nil, nil)
	if err == nil {
		c.heedPeriod(resp.Body)
	}
	return resp, err
}

// heedPeriod slows the lookups to the v1 API's minRequestPeriod hint when
// it asks for more room than lookup_rate leaves (never speeds them up).
func (c *Client) heedPeriod(body []byte) {
	d := minRequestPeriod(body)
	if d <= 0 || d > time.Minute {
		return
	}
	if want := rate.Every(d); want < c.lookLim.Limit() {
		c.lookLim.SetLimit(want)
	}
}

// sendPaced makes one request with the session cookie, pacing it by lim;
// on a 401 it logs in again (once, shared with concurrent callers) and
// resends.
func (c *Client) sendPaced(ctx context.Context, lim *rate.Limiter, method, path string, hdr http.Header, body []byte) (*apihttp.Response, error) {
	token, cookie, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if err := c.waitOn(ctx, lim); err != nil {
			return nil, err
		}
		req, err := c.NewRequest(method, c.cfg.BaseURL+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		for k, v := range hdr {
			req.Header[k] = v
		}
		if req.Header.Get("Accept") == "" {
			req.Header.Set("Accept", "application/json")
		}
		req.AddCookie(&http.Cookie{Name: cookie, Value: token})
		resp, err := c.Do(ctx, req)
		if err != nil || resp.Status != http.StatusUnauthorized || attempt > 0 {
			return resp, err
		}
		if token, cookie, err = c.relogin(ctx, token); err != nil {
			return nil, err
		}
	}
}

// wait paces a request by the configured Rate.
func (c *Client) wait(ctx context.Context) error { return c.waitOn(ctx, c.lim) }

// waitOn paces a request by lim.
func (c *Client) waitOn(ctx context.Context, lim *rate.Limiter) error {
	if err := lim.Wait(ctx); err != nil {
		return apihttp.WaitError(ctx, upload.Igloo, err)
	}
	return nil
}

func (c *Client) localErr(msg string) *upload.Error {
	return &upload.Error{Platform: upload.Igloo, Class: upload.ClassRejected, Local: true, Message: msg}
}

// statusError classes a non-2xx answer with Igloo's own words when present.
func (c *Client) statusError(resp *apihttp.Response) *upload.Error {
	code, msg := errorWords(resp.Body)
	e := apihttp.StatusError(upload.Igloo, resp, code, c.redact(msg))
	if e.Class == upload.ClassThrottled && e.RetryAfter == 0 {
		e.RetryAfter = minRequestPeriod(resp.Body)
	}
	return e
}

// redact removes the passwords from text a server sent back.
func (c *Client) redact(s string) string {
	for _, secret := range []string{string(c.cfg.AppPassword), string(c.cfg.Password)} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// errorWords finds a code and a message in an Igloo error body, whichever
// of the shapes seen in the wild it uses.
func errorWords(body []byte) (code, msg string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return "", ""
	}
	str := func(m map[string]json.RawMessage, keys ...string) string {
		for _, k := range keys {
			var s string
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
		return ""
	}
	code, msg = str(obj, "code", "Code"), str(obj, "message", "Message", "error_description", "error")
	for _, k := range []string{"error", "response"} {
		var inner map[string]json.RawMessage
		if raw, ok := obj[k]; ok && json.Unmarshal(raw, &inner) == nil {
			if msg == "" {
				msg = str(inner, "message", "Message")
			}
			if code == "" {
				code = str(inner, "code", "Code")
			}
		}
	}
	return upload.CleanMessage(code, 40), upload.CleanMessage(msg, 300)
}

// minRequestPeriod reads the v1 API's hint (milliseconds), 0 if absent.
func minRequestPeriod(body []byte) time.Duration {
	var out struct {
		MinRequestPeriod float64 `json:"minRequestPeriod"`
	}
	if json.Unmarshal(body, &out) != nil || out.MinRequestPeriod <= 0 {
		return 0
	}
	return time.Duration(out.MinRequestPeriod * float64(time.Millisecond))
}
