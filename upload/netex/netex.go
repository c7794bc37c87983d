// Package netex is headshot's client for Netex learningCloud's management
// REST API: a static X-Cloud-Auth-Token, users addressed by id or username
// (an email is matched against the paged user list), and the photo sent as
// JSON {"image":{"base64Image","mimeType"}} to POST /users/{id}/image.
//
// Netex answers HTTP 200 with an envelope whose own status and whose
// per-sub-platform statuses (training, social, play, management) carry the
// outcome: all 2xx is success (202 means queued, in asynchronous mode). When
// some sub-platforms refuse and others take the photo it is a partial
// success: a Receipt whose Parts name each one (the engine sends it once
// more, then records which refused); only every sub-platform failing is an
// error, whose Parts list them all.
//
// The user list is documented as a bare JSON array of users with a
// 32-hex-digit id, name and surname; an object holding the array is read
// too.
//
// Assumptions ([A], each a Config field with a default): 5 MB cap, 5
// requests/s, the list answer is a JSON array or an object holding one
// (users/data/items/results/content), error answers use the same envelope
// with an error status, either as HTTP 200 or as that HTTP status.
package netex

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// Client talks to one learningCloud tenant.
type Client struct {
	cfg Config
	*apihttp.Client

	lookLim  *rate.Limiter // user list pages and lookups: lookup_rate
	listLock chan struct{} // held while the user list is fetched (shared by concurrent Resolves)
	users    []listed
	byEmail  map[string]int // lower-cased email -> index in users
	loadedAt time.Time
}

var _ upload.Client = (*Client)(nil)

// New validates c and builds a client.
func New(c Config) (*Client, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	lim := c.Limits("image/jpeg", "image/png")
	lim.PeopleTTL = c.PeopleTTL
	return &Client{cfg: c, Client: apihttp.NewClient(upload.Netex, c.Timeout, lim, c, string(c.Token)),
		lookLim: rate.NewLimiter(rate.Limit(c.LookupRate.PerSecond()), 1), listLock: make(chan struct{}, 1)}, nil
}

// Check lists one user: it proves the host, the prefix and the token.
func (c *Client) Check(ctx context.Context) error {
	resp, err := c.get(ctx, "/users?startIndex=0&count=1")
	if err != nil {
		return err
	}
	if e := c.answerError(resp, ""); e != nil {
		return e
	}
	if _, _, ok := decodeUserList(resp.Body); !ok {
		return apihttp.Garbage(upload.Netex, resp, "the user list is not a list; is base_url the integration host?")
	}
	return nil
}

// Resolve finds the user: an email is matched (case-insensitively) in the
// cached user list; anything else is looked up as an id or a username.
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	key := strings.TrimSpace(person)
	if key == "" {
		return upload.Target{}, &upload.Error{Platform: upload.Netex, Class: upload.ClassNotFound, Local: true, Message: "empty person key"}
	}
	if strings.Contains(key, "@") {
		return c.resolveEmail(ctx, person, key)
	}
	seg, ok := apihttp.Segment(key)
	if !ok {
		return upload.Target{}, &upload.Error{Platform: upload.Netex, Class: upload.ClassNotFound, Local: true,
			Message: fmt.Sprintf("%q cannot be a learningCloud id or username", key)}
	}
	resp, err := c.lookup(ctx, "/users/"+seg)
	if err != nil {
		return upload.Target{}, err
	}
	if e := c.answerError(resp, key); e != nil {
		return upload.Target{}, e
	}
	u, ok := decodeUser(resp.Body)
	if !ok {
		return upload.Target{}, apihttp.Garbage(upload.Netex, resp, "user lookup")
	}
	id := u.idString()
	if id == "" {
		id = key
	}
	return upload.Target{Person: person, ID: id, Name: upload.CleanMessage(u.name(), 200)}, nil
}

