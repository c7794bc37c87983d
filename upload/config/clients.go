package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"headshot/imageprep"
	"headshot/upload"
	_ "headshot/upload/all" // every platform this build has
)

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
	d, ok := upload.Lookup(p)
	if !ok {
		return nil, fmt.Errorf("%s: this build of headshot has no client for it yet", p.Title())
	}
	settings := reflect.New(reflect.TypeOf(c.tables[p]).Elem())
	settings.Elem().Set(reflect.ValueOf(c.tables[p]).Elem())
	upload.FillDefaults(settings.Interface(), d.Defaults())
	cl, err := d.New(settings.Elem().Interface())
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
		return nil, fmt.Errorf("no platform is configured (add a %s table, or run `headshot setup`)", tableList("or"))
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

// FromValues is a config with a table for each platform of values (table
// name -> key -> value), e.g. a sandbox's Credentials for `headshot demo`
// and tests; platforms this build has no client for are left out, and so
// is a value Set refuses (Missing then names it if it was required).
func FromValues(values map[string]map[string]string) *Config {
	c := &Config{}
	for table, kv := range values {
		if !Supported(upload.Platform(table)) {
			continue
		}
		c.Enable(upload.Platform(table))
		for k, v := range kv {
			_ = c.Set(table, k, v)
		}
	}
	return c
}

// tableList names the platform tables: "[zoom], [rhombus] or [netex]".
func tableList(and string) string {
	var names []string
	for _, p := range upload.Platforms() {
		names = append(names, "["+string(p)+"]")
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}

// Supported reports whether this build has a client for p.
func Supported(p upload.Platform) bool {
	_, ok := upload.Lookup(p)
	return ok
}

// Tenant fingerprints which tenant (account, workplace, organisation) p's
// settings point at, for the people cache: a hash of the values of its URL
// keys and its required non-secret keys (base_url, account_id,
// community_key ...), never of a credential. Ids remembered under one
// tenant are not used for another.
func (c *Config) Tenant(p upload.Platform) string {
	h := sha256.New()
	for _, f := range Fields(string(p)) {
		if f.Secret() || !(f.Kind == KindURL || f.Required) {
			continue
		}
		fmt.Fprintf(h, "%s=%s\n", f.Key, strings.TrimRight(c.Value(f.Table, f.Key), "/"))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Tenants is Tenant of every configured platform.
func (c *Config) Tenants() map[upload.Platform]string {
	out := map[upload.Platform]string{}
	for _, p := range c.Platforms() {
		out[p] = c.Tenant(p)
	}
	return out
}
