package netex

import (
	"fmt"
	"headshot/upload/apihttp"
	"log/slog"
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
type Config struct {
	BaseURL         string // tenant integration host, e.g. https://acme.learningcloud.me
	PathPrefix      string // appended to BaseURL; default /integration/ws/management/rest
	Token           string // X-Cloud-Auth-Token; never logged
	Synchronization string // "synchronous" (default) or "asynchronous"
	// Accept is the versioned media type sent in Accept; default
	// application/vnd.netex.nlc-api.v1.0.1+json.
	Accept      string
	Rate        upload.Rate   // default 5/s ([A]: none documented)
	Concurrency int           // default 4
	MaxBytes    int64         // default 5 MB ([A])
	Timeout     time.Duration // per request, default 30s
	// PageSize is the count asked per page when listing users to match an
	// email (documented maximum 500).
	PageSize int
	// UserCacheTTL is how long the user list stays cached; default 5 min.
	UserCacheTTL time.Duration
}

// String shows the settings with Token redacted, so that a Config printed
// with %v or %+v never shows a credential.
func (c Config) String() string { return apihttp.ConfigString(c, "Token") }

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is String, for log/slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Defaults are the documented values and the [A] assumptions.
func Defaults() Config {
	return Config{
		PathPrefix:      "/integration/ws/management/rest",
		Synchronization: Synchronous,
		Accept:          "application/vnd.netex.nlc-api.v1.0.1+json",
		Rate:            upload.Rate{N: 5, Per: time.Second},
		Concurrency:     4,
		MaxBytes:        5 * 1024 * 1024,
		Timeout:         30 * time.Second,
		PageSize:        500,
		UserCacheTTL:    5 * time.Minute,
	}
}

// validate fills zero values from Defaults and checks the rest; errors name
// the TOML key and never echo the token.
func (c *Config) validate() error {
	d := Defaults()
	if c.PathPrefix == "" {
		c.PathPrefix = d.PathPrefix
	}
	if c.Synchronization == "" {
		c.Synchronization = d.Synchronization
	}
	if c.Accept == "" {
		c.Accept = d.Accept
	}
	if c.Rate.N <= 0 || c.Rate.Per <= 0 {
		c.Rate = d.Rate
	}
	if c.Concurrency <= 0 {
		c.Concurrency = d.Concurrency
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = d.MaxBytes
	}
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.PageSize <= 0 || c.PageSize > 500 {
		c.PageSize = d.PageSize
	}
	if c.UserCacheTTL <= 0 {
		c.UserCacheTTL = d.UserCacheTTL
	}
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
	if strings.TrimSpace(c.Token) == "" {
		return fmt.Errorf("netex: token is missing (copy it from the learningCloud administration UI)")
	}
	if strings.ContainsAny(c.Token, "\r\n") {
		return fmt.Errorf("netex: token contains a line break")
	}
	switch c.Synchronization {
	case Synchronous, Asynchronous:
	default:
		return fmt.Errorf("netex: synchronization %q: want %q or %q", c.Synchronization, Synchronous, Asynchronous)
	}
	return nil
}
