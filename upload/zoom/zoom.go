// Package zoom is headshot's client for Zoom's profile-picture API: it signs
// in with Server-to-Server OAuth (the token cached and asked for again
// before it expires, or once when Zoom answers 401 code 124), looks users up
// by email or id (from the account's user list, read once per run when the
// run looks up enough people; else one Get a user each, paced by
// lookup_rate), and uploads a prepared photo as the multipart part
// `pic_file`. Every failure is an *upload.Error classed from Zoom's
// {"code","message"} answers; no credential ever appears in one.
package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/people"
)

// Config holds the [zoom] settings; the tags are the TOML keys and describe
// them to setup and doctor (see upload.Descriptor).
type Config struct {
	BaseURL      string         `toml:"base_url" kind:"url"`  // API root
	TokenURL     string         `toml:"token_url" kind:"url"` // OAuth token endpoint
	AccountID    string         `toml:"account_id" required:"true"`
	ClientID     apihttp.Secret `toml:"client_id" required:"true"`
	ClientSecret apihttp.Secret `toml:"client_secret" kind:"secret" required:"true"` // never printed

	apihttp.Settings // rate, concurrency, max_bytes, timeout

	// TokenMargin is how long before its expiry a token is asked for again.
	TokenMargin time.Duration `toml:"token_margin"`
	// LookupRate paces the user lookups (Get a user is a "Light" API: Pro
	// 30/s, Business+ 80/s), apart from rate, which paces the uploads and
	// the user list ("Medium").
	LookupRate upload.Rate `toml:"lookup_rate"`
	// PeopleTTL is how long later runs reuse a user this one found.
	PeopleTTL time.Duration `toml:"people_ttl"`
}

// DefaultMaxBytes is Zoom's assumed picture size limit (2 MB).
const DefaultMaxBytes = 2 * 1024 * 1024

// Defaults are the documented values (platforms.md, Zoom).
func Defaults() Config {
	return Config{
		BaseURL:     "https://api.zoom.us/v2",
		TokenURL:    "https://zoom.us/oauth/token",
		TokenMargin: time.Minute,
		Settings:    apihttp.Settings{Rate: upload.Rate{N: 20, Per: time.Second}, Concurrency: 4, MaxBytes: DefaultMaxBytes, Timeout: apihttp.DefaultTimeout},
		LookupRate:  upload.Rate{N: 30, Per: time.Second},
		PeopleTTL:   24 * time.Hour,
	}
}

func init() {
	upload.Register(upload.Descriptor{
		Name: upload.Zoom, Title: "Zoom", Order: 10,
		Summary:        "Server-to-Server OAuth app",
		Console:        "Zoom App Marketplace > Develop > Build App > Server-to-Server OAuth > App Credentials",
		CredentialHint: "check the account ID, client ID and client secret",
		URLKeys:        []string{"base_url", "token_url"},
		Fields: []upload.FieldHelp{
			{Key: "account_id", Help: "Account ID, on the app's App Credentials page."},
			{Key: "client_id", Help: "Client ID, on the App Credentials page."},
			{Key: "client_secret", Help: "Client Secret, on the App Credentials page. Scopes the app needs: user:read:user:admin, user:write:profile_picture:admin, user:read:list_users:admin."},
			{Key: "base_url", Help: "Change only for a proxy or the sandbox."},
			{Key: "token_url", Help: "Change only for a proxy or the sandbox."},
			{Key: "rate", Help: "Requests per second your account allows for user endpoints (Pro: 20/s)."},
		},
	}, Defaults, New)
}

// Client talks to one Zoom account.
type Client struct {
	cfg  Config
	base string // BaseURL without a trailing slash
	*apihttp.Client
	tokens  *tokenCache
	lookLim *rate.Limiter     // Get a user: lookup_rate
	listLim *rate.Limiter     // List users: rate (a Medium API, like the upload)
	users   *people.Directory // the run's user list
}

var _ upload.PeopleLister = (*Client)(nil)

// New checks the settings and builds a client. Zero numeric settings take
// their defaults. Errors name the TOML key at fault and never echo a secret.
func New(c Config) (*Client, error) {
	upload.FillDefaults(&c, Defaults())
	if err := checkURL("base_url", c.BaseURL); err != nil {
		return nil, err
	}
	if err := checkURL("token_url", c.TokenURL); err != nil {
		return nil, err
	}
	for _, f := range []struct{ key, val string }{
		{"account_id", c.AccountID}, {"client_id", string(c.ClientID)}, {"client_secret", string(c.ClientSecret)},
	} {
		if strings.TrimSpace(f.val) == "" {
			return nil, fmt.Errorf("zoom: %s is missing (find it in the Server-to-Server OAuth app on the Zoom App Marketplace)", f.key)
		}
	}
	lim := c.Limits("image/jpeg", "image/png")
	lim.PeopleTTL = c.PeopleTTL
	cl := &Client{cfg: c, base: strings.TrimRight(c.BaseURL, "/"),
		Client:  apihttp.NewClient(upload.Zoom, c.Timeout, lim, c, string(c.ClientID), string(c.ClientSecret)),
		lookLim: rate.NewLimiter(rate.Limit(c.LookupRate.PerSecond()), 1),
		listLim: rate.NewLimiter(rate.Limit(c.Rate.PerSecond()), 1),
		users:   people.NewDirectory()}
	cl.tokens = &tokenCache{client: cl}
	return cl, nil
}

