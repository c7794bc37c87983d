package igloo

import (
	"fmt"
	"headshot/upload/apihttp"
	"log/slog"
	"strings"
	"time"

	"headshot/upload"
)

// Config is the [igloo] table of the config file.
type Config struct {
	BaseURL      string // the workplace host, e.g. https://acme.igloocommunities.com
	CommunityKey string // integer community key
	AppID        string // API application id
	AppPassword  string // never logged
	Username     string // an administrator (changing others' photos needs admin)
	Password     string // never logged
	// Rate paces every request this client sends (login, search and each
	// upload step); one upload costs at least three. Default 5/s [A].
	Rate        upload.Rate
	Concurrency int           // default 4
	ChunkSize   int64         // bytes per PATCH, default 256 KiB
	MaxBytes    int64         // default 5 MiB [A]
	Timeout     time.Duration // per request, default 30s
	// MaxResumes bounds how often one upload queries the stored length and
	// resumes after a dropped connection, a timeout, a 5xx or a 416.
	MaxResumes int // default 5
	// ResumeDelay is the pause before each resume.
	ResumeDelay time.Duration // default 250ms
}

// String shows the settings with AppPassword and Password redacted, so that a Config printed
// with %v or %+v never shows a credential.
func (c Config) String() string { return apihttp.ConfigString(c, "AppPassword", "Password") }

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is String, for log/slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Defaults are the documented values and the [A] assumptions.
func Defaults() Config {
	return Config{
		Rate:        upload.Rate{N: 5, Per: time.Second},
		Concurrency: 4,
		ChunkSize:   256 * 1024,
		MaxBytes:    5 * 1024 * 1024,
		Timeout:     30 * time.Second,
		MaxResumes:  5,
		ResumeDelay: 250 * time.Millisecond,
	}
}

// validate fills zero values from Defaults and checks the rest; errors name
// the TOML key and never echo a password.
func (c *Config) validate() error {
	d := Defaults()
	if c.Rate.N <= 0 || c.Rate.Per <= 0 {
		c.Rate = d.Rate
	}
	if c.Concurrency <= 0 {
		c.Concurrency = d.Concurrency
	}
	if c.ChunkSize <= 0 {
		c.ChunkSize = d.ChunkSize
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = d.MaxBytes
	}
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.MaxResumes <= 0 {
		c.MaxResumes = d.MaxResumes
	}
	if c.ResumeDelay < 0 {
		c.ResumeDelay = 0
	}
	raw := strings.TrimSpace(c.BaseURL)
	if raw == "" {
		return fmt.Errorf("igloo: base_url is missing (your workplace's address, e.g. https://acme.igloocommunities.com)")
	}
	base, err := apihttp.CheckURL("igloo", "base_url", raw)
	if err != nil {
		return err
	}
	c.BaseURL = base
	c.CommunityKey = strings.TrimSpace(c.CommunityKey)
	if c.CommunityKey == "" {
		return fmt.Errorf("igloo: community_key is missing")
	}
	for _, r := range c.CommunityKey {
		if r < '0' || r > '9' {
			return fmt.Errorf("igloo: community_key %q is not an integer", c.CommunityKey)
		}
	}
	for _, f := range []struct{ key, val string }{{"app_id", c.AppID}, {"app_password", c.AppPassword},
		{"username", c.Username}, {"password", c.Password}} {
		if strings.TrimSpace(f.val) == "" {
			return fmt.Errorf("igloo: %s is missing", f.key)
		}
	}
	return nil
}
