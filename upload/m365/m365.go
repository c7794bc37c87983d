// Package m365 is headshot's client for Microsoft 365 profile photos through
// Microsoft Graph: it signs in app-only with the OAuth 2.0 client
// credentials grant against the tenant's token endpoint (a client secret or
// a certificate's signed assertion), looks people up by user principal name
// or, when the UPN differs, by mail with $filter, and sends the photo as
// the binary body of PUT /users/{id}/photo/$value. Every failure is an
// *upload.Error classed from Graph's {"error":{"code","message"}} answers;
// no credential ever appears in one.
package m365

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/oauthtoken"
)

// Platform is the config table name and the platform's key.
const Platform upload.Platform = "m365"

// Title is the platform's display name.
const Title = "Microsoft 365"

// Config holds the [m365] settings; the tags are the TOML keys and describe
// them to setup and doctor (see upload.Descriptor).
type Config struct {
	BaseURL  string `toml:"base_url" kind:"url"`       // Graph root, default https://graph.microsoft.com/v1.0
	TokenURL string `toml:"token_url" kind:"url"`      // "": https://login.microsoftonline.com/{tenant_id}/oauth2/v2.0/token
	TenantID string `toml:"tenant_id" required:"true"` // directory (tenant) id or a verified domain
	ClientID string `toml:"client_id" required:"true"` // application (client) id
	// ClientSecret is the app's client secret (never printed); leave it
	// empty when CertificateFile is set.
	ClientSecret apihttp.Secret `toml:"client_secret" kind:"secret"`
	// CertificateFile is a PEM file holding the app's certificate and its
	// private key (RSA), used instead of a secret: headshot signs a client
	// assertion with it for every token request.
	CertificateFile string `toml:"certificate_file"`

	apihttp.Settings // rate, concurrency, max_bytes, timeout

	// TokenMargin is how long before its expiry a token is asked for again.
	TokenMargin time.Duration `toml:"token_margin"`
	// PeopleTTL is how long later runs reuse a user this one found.
	PeopleTTL time.Duration `toml:"people_ttl"`
}

// DefaultMaxBytes is Graph's documented photo limit: "The size of the photo
// you can update to is limited to 4 MB" (profilePhoto update).
const DefaultMaxBytes = 4 * 1024 * 1024

// DefaultTokenURL is the tenant's v2.0 token endpoint ({tenant} replaced).
const DefaultTokenURL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"

// Scope is the app-only scope: every application permission granted to the
// app and consented to by an administrator.
const Scope = "https://graph.microsoft.com/.default"

// Defaults are the documented values (docs/fidelity.md, Microsoft 365).
func Defaults() Config {
	return Config{
		BaseURL:     "https://graph.microsoft.com/v1.0",
		TokenMargin: time.Minute,
		PeopleTTL:   24 * time.Hour,
		Settings:    apihttp.Settings{Rate: upload.Rate{N: 10, Per: time.Second}, Concurrency: 4, MaxBytes: DefaultMaxBytes, Timeout: apihttp.DefaultTimeout},
	}
}

// Client talks to one tenant's Graph.
type Client struct {
	cfg  Config
	base string // BaseURL without a trailing slash
	*apihttp.Client
	tokens *oauthtoken.Cache
}

var _ upload.Client = (*Client)(nil)

