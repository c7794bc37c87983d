package netex

import (
	"fmt"
	"headshot/upload/apihttp"
	"strings"
	"time"

	"headshot/upload"
)

// Synchronization modes (header X-Cloud-Synchronization).
const (
	Synchronous  = "synchronous"
	Asynchronous = "asynchronous"
)

// Config is the [netex] table of the config file.
// The tags are the TOML keys and describe them to setup and doctor (see
// upload.Descriptor).
type Config struct {
	BaseURL          string         `toml:"base_url" kind:"url" required:"true"` // tenant integration host, e.g. https://acme.learningcloud.me
	PathPrefix       string         `toml:"path_prefix"`                         // appended to BaseURL
	Token            apihttp.Secret `toml:"token" kind:"secret" required:"true"` // X-Cloud-Auth-Token; never logged
	Synchronization  string         `toml:"synchronization" kind:"choice" choices:"synchronous,asynchronous"`
	apihttp.Settings                // rate, concurrency, max_bytes, timeout
	// Accept is the versioned media type sent in Accept.
	Accept string `toml:"accept"`
	// PageSize is the count asked per page when listing users to match an
	// email (documented maximum 500).
	PageSize int `toml:"page_size" max:"500"`
	// UserCacheTTL is how long the user list stays cached.
	UserCacheTTL time.Duration `toml:"user_cache_ttl"`
	// LookupRate paces the user list pages and lookups, apart from the
	// uploads' rate. [A: none documented]
	LookupRate upload.Rate `toml:"lookup_rate"`
	// PeopleTTL is how long later runs reuse a user this one found.
	PeopleTTL time.Duration `toml:"people_ttl"`
}

func init() {
	upload.Register(upload.Descriptor{
		Name: upload.Netex, Title: "Netex learningCloud", Short: "Netex", Order: 50,
		Summary:        "integration token",
		Console:        "learningCloud > Administration > Integrations > token",
		CredentialHint: "check the token",
		Fields: []upload.FieldHelp{
			{Key: "base_url", Help: "Your tenant's integration host, e.g. https://yourcompany.netexlearning.cloud"},
			{Key: "token", Help: "Administration > Integrations: the integration token."},
			{Key: "synchronization", Help: "synchronous (default) waits for every sub-platform; asynchronous queues the change."},
			{Key: "rate", Help: "Requests per second (none documented; 5/s is gentle)."},
		},
	}, Defaults, New)
}

// Defaults are the documented values and the [A] assumptions.
func Defaults() Config {
	return Config{
		PathPrefix:      "/integration/ws/management/rest",
		Synchronization: Synchronous,
		Accept:          "application/vnd.netex.nlc-api.v1.0.1+json",
		PageSize:        500,
		UserCacheTTL:    5 * time.Minute,
		LookupRate:      upload.Rate{N: 5, Per: time.Second},
		PeopleTTL:       24 * time.Hour,
		Settings:        apihttp.Settings{Rate: upload.Rate{N: 5, Per: time.Second}, Concurrency: 4, MaxBytes: 5 * 1024 * 1024, Timeout: 30 * time.Second},
	}
}

// validate fills zero values from Defaults and checks the rest; errors name
// the TOML key and never echo the token.
func (c *Config) validate() error {
	if c.PageSize > 500 {
		c.PageSize = 0 // the default: the documented maximum
	}
	upload.FillDefaults(c, Defaults())
	raw := strings.TrimSpace(c.BaseURL)
	if raw == "" {
		return fmt.Errorf("netex: base_url is missing (your tenant's integration host, e.g. https://acme.learningcloud.me)")
	}
	base, err := apihttp.CheckURL("netex", "base_url", raw)
	if err != nil {
		return err
	}
	c.BaseURL = base
	if !strings.HasPrefix(c.PathPrefix, "/") || strings.ContainsAny(c.PathPrefix, "?#") {
		return fmt.Errorf("netex: path_prefix %q must start with / and hold no query", c.PathPrefix)
	}
	c.PathPrefix = strings.TrimRight(c.PathPrefix, "/")
	if strings.TrimSpace(string(c.Token)) == "" {
		return fmt.Errorf("netex: token is missing (copy it from the learningCloud administration UI)")
	}
	if strings.ContainsAny(string(c.Token), "\r\n") {
		return fmt.Errorf("netex: token contains a line break")
	}
	switch c.Synchronization {
	case Synchronous, Asynchronous:
	default:
		return fmt.Errorf("netex: synchronization %q: want %q or %q", c.Synchronization, Synchronous, Asynchronous)
	}
	return nil
}
