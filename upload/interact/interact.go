// Package interact is headshot's client for the Interact intranet's
// profile-picture API: a multipart POST (part "file") to the General Profile
// Source's upload route, authenticated by the source's API key.
//
// Assumptions ([A] in platforms.md, each a Config field with a default):
//   - the API key travels in header X-ApiKey (APIKeyHeader);
//   - the file part is named "file" (part_name);
//   - with person_route "username", a person key that is an email is sent as
//     its local part (jane.doe@example.com -> jane.doe) and, when that is not
//     found, as the whole email; the form that worked is kept for the rest
//     of the run (username_form = "auto"; "local" or "email" pin one form),
//     because tenants differ and nothing public says which they use;
//   - a 429 without Retry-After waits the rate's window (a minute at 6/min),
//     not a short backoff that earns more 429s;
//   - success is a 2xx whose body is empty or JSON; errors use the ASP.NET
//     shape {"Message","ModelState"}; an unknown person is a 404;
//   - Check: Interact documents no read endpoint for a profile source, so
//     Check sends GET /api/umi/{domainId}/upload, which changes nothing: a
//     401/403 means the key is refused, a 405 (or 2xx) means the host and
//     route answer and the key was not refused. A server that routes the
//     method before checking the key answers 405 even to a bad key, so a
//     passing Check proves reachability for certain and the key only where
//     the server authenticates first (the sandbox does).
//
// Interact has no lookup API: Resolve checks the key's shape for the route
// and the NotFound for an unknown person comes from the upload's 404.
package interact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// Client talks to one Interact intranet.
type Client struct {
	cfg Config
	*apihttp.Client
	// learned is the username form this tenant answered to (FormLocal or
	// FormEmail), "" until an upload by username worked (username_form auto).
	learned atomic.Value
}

var _ upload.Client = (*Client)(nil)

// New validates c and builds a client.
func New(c Config) (*Client, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &Client{cfg: c, Client: apihttp.NewClient(upload.Interact, c.Timeout, c.Limits("image/jpeg", "image/png"), c, string(c.APIKey))}, nil
}

// Check proves the host, the profile source route and (see the package
// doc) the API key, without changing anything.
func (c *Client) Check(ctx context.Context) error {
	req, err := c.NewRequest(http.MethodGet, c.cfg.BaseURL+"/api/umi/"+url.PathEscape(c.cfg.DomainID)+"/upload", nil)
	if err != nil {
		return err
	}
	c.authorize(req)
	resp, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	switch {
	case resp.Status == http.StatusMethodNotAllowed:
		return nil
	case resp.Status >= 200 && resp.Status < 300:
		if !jsonOrEmpty(resp.Body) {
			return apihttp.Garbage(upload.Interact, resp, "the check answered with something other than JSON; is base_url the intranet?")
		}
		return nil
	case resp.Status == http.StatusNotFound:
		e := c.statusError(resp)
		e.Message = fmt.Sprintf("profile source %s not found (check domain_id and base_url): %s", c.cfg.DomainID, e.Message)
		return e
	}
	return c.statusError(resp)
}

// Resolve maps a person key onto the configured route's identifier. It
// checks shape only (Interact has no lookup endpoint).
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	key := strings.TrimSpace(person)
	if key == "" {
		return upload.Target{}, &upload.Error{Platform: upload.Interact, Class: upload.ClassNotFound, Local: true,
			Message: "empty person key"}
	}
	id := key
	switch c.cfg.PersonRoute {
	case RouteUsername:
		id = c.usernames(key)[0]
	case RoutePerson:
		if !isDigits(key) {
			return upload.Target{}, &upload.Error{Platform: upload.Interact, Class: upload.ClassNotFound, Local: true,
				Message: fmt.Sprintf("%q is not a numeric Interact person id (person_route is %q)", key, RoutePerson)}
		}
	}
	if _, ok := apihttp.Segment(id); !ok || strings.ContainsAny(id, "/\\") {
		return upload.Target{}, &upload.Error{Platform: upload.Interact, Class: upload.ClassNotFound, Local: true,
			Message: fmt.Sprintf("%q cannot be an Interact %s", key, c.cfg.PersonRoute)}
	}
	return upload.Target{Person: person, ID: id, Unverified: true}, nil
}

