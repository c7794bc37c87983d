// Package rhombus is headshot's client for Rhombus's bulk profile-photo
// upload: up to batch_size photos per multipart request, each part named
// after its user (`<email or uuid><ext>`) because Rhombus matches photos to
// users by file name, and one outcome per photo from the answer's
// fileUploadResults. Users are looked up (and cached briefly) with
// getUsersInOrg. Every failure is an *upload.Error; the API key never
// appears in one.
package rhombus

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/apihttp"
)

// Config holds the [rhombus] settings; the tags are the TOML keys and
// describe them to setup and doctor (see upload.Descriptor).
type Config struct {
	BaseURL    string         `toml:"base_url" kind:"url"`                   // API host
	APIKey     apihttp.Secret `toml:"api_key" kind:"secret" required:"true"` // never printed
	AuthScheme string         `toml:"auth_scheme" kind:"choice" choices:"api-token,api,partner-api-token,partner-api"`
	Org        string         `toml:"org"` // x-auth-org, required by the partner schemes
	// CertFile and KeyFile are the client certificate Rhombus signed and
	// its private key (PEM): auth_scheme api and partner-api are mutual
	// TLS and need them; the token schemes do not.
	CertFile string `toml:"cert_file"`
	KeyFile  string `toml:"key_file"`

	apihttp.Settings     // rate, concurrency, max_bytes, timeout
	BatchSize        int `toml:"batch_size" max:"100"` // photos per request

	// The bulk upload's request and answer are not documented publicly:
	// PartName [A] is the multipart field of each photo; MatchBy [A] what
	// names each file, "email" (the user's email, or the uuid for a user
	// without one) or "uuid"; ResultsField [A] the answer's per-file
	// results array.
	PartName     string `toml:"part_name"`
	MatchBy      string `toml:"match_by" kind:"choice" choices:"email,uuid"`
	ResultsField string `toml:"results_field"`
	// UplinkKbps is the slowest upload link assumed, in kbit/s: each
	// request's timeout is Timeout plus the time to send its body at this
	// rate (a batch of 100 photos is megabytes).
	UplinkKbps int `toml:"uplink_kbps"`
	// UsersTTL is how long the organisation's user list is reused.
	UsersTTL time.Duration `toml:"users_ttl"`
	// PeopleTTL is how long later runs reuse a user this one found.
	PeopleTTL time.Duration `toml:"people_ttl"`
}

// Documented limits.
const (
	DefaultMaxBytes  = 5 * 1024 * 1024
	DefaultBatchSize = 100
)

// Defaults are the documented values (platforms.md, Rhombus).
func Defaults() Config {
	return Config{
		BaseURL:      "https://api2.rhombussystems.com",
		AuthScheme:   "api-token",
		BatchSize:    DefaultBatchSize,
		PartName:     "files",
		MatchBy:      MatchEmail,
		ResultsField: "fileUploadResults",
		UplinkKbps:   1000,
		UsersTTL:     5 * time.Minute,
		PeopleTTL:    24 * time.Hour,
		Settings:     apihttp.Settings{Rate: upload.Rate{N: 10, Per: time.Second}, Concurrency: 4, MaxBytes: DefaultMaxBytes, Timeout: apihttp.DefaultTimeout},
	}
}

// How a photo file names its user (Config.MatchBy).
const (
	MatchEmail = "email" // jane.doe@example.com.jpg (the uuid for a user without an email)
	MatchUUID  = "uuid"  // <22-character uuid>.jpg
)

// schemes are the x-auth-scheme values Rhombus knows; true = partner.
var schemes = map[string]bool{"api-token": false, "api": false, "partner-api-token": true, "partner-api": true}