// checkURL accepts an absolute http(s) URL with a host and without
// credentials or a query; the error never repeats the value.
func checkURL(key, raw string) error {
	_, err := apihttp.CheckURL("zoom", key, raw)
	return err
}

// user is the part of Zoom's user object headshot reads.
type user struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	DisplayName string `json:"display_name"`
}

// Check gets a token and lists one user: proof that the credentials, the
// scopes and the base URL work.
func (c *Client) Check(ctx context.Context) error {
	r, err := c.call(ctx, http.MethodGet, "/users?page_size=1", "", nil)
	if err != nil {
		return err
	}
	var page struct {
		Users *[]user `json:"users"`
	}
	if json.Unmarshal(r.Body, &page) != nil || page.Users == nil {
		return c.garbage(r, "want a JSON user list")
	}
	return nil
}

// Resolve looks a person up by email (or Zoom user id) and returns the id
// the upload endpoint takes. An unknown person is ClassNotFound.
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	person = strings.TrimSpace(person)
	seg, ok := apihttp.Segment(person)
	if !ok || strings.ContainsAny(person, "/?#") {
		return upload.Target{}, &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Local: true,
			Message: fmt.Sprintf("%q is not a Zoom email or user id", person)}
	}
	if t, ok, err := c.users.Find(ctx, person, c.readUsers); err != nil {
		if ctx.Err() != nil {
			return upload.Target{}, apihttp.TransportError(ctx, upload.Zoom, ctx.Err())
		}
		return upload.Target{}, err
	} else if ok {
		return t, nil
	}
	if err := c.lookLim.Wait(ctx); err != nil {
		return upload.Target{}, apihttp.WaitError(ctx, upload.Zoom, err)
	}
	r, err := c.call(ctx, http.MethodGet, "/users/"+seg, person, nil)
	if err != nil {
		return upload.Target{}, err
	}
	var u user
	if json.Unmarshal(r.Body, &u) != nil || u.ID == "" {
		return upload.Target{}, c.garbage(r, "want a JSON user with an id")
	}
	name := strings.TrimSpace(u.DisplayName)
	if name == "" {
		name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	return upload.Target{Person: person, ID: u.ID, Name: upload.CleanMessage(name, 200)}, nil
}

// Upload sends the photo as the user's profile picture. The receipt's
// Detail is Zoom's Content-Location, when it sends one.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	if err := c.Limits().Validate(upload.Zoom, p); err != nil {
		return upload.Receipt{}, err
	}
	id := t.ID
	if id == "" {
		id = t.Person
	}
	seg, ok := apihttp.Segment(strings.TrimSpace(id))
	if !ok {
		return upload.Receipt{}, &upload.Error{Platform: upload.Zoom, Class: upload.ClassNotFound, Local: true,
			Message: "no usable Zoom user id for the upload"}
	}
	body, ctype, err := picturePart(p)
	if err != nil {
		return upload.Receipt{}, &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Local: true,
			Message: "cannot build the upload", Err: err}
	}
	r, err := c.call(ctx, http.MethodPost, "/users/"+seg+"/picture", t.Person, &reqBody{data: body, ctype: ctype, size: int64(len(p.Data))})
	if err != nil {
		return upload.Receipt{}, err
	}
	if !emptyOrJSON(r.Body) {
		return upload.Receipt{}, c.garbage(r, "want an empty or JSON body after the upload")
	}
	return upload.Receipt{Status: r.Status, Detail: upload.CleanMessage(r.Header.Get("Content-Location"), 300)}, nil
}

// picturePart builds the multipart body with the one file part `pic_file`.
func picturePart(p upload.Photo) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="pic_file"; filename="picture`+p.Ext()+`"`)
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

// emptyOrJSON accepts the bodies Zoom sends with a 201: none, or JSON.
func emptyOrJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || json.Valid(b)
}

// reqBody is a request body that can be sent again (after a token refresh).
type reqBody struct {
	data  []byte
	ctype string
	size  int64 // photo bytes, for a too-large error
}

// call sends one API request with a bearer token. On 401 code 124 it gets a
// fresh token and tries once more. Non-2xx answers become *upload.Error.
func (c *Client) call(ctx context.Context, method, path, person string, body *reqBody) (*apihttp.Response, error) {
	var stale string
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.get(ctx, stale)
		if err != nil {
			return nil, err
		}
		req, err := c.newRequest(method, c.base+path, body)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		r, err := c.Do(ctx, req)
		if err != nil {
			return nil, err
		}
		if r.Status >= 200 && r.Status < 300 {
			return r, nil
		}
		e := c.classify(r, person, body)
		if r.Status == http.StatusUnauthorized && e.Code == codeInvalidToken && attempt == 0 {
			stale = tok
			continue
		}
		return nil, e
	}
}

// newRequest builds a request; the error never holds the URL.
func (c *Client) newRequest(method, u string, body *reqBody) (*http.Request, error) {
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequest(method, u, bytes.NewReader(body.data))
		if err == nil {
			req.Header.Set("Content-Type", body.ctype)
		}
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	if err != nil {
		return nil, &upload.Error{Platform: upload.Zoom, Class: upload.ClassRejected, Local: true,
			Message: "cannot build the request (check base_url)"}
	}
	return req, nil
}