func (c *Client) resolveEmail(ctx context.Context, person, email string) (upload.Target, error) {
	select {
	case c.listLock <- struct{}{}:
	case <-ctx.Done():
		return upload.Target{}, apihttp.TransportError(ctx, upload.Netex, ctx.Err())
	}
	defer func() { <-c.listLock }()
	age := time.Since(c.loadedAt)
	if c.users == nil || age > c.cfg.UserCacheTTL {
		if err := c.loadUsers(ctx); err != nil {
			return upload.Target{}, err
		}
		age = 0
	}
	if u, ok := c.findEmail(email); ok {
		return upload.Target{Person: person, ID: u.idString(), Name: upload.CleanMessage(u.name(), 200)}, nil
	}
	if age > 30*time.Second { // the person may have been added since the list was read
		if err := c.loadUsers(ctx); err != nil {
			return upload.Target{}, err
		}
		if u, ok := c.findEmail(email); ok {
			return upload.Target{Person: person, ID: u.idString(), Name: upload.CleanMessage(u.name(), 200)}, nil
		}
	}
	return upload.Target{}, &upload.Error{Platform: upload.Netex, Class: upload.ClassNotFound,
		Message: fmt.Sprintf("no learningCloud user has the email %s", email)}
}

// findEmail looks email up in the list's index (emails are stored
// lower-cased): a 10,000-photo run does not scan the list 10,000 times.
func (c *Client) findEmail(email string) (listed, bool) {
	if i, ok := c.byEmail[strings.ToLower(strings.TrimSpace(email))]; ok {
		return c.users[i], true
	}
	return listed{}, false
}

// listed is what the cached user list keeps of a user.
type listed struct{ id, email, fullName string }

func (l listed) idString() string { return l.id }
func (l listed) name() string     { return l.fullName }

// loadUsers pages through GET /users (caller holds listLock).
func (c *Client) loadUsers(ctx context.Context) error {
	var all []listed
	for start, page := 0, 0; page < 1000; page++ {
		resp, err := c.lookup(ctx, fmt.Sprintf("/users?startIndex=%d&count=%d", start, c.cfg.PageSize))
		if err != nil {
			return err
		}
		if e := c.answerError(resp, ""); e != nil {
			return e
		}
		users, total, ok := decodeUserList(resp.Body)
		if !ok {
			return apihttp.Garbage(upload.Netex, resp, "user list")
		}
		if len(users) > c.cfg.PageSize {
			// More than asked for: a server that does not page (or a
			// hostile one) would otherwise grow the list without bound.
			return apihttp.Garbage(upload.Netex, resp, fmt.Sprintf("user list page of %d, asked for %d", len(users), c.cfg.PageSize))
		}
		for _, u := range users {
			// Only what Resolve needs: a long list of full records is
			// what filled memory.
			if id, email := u.idString(), strings.ToLower(strings.TrimSpace(u.Email)); id != "" && email != "" {
				all = append(all, listed{id: id, email: email, fullName: upload.CleanMessage(u.name(), 200)})
			}
		}
		if len(all) > apihttp.MaxListUsers {
			return &upload.Error{Platform: upload.Netex, Class: upload.ClassServer,
				Message: fmt.Sprintf("the user list goes on past %d users (page %d); headshot stops reading it there: is the tenant's paging broken? (people can be given by id or username with --map)", apihttp.MaxListUsers, page+1)}
		}
		start += len(users)
		if len(users) == 0 || (total >= 0 && start >= total) || (total < 0 && len(users) < c.cfg.PageSize) {
			break
		}
	}
	byEmail := make(map[string]int, len(all))
	for i, u := range all {
		if _, dup := byEmail[u.email]; !dup {
			byEmail[u.email] = i
		}
	}
	c.users, c.byEmail, c.loadedAt = all, byEmail, time.Now()
	return nil
}

// imageBody is the documented upload body.
type imageBody struct {
	Image struct {
		Base64Image string `json:"base64Image"`
		MIMEType    string `json:"mimeType"`
	} `json:"image"`
}

