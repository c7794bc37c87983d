package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/sandbox"
)

// builders turn a platform's table into its client; each platform file of
// this package registers one when its client package exists.
var builders = map[upload.Platform]func(c *Config) (upload.Client, error){}

// Client builds the client of one configured platform.
func (c *Config) Client(p upload.Platform) (upload.Client, error) {
	if !c.Has(p) {
		return nil, fmt.Errorf("%s is not configured (no [%s] table)", p.Title(), p)
	}
	var missing []string
	for _, f := range Fields(string(p)) {
		if f.Required && c.Get(f.Table, f.Key) == "" {
			missing = append(missing, f.Key+" (or "+f.EnvVar()+")")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("[%s] missing %s", p, strings.Join(missing, ", "))
	}
	build, ok := builders[p]
	if !ok {
		return nil, fmt.Errorf("%s: this build of headshot has no client for it yet", p.Title())
	}
	cl, err := build(c)
	if err != nil {
		return nil, fmt.Errorf("[%s] %w", p, err)
	}
	return cl, nil
}

// Clients builds a client for every configured platform, in display order.
// Every platform's problem is reported, not only the first.
func (c *Config) Clients() ([]upload.Client, error) {
	var out []upload.Client
	var errs []error
	for _, p := range c.Platforms() {
		cl, err := c.Client(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, cl)
	}
	if len(errs) > 0 {
		return out, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, errors.New("no platform is configured (add a [zoom], [rhombus], [igloo], [interact] or [netex] table, or run `headshot setup`)")
	}
	return out, nil
}

// PrepOptions is how photos are prepared, from [prep] (defaults: face crop,
// JPEG, quality 90, 600x600). The per-platform byte budget is the engine's.
func (c *Config) PrepOptions() imageprep.Options {
	method, _ := imageprep.ParseMethod(c.Value("prep", "crop"))
	format := imageprep.JPEG
	if c.Value("prep", "format") == "png" {
		format = imageprep.PNG
	}
	q, _ := strconv.Atoi(c.Value("prep", "quality"))
	return imageprep.Options{Crop: method, Profile: imageprep.Profile{Size: 600, Format: format, Quality: q}}
}

// FromSandbox is a config with all five platforms pointed at a running
// sandbox and its demo credentials (used by `headshot demo` and tests).
func FromSandbox(s sandbox.Credentials) *Config {
	return &Config{
		Zoom: &Zoom{BaseURL: s.Zoom.BaseURL, TokenURL: s.Zoom.TokenURL, AccountID: s.Zoom.AccountID,
			ClientID: s.Zoom.ClientID, ClientSecret: s.Zoom.ClientSecret},
		Rhombus:  &Rhombus{BaseURL: s.Rhombus.BaseURL, APIKey: s.Rhombus.APIKey},
		Igloo:    &Igloo{BaseURL: s.Igloo.BaseURL, CommunityKey: s.Igloo.CommunityKey, AppID: s.Igloo.AppID, AppPassword: s.Igloo.AppPassword, Username: s.Igloo.Username, Password: s.Igloo.Password},
		Interact: &Interact{BaseURL: s.Interact.BaseURL, DomainID: s.Interact.DomainID, APIKey: s.Interact.APIKey},
		Netex:    &Netex{BaseURL: s.Netex.BaseURL, Token: s.Netex.Token},
	}
}

// rateOr parses a set rate ("" keeps def); values were checked on Load/Set.
func rateOr(s string, def upload.Rate) upload.Rate {
	if s == "" {
		return def
	}
	if r, err := upload.ParseRate(s); err == nil {
		return r
	}
	return def
}

// durationOr parses a set duration ("" keeps def).
func durationOr(s string, def time.Duration) time.Duration {
	if s == "" {
		return def
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d
	}
	return def
}

// intOr returns n, or def when n is unset.
func intOr[T int | int64](n, def T) T {
	if n == 0 {
		return def
	}
	return n
}

// strOr returns s, or def when s is unset.
func strOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Supported reports whether this build has a client for p.
func Supported(p upload.Platform) bool {
	_, ok := builders[p]
	return ok
}
