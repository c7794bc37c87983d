package interact

import (
	"fmt"
	"headshot/upload/apihttp"
	"net/http"
	"strings"
	"time"

	"headshot/upload"
)

// The person routes Interact documents for its picture upload.
const (
	RouteUsername = "username" // /upload/username/{username}/picture
	RoutePerson   = "person"   // /upload/{personId}/picture
	RouteUMIID    = "umiid"    // /upload/umiid/{umiid}/picture
)

// Config is the [interact] table of the config file.
// The tags are the TOML keys and describe them to setup and doctor (see
// upload.Descriptor).
type Config struct {
	BaseURL      string         `toml:"base_url" kind:"url" required:"true"`     // intranet host, e.g. https://intranet.example.com
	DomainID     string         `toml:"domain_id" required:"true" digits:"true"` // the General Profile Source id (numeric, e.g. 1000)
	APIKey       apihttp.Secret `toml:"api_key" kind:"secret" required:"true"`   // profile source key; never logged
	APIKeyHeader string         `toml:"api_key_header"`                          // [A] header carrying APIKey
	PersonRoute  string         `toml:"person_route" kind:"choice" choices:"username,person,umiid"`
	// UsernameForm [A] is how a person key that is an email becomes an
	// Interact username on the username route: "auto" sends the local
	// part (jane.doe@example.com -> jane.doe) and, on a 404, the whole
	// email, and keeps whichever form worked for the rest of the run;
	// "local" or "email" send only that form.
	UsernameForm string `toml:"username_form" kind:"choice" choices:"auto,local,email"`
	// UsernameFromEmail is the older setting: false means UsernameForm
	// "email" (unless username_form is "local"); true changes nothing.
	UsernameFromEmail *bool  `toml:"username_from_email"`
	PartName          string `toml:"part_name"` // [A] the multipart field of the image
	apihttp.Settings         // rate, concurrency, max_bytes, timeout
}

func init() {
	upload.Register(upload.Descriptor{
		Name: upload.Interact, Title: "Interact", Order: 40,
		Summary:        "General Profile Source key",
		Console:        "Interact Admin > People > Profile Sources (the General Profile Source)",
		CredentialHint: "check the API key and the domain id",
		Fields: []upload.FieldHelp{
			{Key: "base_url", Help: "Your intranet address, e.g. https://intranet.example.com"},
			{Key: "domain_id", Help: "Admin > People > Profile Sources: the General Profile Source's domain id (a number)."},
			{Key: "api_key", Help: "Same page: the profile source's API key."},
			{Key: "person_route", Help: "How people are matched: username (default), person (person id) or umiid."},
			{Key: "username_form", Help: "auto: jane.doe, then the whole email if not found (kept once one works); local or email: only that form."},
			{Key: "rate", Help: "Interact allows 6 requests per minute: keep 6/min."},
		},
	}, Defaults, New)
}

// The username forms (Config.UsernameForm).
const (
	FormAuto  = "auto"  // local part first, the whole email on a 404; the working form is kept
	FormLocal = "local" // jane.doe@example.com -> jane.doe
	FormEmail = "email" // jane.doe@example.com as is
)

// Defaults are the documented values and the [A] assumptions.
func Defaults() Config {
	return Config{
		APIKeyHeader:      "X-ApiKey",
		PersonRoute:       RouteUsername,
		UsernameForm:      FormAuto,
		UsernameFromEmail: new(true),
		PartName:          "file",
		Settings:          apihttp.Settings{Rate: upload.Rate{N: 6, Per: time.Minute}, Concurrency: 1, MaxBytes: 5 * 1024 * 1024, Timeout: 30 * time.Second},
	}
}

// validate fills zero values from Defaults and checks the rest; errors name
// the TOML key and never echo the key's value.
func (c *Config) validate() error {
	upload.FillDefaults(c, Defaults())
	if strings.ContainsAny(c.PartName, "\"\r\n") {
		return fmt.Errorf("interact: part_name %q cannot name a multipart field", c.PartName)
	}
	if c.UsernameForm == FormAuto && c.UsernameFromEmail != nil && !*c.UsernameFromEmail {
		c.UsernameForm = FormEmail // the older setting, username_from_email = false
	}
	switch c.UsernameForm {
	case FormAuto, FormLocal, FormEmail:
	default:
		return fmt.Errorf("interact: username_form %q: want %q, %q or %q", c.UsernameForm, FormAuto, FormLocal, FormEmail)
	}
	base, err := checkBaseURL(c.BaseURL)
	if err != nil {
		return err
	}
	c.BaseURL = base
	c.DomainID = strings.TrimSpace(c.DomainID)
	if c.DomainID == "" {
		return fmt.Errorf("interact: domain_id is missing (the General Profile Source id shown on Manage Profile Sources, e.g. 1000)")
	}
	if !isDigits(c.DomainID) {
		return fmt.Errorf("interact: domain_id %q is not a number", c.DomainID)
	}
	if strings.TrimSpace(string(c.APIKey)) == "" {
		return fmt.Errorf("interact: api_key is missing")
	}
	if strings.ContainsAny(string(c.APIKey), "\r\n") {
		return fmt.Errorf("interact: api_key contains a line break")
	}
	if !validHeaderName(c.APIKeyHeader) {
		return fmt.Errorf("interact: api_key_header %q is not a valid HTTP header name", c.APIKeyHeader)
	}
	switch c.PersonRoute {
	case RouteUsername, RoutePerson, RouteUMIID:
	default:
		return fmt.Errorf("interact: person_route %q: want %q, %q or %q", c.PersonRoute, RouteUsername, RoutePerson, RouteUMIID)
	}
	return nil
}

func checkBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("interact: base_url is missing (your intranet's address, e.g. https://intranet.example.com)")
	}
	return apihttp.CheckURL("interact", "base_url", raw)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func validHeaderName(h string) bool {
	if h == "" {
		return false
	}
	for _, r := range h {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return false
		}
	}
	return http.CanonicalHeaderKey(h) != ""
}