// Upload posts the photo as base64 JSON and reads every sub-platform's status.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	if err := c.Limits().Validate(upload.Netex, p); err != nil {
		return upload.Receipt{}, err
	}
	seg, ok := apihttp.Segment(t.ID)
	if !ok {
		return upload.Receipt{}, &upload.Error{Platform: upload.Netex, Class: upload.ClassRejected, Local: true,
			Message: "no usable resolved user id for " + t.Person}
	}
	var body imageBody
	body.Image.Base64Image = base64.StdEncoding.EncodeToString(p.Data)
	body.Image.MIMEType = p.MIME
	data, err := json.Marshal(body)
	if err != nil {
		return upload.Receipt{}, &upload.Error{Platform: upload.Netex, Class: upload.ClassRejected, Local: true, Message: "encoding the image failed"}
	}
	req, err := c.NewRequest(http.MethodPost, c.url("/users/"+seg+"/image"), bytes.NewReader(data))
	if err != nil {
		return upload.Receipt{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.do(ctx, req)
	if err != nil {
		return upload.Receipt{}, err
	}
	who := t.Person
	if who == "" {
		who = t.ID
	}
	if e := c.answerError(resp, who); e != nil {
		if e.Class == upload.ClassTooLarge {
			e.Size, e.Limit = int64(len(p.Data)), c.cfg.MaxBytes
		}
		return upload.Receipt{}, e
	}
	var env envelope
	if json.Unmarshal(resp.Body, &env) != nil || env.Status == nil {
		return upload.Receipt{}, apihttp.Garbage(upload.Netex, resp, "no envelope status")
	}
	parts := env.parts()
	var failed []upload.PartStatus
	for _, ps := range parts {
		if ps.Status < 200 || ps.Status >= 300 {
			failed = append(failed, ps)
		}
	}
	if len(failed) == len(parts) && len(parts) > 0 {
		return upload.Receipt{}, c.partsError(resp, parts, failed)
	}
	for i := range parts {
		if parts[i].Status == http.StatusAccepted && parts[i].Message == "" {
			parts[i].Message = "queued"
		}
	}
	rc := upload.Receipt{Status: resp.Status, Parts: parts}
	if env.Location != nil {
		rc.Detail = c.redact(*env.Location)
	}
	return rc, nil
}

// partsError is the failure of an upload some sub-platforms refused.
func (c *Client) partsError(resp *apihttp.Response, parts, failed []upload.PartStatus) *upload.Error {
	class := upload.ClassForStatus(failed[0].Status)
	if failed[0].Status == 0 {
		class = upload.ClassServer
	}
	msgs := make([]string, 0, len(failed))
	for _, f := range failed {
		fc := upload.ClassForStatus(f.Status)
		if f.Status == 0 {
			fc = upload.ClassServer
		}
		if fc != class {
			class = upload.ClassRejected
		}
		m := fmt.Sprintf("%s %d", f.Name, f.Status)
		if f.Message != "" {
			m += " (" + f.Message + ")"
		}
		msgs = append(msgs, m)
	}
	if class == upload.ClassNone {
		class = upload.ClassRejected
	}
	e := &upload.Error{Platform: upload.Netex, Class: class, Status: failed[0].Status, Code: "sub-platform",
		Message: fmt.Sprintf("%d of %d sub-platforms failed: %s", len(failed), len(parts), strings.Join(msgs, "; ")),
		Parts:   parts}
	if class == upload.ClassThrottled {
		e.RetryAfter, _ = apihttp.RetryAfter(resp.Header, time.Now())
	}
	return e
}

// answerError turns a non-2xx answer, or a 2xx envelope with an error
// status, into an *upload.Error; nil when the answer is not an error.
// person (may be "") is named in a not-found message.
func (c *Client) answerError(resp *apihttp.Response, person string) *upload.Error {
	var env envelope
	isEnv := json.Unmarshal(resp.Body, &env) == nil && env.Status != nil
	status := resp.Status
	if status >= 200 && status < 300 {
		if !isEnv || *env.Status < 400 {
			return nil
		}
		status = *env.Status
	}
	msg := ""
	if isEnv {
		msg = strings.TrimSpace(env.Message)
		if failed := (upload.Receipt{Parts: env.parts()}).Failed(); msg == "" && len(failed) > 0 {
			msg = upload.PartsSummary(failed)
		}
	}
	r := *resp
	r.Status = status
	e := apihttp.StatusError(upload.Netex, &r, "", c.redact(msg))
	if e.Class == upload.ClassNone {
		e.Class = upload.ClassServer
	}
	if isEnv {
		e.Parts = env.parts()
	}
	if e.Class == upload.ClassNotFound && person != "" {
		e.Message = fmt.Sprintf("user %s not found: %s", person, e.Message)
	}
	return e
}

// redact bounds a server string and removes the token if echoed.
func (c *Client) redact(s string) string {
	s = strings.ReplaceAll(s, string(c.cfg.Token), "[token]")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func (c *Client) url(path string) string { return c.cfg.BaseURL + c.cfg.PathPrefix + path }

// lookup is get paced by lookup_rate (the user list and lookups).
func (c *Client) lookup(ctx context.Context, path string) (*apihttp.Response, error) {
	if err := c.lookLim.Wait(ctx); err != nil {
		return nil, apihttp.WaitError(ctx, upload.Netex, err)
	}
	return c.get(ctx, path)
}

func (c *Client) get(ctx context.Context, path string) (*apihttp.Response, error) {
	req, err := c.NewRequest(http.MethodGet, c.url(path), nil)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, req)
}

func (c *Client) do(ctx context.Context, req *http.Request) (*apihttp.Response, error) {
	req.Header.Set("X-Cloud-Auth-Token", string(c.cfg.Token))
	req.Header.Set("Accept", c.cfg.Accept)
	req.Header.Set("X-Cloud-Synchronization", c.cfg.Synchronization)
	return c.Do(ctx, req)
}

// envelope is Netex's answer to every write (and its error shape [A]).
type envelope struct {
	Status            *int                      `json:"status"`
	Location          *string                   `json:"location"`
	Message           string                    `json:"message"`
	ResponsePlatforms map[string]platformStatus `json:"responsePlatforms"`
}

type platformStatus struct {
	Status   int     `json:"status"`
	Location *string `json:"location"`
	Message  string  `json:"message"`
}

// partOrder is the documented sub-platforms in display order.
var partOrder = map[string]int{"training": 0, "social": 1, "play": 2, "management": 3}

func (e envelope) parts() []upload.PartStatus {
	names := make([]string, 0, len(e.ResponsePlatforms))
	for n := range e.ResponsePlatforms {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, iok := partOrder[names[i]]
		oj, jok := partOrder[names[j]]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		}
		return names[i] < names[j]
	})
	out := make([]upload.PartStatus, 0, len(names))
	for _, n := range names {
		p := e.ResponsePlatforms[n]
		msg := upload.CleanMessage(strings.TrimSpace(p.Message), 200)
		out = append(out, upload.PartStatus{Name: n, Status: p.Status, Message: msg})
	}
	return out
}

