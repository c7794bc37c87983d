// Package google is headshot's client for Google Workspace profile photos
// through the Admin SDK Directory API: a service account with domain-wide
// delegation signs a JWT (golang.org/x/oauth2/google reads its JSON key,
// token_uri included) to act as an administrator (admin_email) with the
// scope admin.directory.user, looks people up by primary email or alias,
// and sends the photo as web-safe base64 in PUT
// /admin/directory/v1/users/{userKey}/photos/thumbnail. Every failure is an
// *upload.Error classed from Google's {"error":{"code","message","errors":
// [{"reason"}]}} answers; quota refusals (403 rateLimitExceeded,
// userRateLimitExceeded, quotaExceeded, and 429) are throttling.
package google

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/time/rate"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/oauthtoken"
	"headshot/upload/people"
)

// Platform is the config table name and the platform's key.
const Platform upload.Platform = "google"

// Title is the platform's display name.
const Title = "Google Workspace"

// Scope is the Directory API scope users.photos.update requires.
const Scope = "https://www.googleapis.com/auth/admin.directory.user"

// Config holds the [google] settings; the tags are the TOML keys and
// describe them to setup and doctor (see upload.Descriptor).
type Config struct {
	BaseURL string `toml:"base_url" kind:"url"` // API root, default https://admin.googleapis.com
	// CredentialsFile is the service account's JSON key (it holds a
	// private key: keep it 0600 like the config).
	CredentialsFile string `toml:"credentials_file" required:"true"`
	// AdminEmail is the administrator the service account acts as
	// (domain-wide delegation's subject).
	AdminEmail string `toml:"admin_email" required:"true"`

	apihttp.Settings // rate, concurrency, max_bytes, timeout

	// TokenMargin is how long before its expiry a token is asked for again.
	TokenMargin time.Duration `toml:"token_margin"`
	// PeopleTTL is how long later runs reuse a user this one found.
	PeopleTTL time.Duration `toml:"people_ttl"`
	// LookupRate paces the user lookups: with the uploads at rate (20/s),
	// half of the 2,400 queries a minute each.
	LookupRate upload.Rate `toml:"lookup_rate"`
	// PhotoPadding is how photoData's base64 padding is written: "equals"
	// (RFC 4648 "=", what Google's own clients and GAM send), "asterisk"
	// or "period" (the two spellings the UserPhoto page gives), or "none".
	PhotoPadding string `toml:"photo_padding" kind:"choice" choices:"equals,asterisk,period,none"`
}

// Padding spellings of photoData (docs/fidelity.md, Google Workspace).
const (
	PaddingEquals   = "equals"
	PaddingAsterisk = "asterisk"
	PaddingPeriod   = "period"
	PaddingNone     = "none"
)

// DefaultMaxBytes is the photo size headshot keeps under: Google documents
// no limit for users.photos.update (the photo is downsized to 96x96
// anyway), so this is a setting (docs/fidelity.md).
const DefaultMaxBytes = 2 * 1024 * 1024

// maxKeyFile bounds the key file read: a real one is about 2.3 KB.
const maxKeyFile = 64 << 10

// Defaults are the documented values (docs/fidelity.md, Google Workspace).
func Defaults() Config {
	return Config{
		BaseURL:     "https://admin.googleapis.com",
		TokenMargin: time.Minute,
		PeopleTTL:   24 * time.Hour,
		Settings:    apihttp.Settings{Rate: upload.Rate{N: 20, Per: time.Second}, Concurrency: 4, MaxBytes: DefaultMaxBytes, Timeout: apihttp.DefaultTimeout},
		LookupRate:  upload.Rate{N: 20, Per: time.Second},
		// "=" is read by every decoder a server may use: Google's (GAM
		// sends it), one that maps "*" and "." to "=" first, and Python's
		// urlsafe_b64decode; unpadded data fails the padded decoders.
		PhotoPadding: PaddingEquals,
	}
}

// Client talks to one Google Workspace domain.
type Client struct {
	cfg  Config
	base string // BaseURL + /admin/directory/v1
	*apihttp.Client
	jwt    *jwtConfig
	tokens *oauthtoken.Cache
	secret string        // the key's private key id, redacted from answers
	look   *rate.Limiter // user lookups and list pages: lookup_rate
	users  *people.Directory
}

// jwtConfig is what New read from the key file.
type jwtConfig struct {
	email, keyID, tokenURI string
}

var (
	_ upload.Client  = (*Client)(nil)
	_ upload.Advisor = (*Client)(nil)
)