// New checks the settings and builds a client. Zero numeric settings take
// their defaults. Errors name the TOML key at fault and never echo a secret.
func New(c Config) (*Client, error) {
	upload.FillDefaults(&c, Defaults())
	for _, f := range []struct{ key, val string }{{"tenant_id", c.TenantID}, {"client_id", c.ClientID}} {
		if strings.TrimSpace(f.val) == "" {
			return nil, fmt.Errorf("m365: %s is missing (find it on the app registration's Overview page in the Microsoft Entra admin center)", f.key)
		}
	}
	c.TenantID, c.ClientID = strings.TrimSpace(c.TenantID), strings.TrimSpace(c.ClientID)
	if strings.ContainsAny(c.TenantID, "/?#% ") {
		return nil, fmt.Errorf("m365: tenant_id must be the directory id (a GUID) or a domain such as contoso.onmicrosoft.com")
	}
	if c.TokenURL == "" {
		c.TokenURL = strings.ReplaceAll(DefaultTokenURL, "{tenant}", url.PathEscape(c.TenantID))
	}
	base, err := apihttp.CheckURL("m365", "base_url", c.BaseURL)
	if err != nil {
		return nil, err
	}
	if _, err := apihttp.CheckURL("m365", "token_url", c.TokenURL); err != nil {
		return nil, err
	}
	var cert *certificate
	switch {
	case strings.TrimSpace(string(c.ClientSecret)) == "" && strings.TrimSpace(c.CertificateFile) == "":
		return nil, fmt.Errorf("m365: client_secret or certificate_file is missing (app registration > Certificates & secrets)")
	case strings.TrimSpace(string(c.ClientSecret)) != "" && strings.TrimSpace(c.CertificateFile) != "":
		return nil, fmt.Errorf("m365: set client_secret or certificate_file, not both")
	case c.CertificateFile != "":
		if cert, err = loadCertificate(c.CertificateFile); err != nil {
			return nil, err
		}
	}
	cl := &Client{cfg: c, base: base,
		Client: apihttp.NewClient(Platform, c.Timeout, c.limits("image/jpeg"), c, string(c.ClientSecret))}
	cl.tokens = newTokens(cl, cert)
	return cl, nil
}

// Platform is m365.Platform.
func (c *Client) Platform() upload.Platform { return Platform }

// user is the part of Graph's user resource headshot reads.
type user struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	UserPrincipalName string `json:"userPrincipalName"`
	Mail              string `json:"mail"`
}

const userSelect = "$select=id,displayName,userPrincipalName,mail"

// Check gets a token and reads one user: proof that the tenant, the app's
// credentials, its consented permissions and the base URL work.
func (c *Client) Check(ctx context.Context) error {
	r, err := c.call(ctx, http.MethodGet, "/users?$top=1&"+userSelect, "", nil)
	if err != nil {
		return err
	}
	var page struct {
		Value *[]user `json:"value"`
	}
	if json.Unmarshal(r.Body, &page) != nil || page.Value == nil {
		return c.garbage(r, "want a JSON user collection")
	}
	return nil
}

// Resolve finds the person by id or user principal name; when Graph has no
// such UPN and the key is an email, by mail ($filter=mail eq '...'),
// because a UPN often differs from the address people know.
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	person = strings.TrimSpace(person)
	path, ok := userPath(person)
	if !ok {
		return upload.Target{}, &upload.Error{Platform: Platform, Class: upload.ClassNotFound, Local: true,
			Message: fmt.Sprintf("%q is not a user principal name, email or object id", upload.CleanMessage(person, 120))}
	}
	r, err := c.call(ctx, http.MethodGet, path+"?"+userSelect, person, nil)
	if err == nil {
		var u user
		if json.Unmarshal(r.Body, &u) != nil || u.ID == "" {
			return upload.Target{}, c.garbage(r, "want a JSON user with an id")
		}
		return target(person, u), nil
	}
	if upload.ClassOf(err) != upload.ClassNotFound || !strings.Contains(person, "@") {
		return upload.Target{}, err
	}
	return c.resolveByMail(ctx, person, err)
}

// userPath is the path of one user: /users/{id | userPrincipalName}, or,
// for a key that begins with "$" (which Graph would read as a system query
// option), /users('{key}') with any single quote doubled, as Get user
// documents ("If the userPrincipalName begins with a $ character, remove the
// slash (/) after /users and enclose the userPrincipalName in parentheses
// and single quotes"). ok is false for a key no path can hold.
func userPath(key string) (string, bool) {
	seg, ok := apihttp.Segment(key)
	if !ok || strings.ContainsAny(key, "/?\\") {
		return "", false
	}
	if strings.HasPrefix(key, "$") {
		inner, _ := apihttp.Segment(strings.ReplaceAll(key, "'", "''"))
		return "/users('" + inner + "')", true
	}
	return "/users/" + seg, true
}