// usernames are the forms to try for a person key on the username route,
// the likelier first: a key that is not an email is sent as is.
func (c *Client) usernames(key string) []string {
	local, _, isEmail := strings.Cut(key, "@")
	if !isEmail || local == "" {
		return []string{key}
	}
	switch c.cfg.UsernameForm {
	case FormLocal:
		return []string{local}
	case FormEmail:
		return []string{key}
	}
	if c.learnedForm() == FormEmail {
		return []string{key, local}
	}
	return []string{local, key}
}

func (c *Client) learnedForm() string {
	f, _ := c.learned.Load().(string)
	return f
}

// Describe says how this client turns an email into an Interact username,
// and what it has learned this run (setup's connection test shows it).
func (c *Client) Describe() string {
	if c.cfg.PersonRoute != RouteUsername {
		return "people are addressed by " + c.cfg.PersonRoute + " id (person_route)"
	}
	switch c.cfg.UsernameForm {
	case FormLocal:
		return "usernames: the email's local part, jane.doe (username_form local)"
	case FormEmail:
		return "usernames: the whole email (username_form email)"
	}
	switch c.learnedForm() {
	case FormLocal:
		return "usernames here are the emails' local parts (learned; username_form auto)"
	case FormEmail:
		return "usernames here are whole emails (learned; username_form auto)"
	}
	return "usernames: jane.doe for jane.doe@..., else the whole email; the form that works is kept (username_form auto)"
}

var _ upload.Describer = (*Client)(nil)

// Upload sends the photo as the multipart part "file" to the route. On the
// username route with username_form auto, a 404 for one form of an email is
// followed by the other form, and the form that works is kept for the run.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	if err := c.Limits().Validate(upload.Interact, p); err != nil {
		return upload.Receipt{}, err
	}
	ids := []string{t.ID}
	if c.cfg.PersonRoute == RouteUsername && strings.Contains(t.Person, "@") {
		ids = c.usernames(strings.TrimSpace(t.Person))
	}
	var tried []string
	for i, id := range ids {
		rc, err := c.uploadAs(ctx, t, id, p)
		if upload.ClassOf(err) != upload.ClassNotFound || i == len(ids)-1 {
			if err == nil && len(ids) > 1 {
				form := FormLocal
				if strings.Contains(id, "@") {
					form = FormEmail
				}
				c.learned.Store(form)
			}
			if e, ok := upload.AsError(err); ok && e.Class == upload.ClassNotFound && len(tried) > 0 {
				e.Message = fmt.Sprintf("username %q not found, nor %s: %s", id, strings.Join(tried, ", "), e.Message)
			}
			return rc, err
		}
		tried = append(tried, strconv.Quote(id))
	}
	return upload.Receipt{}, c.localErr("no username to try for " + t.Person)
}

// uploadAs sends the photo for one identifier on the configured route.
func (c *Client) uploadAs(ctx context.Context, t upload.Target, id string, p upload.Photo) (upload.Receipt, error) {
	if _, ok := apihttp.Segment(id); !ok || strings.ContainsAny(id, "/\\") {
		return upload.Receipt{}, c.localErr("no usable resolved person for " + t.Person)
	}
	body, ctype, err := multipartBody(c.cfg.PartName, id+p.Ext(), p)
	if err != nil {
		return upload.Receipt{}, c.localErr("building the multipart body failed")
	}
	req, err := c.NewRequest(http.MethodPost, c.uploadURL(id), bytes.NewReader(body))
	if err != nil {
		return upload.Receipt{}, err
	}
	req.Header.Set("Content-Type", ctype)
	c.authorize(req)
	resp, err := c.Do(ctx, req)
	if err != nil {
		return upload.Receipt{}, err
	}
	if resp.Status >= 200 && resp.Status < 300 {
		if !jsonOrEmpty(resp.Body) {
			return upload.Receipt{}, apihttp.Garbage(upload.Interact, resp, "upload answered with something other than JSON")
		}
		return upload.Receipt{Status: resp.Status}, nil
	}
	e := c.statusError(resp)
	switch e.Class {
	case upload.ClassTooLarge:
		e.Size, e.Limit = int64(len(p.Data)), c.cfg.MaxBytes
	case upload.ClassNotFound:
		e.Message = fmt.Sprintf("%s %q not found: %s", c.cfg.PersonRoute, id, e.Message)
	}
	return upload.Receipt{}, e
}