// New checks the settings, reads the key file and builds a client. Zero
// numeric settings take their defaults. Errors name the TOML key at fault
// and never quote the key file.
func New(c Config) (*Client, error) {
	upload.FillDefaults(&c, Defaults())
	base, err := apihttp.CheckURL("google", "base_url", c.BaseURL)
	if err != nil {
		return nil, err
	}
	c.AdminEmail = strings.TrimSpace(c.AdminEmail)
	if c.AdminEmail == "" || !strings.Contains(c.AdminEmail, "@") {
		return nil, fmt.Errorf("google: admin_email is missing or not an email (the Workspace administrator the service account acts as)")
	}
	switch c.PhotoPadding {
	case PaddingEquals, PaddingAsterisk, PaddingPeriod, PaddingNone:
	default:
		return nil, fmt.Errorf("google: photo_padding %q: want %s (the default), %s, %s or %s", upload.CleanMessage(c.PhotoPadding, 20),
			PaddingEquals, PaddingAsterisk, PaddingPeriod, PaddingNone)
	}
	if strings.TrimSpace(c.CredentialsFile) == "" {
		return nil, fmt.Errorf("google: credentials_file is missing (the service account's JSON key, from Google Cloud console > IAM & Admin > Service accounts > Keys)")
	}
	key, err := readKeyFile(c.CredentialsFile)
	if err != nil {
		return nil, err
	}
	jc, err := google.JWTConfigFromJSON(key, Scope)
	if err != nil || jc.Email == "" || len(jc.PrivateKey) == 0 {
		return nil, fmt.Errorf("google: credentials_file is not a service account JSON key (want \"type\": \"service_account\" with client_email and private_key)")
	}
	if _, err := apihttp.CheckURL("google", "credentials_file's token_uri", jc.TokenURL); err != nil {
		return nil, err
	}
	jc.Subject = c.AdminEmail
	cl := &Client{cfg: c, base: base + "/admin/directory/v1", secret: jc.PrivateKeyID,
		look: rate.NewLimiter(rate.Limit(c.LookupRate.PerSecond()), 1), users: people.NewDirectory(),
		Client: apihttp.NewClient(Platform, c.Timeout, c.limits("image/jpeg", "image/png"), c, jc.PrivateKeyID)}
	cl.jwt = &jwtConfig{email: jc.Email, keyID: jc.PrivateKeyID, tokenURI: jc.TokenURL}
	cl.tokens = oauthtoken.New(func(ctx context.Context) (*oauth2.Token, error) {
		return jc.TokenSource(ctx).Token()
	}, cl.HTTP(), c.Timeout, c.TokenMargin)
	return cl, nil
}

// readKeyFile reads the key, bounded; errors never quote it.
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("google: credentials_file: cannot open it (%s)", upload.CleanMessage(pathErr(err), 80))
	}
	defer f.Close()
	buf := make([]byte, maxKeyFile+1)
	n, _ := f.Read(buf)
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err != nil || m == 0 {
			break
		}
	}
	if n > maxKeyFile {
		return nil, fmt.Errorf("google: credentials_file is larger than %d KB: not a service account key", maxKeyFile>>10)
	}
	return buf[:n], nil
}

// pathErr is err's text without the path.
func pathErr(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// KeyFileWarning says what is wrong with the key file's permissions, the
// way the config file is checked: "" when only its owner can read it.
func KeyFileWarning(path string) string {
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("credentials_file is readable by others (mode %v) and holds a private key: chmod 600 it", st.Mode().Perm())
}

// Platform is google.Platform.
func (c *Client) Platform() upload.Platform { return Platform }

// user is the part of the Directory user resource headshot reads.
type user struct {
	ID           string `json:"id"`
	PrimaryEmail string `json:"primaryEmail"`
	Name         struct {
		FullName string `json:"fullName"`
	} `json:"name"`
}

// Check gets a token as admin_email and reads that administrator: proof
// that the key, the domain-wide delegation, the scope and the base URL work.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.Resolve(ctx, c.cfg.AdminEmail)
	if e, ok := upload.AsError(err); ok && e.Class == upload.ClassNotFound {
		e.Class = upload.ClassAuth
		e.Message = "admin_email is not a user of the domain: " + e.Message
	}
	return err
}