func init() {
	upload.Register(upload.Descriptor{
		Name: upload.Rhombus, Title: "Rhombus", Order: 20,
		Summary:        "API token",
		Console:        "Rhombus Console > Settings > API Management",
		CredentialHint: "check the API key and the auth scheme",
		Fields: []upload.FieldHelp{
			{Key: "api_key", Help: "Settings > API Management > Create API token. The key is shown once when created."},
			{Key: "auth_scheme", Help: "api-token for an ordinary token; api for a certificate key (then set cert_file and key_file); partner-api-token for partner keys (then set org)."},
			{Key: "org", Help: "Partner schemes only: the client organisation's UUID."},
			{Key: "cert_file", Help: "Certificate schemes (api, partner-api) only: the certificate Rhombus signed for your CSR (PEM file)."},
			{Key: "key_file", Help: "Certificate schemes only: the private key of that certificate (PEM file)."},
			{Key: "base_url", Help: "Change only for a proxy or the sandbox."},
			{Key: "rate", Help: "Requests per second (documented: 10/s)."},
		},
	}, Defaults, New)
}

// certSchemes are the schemes that authenticate with a client certificate
// (mutual TLS) rather than the key alone.
var certSchemes = map[string]bool{"api": true, "partner-api": true}

// clientCert loads cert_file and key_file for the certificate schemes; nil
// for the token schemes. Errors say what is missing and never echo a key.
func (c Config) clientCert() (*tls.Certificate, error) {
	certFile, keyFile := strings.TrimSpace(c.CertFile), strings.TrimSpace(c.KeyFile)
	if !certSchemes[c.AuthScheme] {
		if certFile != "" || keyFile != "" {
			return nil, fmt.Errorf("rhombus: cert_file and key_file are for auth_scheme api or partner-api (certificate auth), not %s", c.AuthScheme)
		}
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("rhombus: auth_scheme %s is certificate (mutual TLS) authentication: set cert_file and key_file "+
			"to the certificate Rhombus signed for this API key and its private key, or use auth_scheme = \"api-token\" with a token key", c.AuthScheme)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("rhombus: cert_file/key_file: cannot load the client certificate and key (want PEM files that belong together): %s",
			textsafe.CleanN(err.Error(), 160))
	}
	return &cert, nil
}

// requestTimeout is the deadline for a request carrying size body bytes:
// Timeout, plus the time the body takes at UplinkKbps.
func (c *Client) requestTimeout(size int) time.Duration {
	send := time.Duration(float64(size) * 8 / float64(c.cfg.UplinkKbps*1000) * float64(time.Second))
	return c.cfg.Timeout + send
}

// Client talks to one Rhombus organisation.
type Client struct {
	cfg  Config
	base string
	*apihttp.Client
	users *userCache
}

var (
	_ upload.Client      = (*Client)(nil)
	_ upload.BatchClient = (*Client)(nil)
)

// New checks the settings and builds a client. Zero numeric settings take
// their defaults. Errors name the TOML key at fault and never echo the key.
func New(c Config) (*Client, error) {
	upload.FillDefaults(&c, Defaults())
	if c.MatchBy != MatchEmail && c.MatchBy != MatchUUID {
		return nil, fmt.Errorf("rhombus: match_by %q: want %q or %q", c.MatchBy, MatchEmail, MatchUUID)
	}
	base, err := apihttp.CheckURL("rhombus", "base_url", c.BaseURL)
	if err != nil {
		return nil, err
	}
	c.BaseURL = base
	if strings.TrimSpace(string(c.APIKey)) == "" {
		return nil, fmt.Errorf("rhombus: api_key is missing (create one under Settings > API Management in the Rhombus console)")
	}
	partner, known := schemes[c.AuthScheme]
	if !known {
		return nil, fmt.Errorf("rhombus: auth_scheme %q is not one of api-token, api, partner-api-token, partner-api", c.AuthScheme)
	}
	if partner && strings.TrimSpace(c.Org) == "" {
		return nil, fmt.Errorf("rhombus: org is missing (auth_scheme %s needs the client organisation's uuid)", c.AuthScheme)
	}
	if c.BatchSize > DefaultBatchSize {
		return nil, fmt.Errorf("rhombus: batch_size %d is over Rhombus's %d photos per request", c.BatchSize, DefaultBatchSize)
	}
	cert, err := c.clientCert()
	if err != nil {
		return nil, err
	}
	cl := &Client{cfg: c, base: strings.TrimRight(c.BaseURL, "/"),
		Client: apihttp.NewClient(upload.Rhombus, c.Timeout, c.limits(), c, string(c.APIKey))}
	// Each request gets its own deadline, scaled to its body (requestTimeout).
	cl.PerRequestDeadlines()
	if cert != nil {
		cl.UseClientCert(*cert)
	}
	cl.users = &userCache{client: cl}
	return cl, nil
}