func (c *Client) uploadURL(id string) string {
	base := c.cfg.BaseURL + "/api/umi/" + url.PathEscape(c.cfg.DomainID) + "/upload/"
	switch c.cfg.PersonRoute {
	case RoutePerson:
		return base + url.PathEscape(id) + "/picture"
	case RouteUMIID:
		return base + "umiid/" + url.PathEscape(id) + "/picture"
	}
	return base + "username/" + url.PathEscape(id) + "/picture"
}

func (c *Client) authorize(req *http.Request) {
	req.Header.Set(c.cfg.APIKeyHeader, string(c.cfg.APIKey))
	req.Header.Set("Accept", "application/json")
}

func (c *Client) localErr(msg string) *upload.Error {
	return &upload.Error{Platform: upload.Interact, Class: upload.ClassRejected, Local: true, Message: msg}
}

// statusError classes a non-2xx answer, taking ASP.NET's Message and
// ModelState when the body has them.
func (c *Client) statusError(resp *apihttp.Response) *upload.Error {
	msg := aspNetMessage(resp.Body)
	if msg == "" {
		msg = plainMessage(resp)
	}
	e := apihttp.StatusError(upload.Interact, resp, "", msg)
	if e.Class == upload.ClassThrottled && e.RetryAfter == 0 {
		// No Retry-After: wait for the window to pass (6/min: a minute); a
		// short backoff would only earn more 429s.
		e.RetryAfter = c.cfg.Rate.Per
	}
	if strings.Contains(e.Message, string(c.cfg.APIKey)) { // never echo the key, even if the server does
		e.Message = strings.ReplaceAll(e.Message, string(c.cfg.APIKey), "[api key]")
	}
	return e
}

// aspNetError is ASP.NET Web API's error body.
type aspNetError struct {
	Message    string              `json:"Message"`
	ModelState map[string][]string `json:"ModelState"`
}

// aspNetMessage reads {"Message","ModelState"}; "" if the body is not that.
func aspNetMessage(body []byte) string {
	var ae aspNetError
	if json.Unmarshal(body, &ae) != nil {
		return ""
	}
	msg := strings.TrimSpace(ae.Message)
	fields := make([]string, 0, len(ae.ModelState))
	for f := range ae.ModelState {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		for _, m := range ae.ModelState[f] {
			msg += fmt.Sprintf("; %s: %s", f, strings.TrimSpace(m))
		}
	}
	msg = strings.TrimPrefix(msg, "; ")
	return upload.CleanMessage(msg, 300)
}

// plainMessage is a short plain-text error body ("No person found ..."),
// or "" for anything else (HTML pages, binary, JSON of another shape).
func plainMessage(resp *apihttp.Response) string {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	b := bytes.TrimSpace(resp.Body)
	if mt != "text/plain" || len(b) == 0 || len(b) > 2048 || b[0] == '<' {
		return ""
	}
	return upload.CleanMessage(string(b), 300)
}

func jsonOrEmpty(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || json.Valid(b)
}

func multipartBody(field, filename string, p upload.Photo) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, filename))
	h.Set("Content-Type", p.MIME)
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(p.Data); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}