// resolveByMail looks the address up with $filter; notFound is the error
// of the UPN lookup, returned when no user has that mail either.
func (c *Client) resolveByMail(ctx context.Context, person string, notFound error) (upload.Target, error) {
	q := url.Values{}
	// OData string literal: a single quote is doubled.
	q.Set("$filter", "mail eq '"+strings.ReplaceAll(person, "'", "''")+"'")
	q.Set("$select", "id,displayName,userPrincipalName,mail")
	q.Set("$top", "2")
	r, err := c.call(ctx, http.MethodGet, "/users?"+q.Encode(), person, nil)
	if err != nil {
		return upload.Target{}, err
	}
	var page struct {
		Value *[]user `json:"value"`
	}
	if json.Unmarshal(r.Body, &page) != nil || page.Value == nil {
		return upload.Target{}, c.garbage(r, "want a JSON user collection")
	}
	switch users := *page.Value; {
	case len(users) == 0:
		if e, ok := upload.AsError(notFound); ok {
			e.Message = fmt.Sprintf("Microsoft 365 has no user with the principal name or mail %q", upload.CleanMessage(person, 120))
		}
		return upload.Target{}, notFound
	case len(users) > 1:
		return upload.Target{}, &upload.Error{Platform: Platform, Class: upload.ClassRejected, Status: r.Status,
			Message: fmt.Sprintf("more than one user has the mail %q: use the user principal name", upload.CleanMessage(person, 120))}
	case users[0].ID == "":
		return upload.Target{}, c.garbage(r, "want users with an id")
	default:
		return target(person, users[0]), nil
	}
}

// target is the resolved person: the object id is what the upload uses.
func target(person string, u user) upload.Target {
	name := strings.TrimSpace(u.DisplayName)
	if name == "" {
		name = u.UserPrincipalName
	}
	return upload.Target{Person: person, ID: upload.CleanMessage(u.ID, 200), Name: upload.CleanMessage(name, 200)}
}

// Upload sends the photo as the user's profile photo.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	if err := c.Limits().Validate(Platform, p); err != nil {
		return upload.Receipt{}, err
	}
	id := t.ID
	if id == "" {
		id = t.Person
	}
	path, ok := userPath(strings.TrimSpace(id))
	if !ok {
		return upload.Receipt{}, &upload.Error{Platform: Platform, Class: upload.ClassNotFound, Local: true,
			Message: "no usable Microsoft 365 user id for the upload"}
	}
	r, err := c.call(ctx, http.MethodPut, path+"/photo/$value", t.Person,
		&reqBody{data: p.Data, ctype: p.MIME})
	if err != nil {
		return upload.Receipt{}, err
	}
	return upload.Receipt{Status: r.Status}, nil
}

// reqBody is a request body that can be sent again (after a token refresh).
type reqBody struct {
	data  []byte
	ctype string
}

// call sends one Graph request with a bearer token. When Graph refuses the
// token (401 InvalidAuthenticationToken: expired or revoked) it gets a
// fresh one and tries once more. Non-2xx answers become *upload.Error.
func (c *Client) call(ctx context.Context, method, path, person string, body *reqBody) (*apihttp.Response, error) {
	var stale string
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx, stale)
		if err != nil {
			return nil, err
		}
		var rd *bytes.Reader
		if body != nil {
			rd = bytes.NewReader(body.data)
		}
		req, err := newRequest(method, c.base+path, rd)
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", body.ctype)
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
		if r.Status == http.StatusUnauthorized && attempt == 0 {
			stale = tok
			continue
		}
		return nil, e
	}
}

// newRequest builds a request; the error never holds the URL.
func newRequest(method, u string, body *bytes.Reader) (*http.Request, error) {
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequest(method, u, body)
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	if err != nil {
		return nil, &upload.Error{Platform: Platform, Class: upload.ClassRejected, Local: true,
			Message: "cannot build the request (check base_url)"}
	}
	return req, nil
}

// limits are the settings as upload.Limits, with people_ttl.
func (c Config) limits(mime ...string) upload.Limits {
	l := c.Limits(mime...)
	l.PeopleTTL = c.PeopleTTL
	return l
}
