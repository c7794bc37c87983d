// Package config reads, validates and writes headshot's TOML config file:
// one table per platform (a table present means the platform is used), a
// [prep] table for how photos are prepared, and environment overrides
// (HEADSHOT_<TABLE>_<KEY>) that win over the file. It builds the platform
// clients from what it read and never shows a secret in an error or in its
// Redacted form.
package config

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"

	"headshot/upload"
)

// Prep is the [prep] table: how photos are cropped and encoded.
type Prep struct {
	Crop    string `toml:"crop" kind:"choice" choices:"face,smart,center"`
	Format  string `toml:"format" kind:"choice" choices:"jpeg,png"`
	Quality int    `toml:"quality" max:"100"`
}

// prepDefaults are [prep]'s defaults: face crop, JPEG at quality 90.
func prepDefaults() Prep { return Prep{Crop: "face", Format: "jpeg", Quality: 90} }

// UI is the [ui] table: how the terminal interface looks.
type UI struct {
	// Graphics is how photos are drawn: auto (ask the terminal), kitty,
	// sixel, iterm, blocks (half blocks), quadrants, sextants, chars (plain
	// characters, no colour) or none.
	Graphics string `toml:"graphics" kind:"choice" choices:"auto,kitty,sixel,iterm,blocks,quadrants,sextants,chars,none"`
}

// uiDefaults are [ui]'s defaults.
func uiDefaults() UI { return UI{Graphics: "auto"} }

// Config is the whole file. A platform without a table is not used. Values
// left empty take the defaults of the platform's descriptor (see Fields).
type Config struct {
	// Journal is the upload journal's path ("" : the default location).
	Journal string
	// AllowHTTP permits http:// base URLs to hosts other than this machine
	// (credentials then cross the network in clear text).
	AllowHTTP bool
	Prep      *Prep
	UI        *UI

	// tables holds each present platform table as a pointer to the
	// platform's own settings struct (e.g. *zoom.Config), decoded from
	// the file directly; unset values are zero.
	tables map[upload.Platform]any

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
	for _, p := range upload.Platforms() {
		if c.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// Has reports whether platform p has a table.
func (c *Config) Has(p upload.Platform) bool { return c.tables[p] != nil }

// Enable adds an empty table for p if it has none (nothing for a platform
// this build does not know).
func (c *Config) Enable(p upload.Platform) {
	d, ok := upload.Lookup(p)
	if !ok || c.Has(p) {
		return
	}
	if c.tables == nil {
		c.tables = map[upload.Platform]any{}
	}
	c.tables[p] = reflect.New(reflect.TypeOf(d.Defaults())).Interface()
}

// Disable removes p's table (and its values).
func (c *Config) Disable(p upload.Platform) { delete(c.tables, p) }

// Settings is platform p's table as its own settings type (nil when the
// table is absent or T is not p's type), e.g.
// config.Settings[zoom.Config](cfg, upload.Zoom).ClientSecret. Unset
// values are zero; changes go straight into the config.
func Settings[T any](c *Config, p upload.Platform) *T {
	t, _ := c.tables[p].(*T)
	return t
}

// Clone is a deep copy.
func (c *Config) Clone() *Config {
	out := &Config{Journal: c.Journal, AllowHTTP: c.AllowHTTP, warnings: c.warnings}
	for p, t := range c.tables {
		v := reflect.New(reflect.TypeOf(t).Elem())
		v.Elem().Set(reflect.ValueOf(t).Elem()) // pointer fields (*bool) are replaced, never written through
		if out.tables == nil {
			out.tables = map[upload.Platform]any{}
		}
		out.tables[p] = v.Interface()
	}
	if c.Prep != nil {
		v := *c.Prep
		out.Prep = &v
	}
	if c.UI != nil {
		v := *c.UI
		out.UI = &v
	}
	out.env = maps.Clone(c.env)
	return out
}