// limits are Rhombus's limits as configured: photos in batches. The bucket
// allows bursts of about ten times the refill; headshot uses one second's
// worth.
func (c Config) limits() upload.Limits {
	l := c.Limits("image/jpeg", "image/png")
	l.Burst, l.BatchSize = max(c.Rate.N, 1), c.BatchSize
	l.PeopleTTL = c.PeopleTTL
	if c.Rate.Per > time.Second {
		l.Burst = 1
	}
	return l
}

// Check lists the organisation's users: proof that the key, scheme and
// base URL work. The list is kept for Resolve.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.users.refresh(ctx)
	return err
}

// Resolve finds a person by email (case-insensitive) or uuid. The target's
// ID is the name Rhombus matches the photo file on.
func (c *Client) Resolve(ctx context.Context, person string) (upload.Target, error) {
	key := strings.TrimSpace(person)
	list, err := c.users.get(ctx)
	if err != nil {
		return upload.Target{}, err
	}
	for _, u := range list {
		if (u.Email != "" && strings.EqualFold(u.Email, key)) || (u.UUID != "" && u.UUID == key) {
			return upload.Target{Person: person, ID: u.fileStem(c.cfg.MatchBy), Name: upload.CleanMessage(u.displayName(), 200)}, nil
		}
	}
	return upload.Target{}, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassNotFound,
		Message: fmt.Sprintf("Rhombus has no user %q in this organisation", textsafe.CleanN(person, 120))}
}

// newRequest builds an authenticated request.
func (c *Client) newRequest(method, path string, body []byte, ctype string) (*http.Request, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true,
			Message: "cannot build the request (check base_url)"}
	}
	req.Header.Set("x-auth-apikey", string(c.cfg.APIKey))
	req.Header.Set("x-auth-scheme", c.cfg.AuthScheme)
	if schemes[c.cfg.AuthScheme] {
		req.Header.Set("x-auth-org", c.cfg.Org)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// appError is Rhombus's application error body (sent with HTTP 200).
type appError struct {
	Error    bool   `json:"error"`
	ErrorMsg string `json:"errorMsg"`
}

// statusError classes a non-2xx answer.
func (c *Client) statusError(r *apihttp.Response) *upload.Error {
	words := c.words(r.Body)
	e := apihttp.StatusError(upload.Rhombus, r, "", words)
	switch e.Class {
	case upload.ClassAuth:
		e.Message = "API key refused: check api_key and auth_scheme"
		if schemes[c.cfg.AuthScheme] {
			e.Message += " and org"
		}
		if words != "" {
			e.Message += " (Rhombus says: " + words + ")"
		}
	case upload.ClassNotFound:
		e.Class = upload.ClassServer
		e.Message = "endpoint not found (check base_url): " + e.Message
	}
	return e
}

// words is the platform's message from a JSON or text error body, cleaned,
// bounded and without the API key.
func (c *Client) words(body []byte) string {
	var j struct {
		ErrorMsg string `json:"errorMsg"`
		Message  string `json:"message"`
	}
	s := ""
	if json.Unmarshal(body, &j) == nil {
		s = j.ErrorMsg
		if s == "" {
			s = j.Message
		}
	} else if t := strings.TrimSpace(string(body)); t != "" && !strings.HasPrefix(t, "<") {
		s = t
	}
	if len(string(c.cfg.APIKey)) >= 4 {
		s = strings.ReplaceAll(s, string(c.cfg.APIKey), "[redacted]")
	}
	return textsafe.CleanN(strings.TrimSpace(s), 200)
}

// garbage is apihttp.Garbage with any echoed API key removed.
func (c *Client) garbage(r *apihttp.Response, what string) *upload.Error {
	g := apihttp.Garbage(upload.Rhombus, r, what)
	if len(string(c.cfg.APIKey)) >= 4 {
		g.Message = strings.ReplaceAll(g.Message, string(c.cfg.APIKey), "[redacted]")
	}
	return g
}
