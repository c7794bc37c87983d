// Package config reads, validates and writes headshot's TOML config file:
// one table per platform (a table present means the platform is used), a
// [prep] table for how photos are prepared, and environment overrides
// (HEADSHOT_<TABLE>_<KEY>) that win over the file. It builds the platform
// clients from what it read and never shows a secret in an error or in its
// Redacted form.
package config

import (
	"errors"
	"os"
	"path/filepath"

	"headshot/upload"
)

// Zoom is the [zoom] table (Server-to-Server OAuth app credentials).
type Zoom struct {
	BaseURL      string `toml:"base_url,omitempty" kind:"url"`
	TokenURL     string `toml:"token_url,omitempty" kind:"url"`
	AccountID    string `toml:"account_id,omitempty" required:"true"`
	ClientID     string `toml:"client_id,omitempty" required:"true"`
	ClientSecret string `toml:"client_secret,omitempty" kind:"secret" required:"true"`
	Rate         string `toml:"rate,omitempty" kind:"rate"`
	Concurrency  int    `toml:"concurrency,omitempty"`
	MaxBytes     int64  `toml:"max_bytes,omitempty"`
	Timeout      string `toml:"timeout,omitempty" kind:"duration"`
	// TokenMargin is how long before expiry the OAuth token is renewed.
	TokenMargin string `toml:"token_margin,omitempty" kind:"duration"`
}

// Rhombus is the [rhombus] table.
type Rhombus struct {
	BaseURL     string `toml:"base_url,omitempty" kind:"url"`
	APIKey      string `toml:"api_key,omitempty" kind:"secret" required:"true"`
	AuthScheme  string `toml:"auth_scheme,omitempty" kind:"choice" choices:"api-token,api,partner-api-token,partner-api"`
	Org         string `toml:"org,omitempty"`
	Rate        string `toml:"rate,omitempty" kind:"rate"`
	Concurrency int    `toml:"concurrency,omitempty"`
	BatchSize   int    `toml:"batch_size,omitempty" max:"100"`
	MaxBytes    int64  `toml:"max_bytes,omitempty"`
	Timeout     string `toml:"timeout,omitempty" kind:"duration"`
	// PartName is the multipart field of each photo ("files").
	PartName string `toml:"part_name,omitempty"`
	// UsersTTL is how long the organisation's user list is reused.
	UsersTTL string `toml:"users_ttl,omitempty" kind:"duration"`
}

// Igloo is the [igloo] table.
type Igloo struct {
	BaseURL      string `toml:"base_url,omitempty" kind:"url" required:"true"`
	CommunityKey string `toml:"community_key,omitempty" required:"true" digits:"true"`
	AppID        string `toml:"app_id,omitempty" required:"true"`
	AppPassword  string `toml:"app_password,omitempty" kind:"secret" required:"true"`
	Username     string `toml:"username,omitempty" required:"true"`
	Password     string `toml:"password,omitempty" kind:"secret" required:"true"`
	Rate         string `toml:"rate,omitempty" kind:"rate"`
	Concurrency  int    `toml:"concurrency,omitempty"`
	ChunkSize    int64  `toml:"chunk_size,omitempty"`
	MaxBytes     int64  `toml:"max_bytes,omitempty"`
	Timeout      string `toml:"timeout,omitempty" kind:"duration"`
	// MaxResumes bounds how often one upload resumes after a cut.
	MaxResumes int `toml:"max_resumes,omitempty"`
	// ResumeDelay is the pause before each resume.
	ResumeDelay string `toml:"resume_delay,omitempty" kind:"duration"`
}

// Interact is the [interact] table (a General Profile Source).
type Interact struct {
	BaseURL      string `toml:"base_url,omitempty" kind:"url" required:"true"`
	DomainID     string `toml:"domain_id,omitempty" required:"true" digits:"true"`
	APIKey       string `toml:"api_key,omitempty" kind:"secret" required:"true"`
	APIKeyHeader string `toml:"api_key_header,omitempty"`
	PersonRoute  string `toml:"person_route,omitempty" kind:"choice" choices:"username,person,umiid"`
	// UsernameFromEmail sends jane.doe for jane.doe@example.com on the
	// username route (default true).
	UsernameFromEmail *bool  `toml:"username_from_email,omitempty" kind:"bool"`
	Rate              string `toml:"rate,omitempty" kind:"rate"`
	Concurrency       int    `toml:"concurrency,omitempty"`
	MaxBytes          int64  `toml:"max_bytes,omitempty"`
	Timeout           string `toml:"timeout,omitempty" kind:"duration"`
}

// Netex is the [netex] table (learningCloud management REST API).
type Netex struct {
	BaseURL         string `toml:"base_url,omitempty" kind:"url" required:"true"`
	PathPrefix      string `toml:"path_prefix,omitempty"`
	Token           string `toml:"token,omitempty" kind:"secret" required:"true"`
	Synchronization string `toml:"synchronization,omitempty" kind:"choice" choices:"synchronous,asynchronous"`
	Rate            string `toml:"rate,omitempty" kind:"rate"`
	Concurrency     int    `toml:"concurrency,omitempty"`
	MaxBytes        int64  `toml:"max_bytes,omitempty"`
	Timeout         string `toml:"timeout,omitempty" kind:"duration"`
	// Accept is the versioned media type the API is asked for.
	Accept string `toml:"accept,omitempty"`
	// PageSize is how many users are listed per page (at most 500).
	PageSize int `toml:"page_size,omitempty" max:"500"`
	// UserCacheTTL is how long the user list stays cached.
	UserCacheTTL string `toml:"user_cache_ttl,omitempty" kind:"duration"`
}