// user is one learningCloud user as the lookups return it.
type user struct {
	ID         json.RawMessage `json:"id"` // a string id (documented) or a number
	Username   string          `json:"username"`
	Email      string          `json:"email"`
	Name       string          `json:"name"`    // documented: the first name
	Surname    string          `json:"surname"` // documented
	FirstName  string          `json:"firstName"`
	LastName   string          `json:"lastName"`
	ExternalID string          `json:"externalId"`
	CommonID   string          `json:"commonId"`
}

func (u user) idString() string {
	raw := bytes.TrimSpace(u.ID)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// name is "name surname" as documented, else firstName/lastName.
func (u user) name() string {
	if n := strings.TrimSpace(u.Name + " " + u.Surname); n != "" {
		return n
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// listKeys are the fields that may hold the user array in an object answer.
var listKeys = []string{"users", "data", "items", "results", "content", "list"}

// decodeUserList reads a page of users; total is -1 when not given.
func decodeUserList(body []byte) (users []user, total int, ok bool) {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '[' {
		if json.Unmarshal(b, &users) != nil {
			return nil, -1, false
		}
		return users, -1, true
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return nil, -1, false
	}
	total = -1
	for _, k := range []string{"totalResults", "total", "totalCount"} {
		if raw, has := obj[k]; has {
			if n, err := strconv.Atoi(string(bytes.TrimSpace(raw))); err == nil {
				total = n
				break
			}
		}
	}
	for _, k := range listKeys {
		if raw, has := obj[k]; has {
			if json.Unmarshal(raw, &users) != nil {
				return nil, -1, false
			}
			return users, total, true
		}
	}
	return nil, -1, false
}

// decodeUser reads one user, bare or wrapped in "user"/"data".
func decodeUser(body []byte) (user, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return user{}, false
	}
	for _, k := range []string{"user", "data"} {
		if raw, has := obj[k]; has && len(bytes.TrimSpace(raw)) > 0 && bytes.TrimSpace(raw)[0] == '{' {
			var u user
			if json.Unmarshal(raw, &u) == nil {
				return u, true
			}
		}
	}
	var u user
	if json.Unmarshal(body, &u) != nil || (u.idString() == "" && u.Username == "" && u.Email == "") {
		return user{}, false
	}
	return u, true
}