// Resolve looks a person up by primary email, alias or user id; the
// target's ID is Google's unique user id.
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	person = strings.TrimSpace(person)
	seg, ok := apihttp.Segment(person)
	if !ok || strings.ContainsAny(person, "/?#\\") {
		return upload.Target{}, &upload.Error{Platform: Platform, Class: upload.ClassNotFound, Local: true,
			Message: fmt.Sprintf("%q is not an email, alias or Google user id", upload.CleanMessage(person, 120))}
	}
	if t, ok, err := c.users.Find(ctx, person, c.readUsers); err != nil {
		if ctx.Err() != nil {
			return upload.Target{}, apihttp.TransportError(ctx, Platform, ctx.Err())
		}
		return upload.Target{}, err
	} else if ok {
		return t, nil
	}
	if err := c.look.Wait(ctx); err != nil {
		return upload.Target{}, apihttp.WaitError(ctx, Platform, err)
	}
	r, err := c.call(ctx, http.MethodGet, "/users/"+seg+"?fields=id,primaryEmail,name/fullName", person, nil)
	if err != nil {
		return upload.Target{}, err
	}
	var u user
	if json.Unmarshal(r.Body, &u) != nil || u.ID == "" {
		return upload.Target{}, c.garbage(r, "want a JSON user with an id")
	}
	name := strings.TrimSpace(u.Name.FullName)
	if name == "" {
		name = u.PrimaryEmail
	}
	return upload.Target{Person: person, ID: upload.CleanMessage(u.ID, 200), Name: upload.CleanMessage(name, 200)}, nil
}

// photoBody is the UserPhoto resource sent.
type photoBody struct {
	PhotoData string `json:"photoData"`
	MimeType  string `json:"mimeType"`
	Width     int    `json:"width,omitempty"`
	Height    int    `json:"height,omitempty"`
}

// Upload sends the photo as the user's thumbnail photo.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	if err := c.Limits().Validate(Platform, p); err != nil {
		return upload.Receipt{}, err
	}
	id := t.ID
	if id == "" {
		id = t.Person
	}
	seg, ok := apihttp.Segment(strings.TrimSpace(id))
	if !ok || strings.ContainsAny(id, "/?#\\") {
		return upload.Receipt{}, &upload.Error{Platform: Platform, Class: upload.ClassNotFound, Local: true,
			Message: "no usable Google user id for the upload"}
	}
	mime := "JPEG"
	if p.MIME == "image/png" {
		mime = "PNG"
	}
	body, err := json.Marshal(photoBody{PhotoData: webSafe(p.Data, c.cfg.PhotoPadding), MimeType: mime,
		Width: p.Width, Height: p.Height})
	if err != nil {
		return upload.Receipt{}, &upload.Error{Platform: Platform, Class: upload.ClassRejected, Local: true, Message: "cannot build the upload"}
	}
	r, err := c.call(ctx, http.MethodPut, "/users/"+seg+"/photos/thumbnail", t.Person, &reqBody{data: body, size: int64(len(p.Data))})
	if err != nil {
		return upload.Receipt{}, err
	}
	var got struct {
		Kind string `json:"kind"`
		ETag string `json:"etag"`
	}
	if json.Unmarshal(r.Body, &got) != nil {
		return upload.Receipt{}, c.garbage(r, "want the UserPhoto resource after the upload")
	}
	return upload.Receipt{Status: r.Status, Detail: upload.CleanMessage(strings.Trim(got.ETag, `"`), 120)}, nil
}

// webSafe is data in web-safe base64 ("-" and "_" for "+" and "/") with
// its padding written as photo_padding says: the UserPhoto page words the
// padding two ways ("=" replaced with "*"; "the period (.) character is
// used"), while Google's clients send RFC 4648's "=".
func webSafe(data []byte, padding string) string {
	s := base64.URLEncoding.EncodeToString(data)
	switch padding {
	case PaddingAsterisk:
		return strings.ReplaceAll(s, "=", "*")
	case PaddingPeriod:
		return strings.ReplaceAll(s, "=", ".")
	case PaddingNone:
		return strings.TrimRight(s, "=")
	}
	return s
}

// reqBody is a JSON request body that can be sent again.
type reqBody struct {
	data []byte
	size int64 // photo bytes, for a too-large error
}

// call sends one Directory API request with a bearer token. On 401 it gets
// a fresh token and tries once more. Non-2xx answers become *upload.Error.
func (c *Client) call(ctx context.Context, method, path, person string, body *reqBody) (*apihttp.Response, error) {
	var stale string
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Get(ctx, stale)
		if err != nil {
			return nil, oauthtoken.Classify(ctx, Platform, err, c.tokenRefused)
		}
		var req *http.Request
		if body != nil {
			req, err = http.NewRequest(method, c.base+path, bytes.NewReader(body.data))
		} else {
			req, err = http.NewRequest(method, c.base+path, nil)
		}
		if err != nil {
			return nil, &upload.Error{Platform: Platform, Class: upload.ClassRejected, Local: true,
				Message: "cannot build the request (check base_url)"}
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
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

// Advice is doctor's warning about the key file's permissions.
func (c *Client) Advice() []string {
	if w := KeyFileWarning(c.cfg.CredentialsFile); w != "" {
		return []string{w}
	}
	return nil
}

// limits are the settings as upload.Limits, with people_ttl.
func (c Config) limits(mime ...string) upload.Limits {
	l := c.Limits(mime...)
	l.PeopleTTL = c.PeopleTTL
	return l
}