// Prep is the [prep] table: how photos are cropped and encoded.
type Prep struct {
	Crop    string `toml:"crop,omitempty" kind:"choice" choices:"face,smart,center"`
	Format  string `toml:"format,omitempty" kind:"choice" choices:"jpeg,png"`
	Quality int    `toml:"quality,omitempty" max:"100"`
}

// UI is the [ui] table: how the terminal interface looks.
type UI struct {
	// Graphics is how photos are drawn: auto (ask the terminal), kitty,
	// sixel, iterm, blocks (half blocks), quadrants, sextants or none.
	Graphics string `toml:"graphics,omitempty" kind:"choice" choices:"auto,kitty,sixel,iterm,blocks,quadrants,sextants,none"`
}

// Config is the whole file. A nil platform table means the platform is not
// used. Values left empty take the documented defaults (see Default).
type Config struct {
	// Journal is the upload journal's path ("" : the default location).
	Journal string `toml:"journal,omitempty"`
	// AllowHTTP permits http:// base URLs to hosts other than this machine
	// (credentials then cross the network in clear text).
	AllowHTTP bool      `toml:"allow_http,omitempty"`
	Zoom      *Zoom     `toml:"zoom,omitempty"`
	Rhombus   *Rhombus  `toml:"rhombus,omitempty"`
	Igloo     *Igloo    `toml:"igloo,omitempty"`
	Interact  *Interact `toml:"interact,omitempty"`
	Netex     *Netex    `toml:"netex,omitempty"`
	Prep      *Prep     `toml:"prep,omitempty"`
	UI        *UI       `toml:"ui,omitempty"`

	// env remembers the file's value of every key an environment variable
	// overrode ("zoom.client_secret" -> file value), so Save writes the
	// file's value back rather than the environment's.
	env map[string]envOverride
	// warnings are what Load found worth saying but not refusing.
	warnings []string
}

type envOverride struct {
	variable string // HEADSHOT_ZOOM_CLIENT_SECRET
	file     string // the value the file had ("" when absent)
	value    string // the value the environment gave
}

// EnvConfig names the environment variable that selects the config file.
const EnvConfig = "HEADSHOT_CONFIG"

// DefaultPath is where the config lives: $HEADSHOT_CONFIG if set, else
// $XDG_CONFIG_HOME/headshot/config.toml, else ~/.config/headshot/config.toml.
// A --config flag, handled by the caller, wins over all of these.
func DefaultPath() string {
	if p := os.Getenv(EnvConfig); p != "" {
		return p
	}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "headshot", "config.toml")
}

// Resolve picks the config path: flag (from --config) if set, else DefaultPath.
func Resolve(flag string) string {
	if flag != "" {
		return flag
	}
	return DefaultPath()
}

// IsNotExist reports whether Load failed because the file does not exist
// (the caller then offers guided setup).
func IsNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }

// Platforms lists the configured platforms in display order.
func (c *Config) Platforms() []upload.Platform {
	var out []upload.Platform
	for _, p := range upload.Platforms {
		if c.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// Has reports whether platform p has a table.
func (c *Config) Has(p upload.Platform) bool {
	switch p {
	case upload.Zoom:
		return c.Zoom != nil
	case upload.Rhombus:
		return c.Rhombus != nil
	case upload.Igloo:
		return c.Igloo != nil
	case upload.Interact:
		return c.Interact != nil
	case upload.Netex:
		return c.Netex != nil
	}
	return false
}

// Enable adds an empty table for p if it has none.
func (c *Config) Enable(p upload.Platform) {
	switch p {
	case upload.Zoom:
		if c.Zoom == nil {
			c.Zoom = &Zoom{}
		}
	case upload.Rhombus:
		if c.Rhombus == nil {
			c.Rhombus = &Rhombus{}
		}
	case upload.Igloo:
		if c.Igloo == nil {
			c.Igloo = &Igloo{}
		}
	case upload.Interact:
		if c.Interact == nil {
			c.Interact = &Interact{}
		}
	case upload.Netex:
		if c.Netex == nil {
			c.Netex = &Netex{}
		}
	}
}

// Disable removes p's table (and its values).
func (c *Config) Disable(p upload.Platform) {
	switch p {
	case upload.Zoom:
		c.Zoom = nil
	case upload.Rhombus:
		c.Rhombus = nil
	case upload.Igloo:
		c.Igloo = nil
	case upload.Interact:
		c.Interact = nil
	case upload.Netex:
		c.Netex = nil
	}
}

// Clone is a deep copy.
func (c *Config) Clone() *Config {
	out := &Config{Journal: c.Journal, AllowHTTP: c.AllowHTTP, warnings: c.warnings}
	if c.Zoom != nil {
		v := *c.Zoom
		out.Zoom = &v
	}
	if c.Rhombus != nil {
		v := *c.Rhombus
		out.Rhombus = &v
	}
	if c.Igloo != nil {
		v := *c.Igloo
		out.Igloo = &v
	}
	if c.Interact != nil {
		v := *c.Interact
		out.Interact = &v
	}
	if c.Netex != nil {
		v := *c.Netex
		out.Netex = &v
	}
	if c.Prep != nil {
		v := *c.Prep
		out.Prep = &v
	}
	if c.UI != nil {
		v := *c.UI
		out.UI = &v
	}
	if c.env != nil {
		out.env = make(map[string]envOverride, len(c.env))
		for k, v := range c.env {
			out.env[k] = v
		}
	}
	return out
}
