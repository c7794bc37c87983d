package config

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"headshot/upload"
)

// Kind says what a field holds, so setup, validation and redaction treat
// every key alike.
type Kind int

// Field kinds.
const (
	KindText     Kind = iota // free text (ids, user names)
	KindSecret               // a credential: masked, never printed
	KindURL                  // an http(s) URL
	KindRate                 // N/s, N/min ... (upload.ParseRate)
	KindInt                  // a positive whole number
	KindDuration             // a Go duration: 30s, 2m
	KindChoice               // one of Choices
	KindBool                 // true or false
)

// Field describes one key of one table.
type Field struct {
	Table    string // "zoom", "rhombus", "igloo", "interact", "netex", "prep" or "ui"
	Key      string // TOML key, e.g. "client_secret"
	Kind     Kind
	Choices  []string // KindChoice
	Required bool     // the platform cannot work without it
	Default  string   // documented default ("" : none)
	Max      int64    // upper bound for KindInt (0: none)
	Digits   bool     // KindText that must be a number (ids like a domain id)
	index    int
}

// Secret reports whether the field holds a credential.
func (f Field) Secret() bool { return f.Kind == KindSecret }

// EnvVar is the environment variable that overrides the field.
func (f Field) EnvVar() string {
	return "HEADSHOT_" + strings.ToUpper(f.Table) + "_" + strings.ToUpper(f.Key)
}

// Tables lists the config's tables in file order.
var Tables = []string{"zoom", "rhombus", "igloo", "interact", "netex", "prep", "ui"}

// defaults are the documented values of ../shared/platforms.md and the
// client conventions; empty values are never written to the file.
var defaults = map[string]map[string]string{
	"zoom": {"base_url": "https://api.zoom.us/v2", "token_url": "https://zoom.us/oauth/token",
		"rate": "20/s", "concurrency": "4", "max_bytes": "2097152", "timeout": "30s", "token_margin": "1m"},
	"rhombus": {"base_url": "https://api2.rhombussystems.com", "auth_scheme": "api-token",
		"rate": "10/s", "concurrency": "4", "batch_size": "100", "max_bytes": "5242880", "timeout": "30s",
		"part_name": "files", "users_ttl": "5m"},
	"igloo": {"rate": "5/s", "concurrency": "4", "chunk_size": "262144", "max_bytes": "5242880", "timeout": "30s",
		"max_resumes": "5", "resume_delay": "250ms"},
	"interact": {"api_key_header": "X-ApiKey", "person_route": "username", "username_from_email": "true", "rate": "6/min",
		"concurrency": "1", "max_bytes": "5242880", "timeout": "30s"},
	"netex": {"path_prefix": "/integration/ws/management/rest", "synchronization": "synchronous",
		"rate": "5/s", "concurrency": "4", "max_bytes": "5242880", "timeout": "30s",
		"accept": "application/vnd.netex.nlc-api.v1.0.1+json", "page_size": "500", "user_cache_ttl": "5m"},
	"prep": {"crop": "face", "format": "jpeg", "quality": "90"},
	"ui":   {"graphics": "auto"},
}

var tableTypes = map[string]reflect.Type{
	"zoom":     reflect.TypeOf(Zoom{}),
	"rhombus":  reflect.TypeOf(Rhombus{}),
	"igloo":    reflect.TypeOf(Igloo{}),
	"interact": reflect.TypeOf(Interact{}),
	"netex":    reflect.TypeOf(Netex{}),
	"prep":     reflect.TypeOf(Prep{}),
	"ui":       reflect.TypeOf(UI{}),
}

// Fields lists the keys of a table in file order (nil for an unknown table).
func Fields(table string) []Field {
	t, ok := tableTypes[table]
	if !ok {
		return nil
	}
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		f := Field{Table: table, Key: key, Required: sf.Tag.Get("required") == "true", Digits: sf.Tag.Get("digits") == "true",
			Default: defaults[table][key], index: i}
		switch sf.Tag.Get("kind") {
		case "secret":
			f.Kind = KindSecret
		case "url":
			f.Kind = KindURL
		case "rate":
			f.Kind = KindRate
		case "duration":
			f.Kind = KindDuration
		case "bool":
			f.Kind = KindBool
		case "choice":
			f.Kind = KindChoice
			f.Choices = strings.Split(sf.Tag.Get("choices"), ",")
		default:
			if k := sf.Type.Kind(); k == reflect.Int || k == reflect.Int64 {
				f.Kind = KindInt
			}
		}
		if m := sf.Tag.Get("max"); m != "" {
			f.Max, _ = strconv.ParseInt(m, 10, 64)
		}
		out = append(out, f)
	}
	return out
}

// FieldOf finds one field.
func FieldOf(table, key string) (Field, bool) {
	for _, f := range Fields(table) {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Check validates a value typed for the field and says what is wrong in
// words that never repeat a secret. An empty value is valid (it means the
// default, or "missing" for required keys, which Missing reports).
func (f Field) Check(value string) error {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil
	}
	switch f.Kind {
	case KindURL:
		return checkURL(v)
	case KindRate:
		if _, err := upload.ParseRate(v); err != nil {
			return fmt.Errorf("%q is not a rate (want N/s or N/min, e.g. %s)", v, orDefault(f.Default, "5/s"))
		}
	case KindInt:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		return f.checkInt(n)
	case KindDuration:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a duration (want e.g. 30s or 2m)", v)
		}
	case KindChoice:
		for _, c := range f.Choices {
			if v == c {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, strings.Join(f.Choices, ", "))
	case KindBool:
		if v != "true" && v != "false" {
			return fmt.Errorf("%q is not true or false", v)
		}
	case KindSecret, KindText:
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("contains a line break or NUL")
		}
		if f.Digits && strings.Trim(v, "0123456789") != "" {
			return fmt.Errorf("%q is not a number (digits only)", v)
		}
	}
	return nil
}

func (f Field) checkInt(n int64) error {
	if n <= 0 {
		return fmt.Errorf("%d: must be a positive whole number", n)
	}
	if f.Max > 0 && n > f.Max {
		return fmt.Errorf("%d: must be at most %d", n, f.Max)
	}
	return nil
}

func orDefault(s, d string) string {
	if s != "" {
		return s
	}
	return d
}

// checkURL accepts absolute http(s) URLs with a host and no user info (a
// password in a URL would end up in logs). The message never echoes a URL
// at all: a secret pasted into a URL field must not appear on the screen.
func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Errorf("is not a URL (want https://host/...)")
	}
	if u.User != nil {
		return fmt.Errorf("must not contain a user name or password (put credentials in their own keys)")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("is not an http(s) URL (want https://host/...)")
	}
	if u.Host == "" {
		return fmt.Errorf("has no host (want https://host/...)")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must not have a query or fragment")
	}
	return nil
}

// table returns the addressable struct value of a table (invalid if absent).
func (c *Config) table(name string) reflect.Value {
	v := reflect.ValueOf(c).Elem()
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if key == name && sf.Type.Kind() == reflect.Pointer {
			if v.Field(i).IsNil() {
				return reflect.Value{}
			}
			return v.Field(i).Elem()
		}
	}
	return reflect.Value{}
}

// HasTable reports whether the table is present.
func (c *Config) HasTable(name string) bool { return c.table(name).IsValid() }

// Get returns a key's current value as text ("" when unset or the table is
// absent; defaults are not filled in).
func (c *Config) Get(table, key string) string {
	tv := c.table(table)
	f, ok := FieldOf(table, key)
	if !tv.IsValid() || !ok {
		return ""
	}
	fv := tv.Field(f.index)
	switch fv.Kind() {
	case reflect.String:
		return fv.String()
	case reflect.Int, reflect.Int64:
		if fv.Int() == 0 {
			return ""
		}
		return strconv.FormatInt(fv.Int(), 10)
	case reflect.Pointer: // *bool
		if fv.IsNil() {
			return ""
		}
		return strconv.FormatBool(fv.Elem().Bool())
	}
	return ""
}

// Value is the key's value, or its default when unset.
func (c *Config) Value(table, key string) string {
	if v := c.Get(table, key); v != "" {
		return v
	}
	return defaults[table][key]
}

// Set validates and stores a key's value, adding the table if absent. ""
// clears the key (back to its default). The error names the table and key.
func (c *Config) Set(table, key, value string) error {
	f, ok := FieldOf(table, key)
	if !ok {
		return fmt.Errorf("[%s] %s: unknown key", table, key)
	}
	value = strings.TrimSpace(value)
	if err := f.Check(value); err != nil {
		return fmt.Errorf("[%s] %s: %w", table, key, err)
	}
	if !c.HasTable(table) {
		c.enableTable(table)
	}
	fv := c.table(table).Field(f.index)
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(value)
	case reflect.Int, reflect.Int64:
		var n int64
		if value != "" {
			n, _ = strconv.ParseInt(value, 10, 64) // checked above
		}
		fv.SetInt(n)
	case reflect.Pointer: // *bool
		if value == "" {
			fv.SetZero()
		} else {
			b := value == "true"
			fv.Set(reflect.ValueOf(&b))
		}
	}
	return nil
}

func (c *Config) enableTable(name string) {
	switch name {
	case "prep":
		if c.Prep == nil {
			c.Prep = &Prep{}
		}
		return
	case "ui":
		if c.UI == nil {
			c.UI = &UI{}
		}
		return
	}
	c.Enable(upload.Platform(name))
}

// Missing lists the required keys of the configured platforms that have no
// value (from the file or the environment), as "[zoom] client_secret".
func (c *Config) Missing() []string {
	var out []string
	for _, p := range c.Platforms() {
		for _, f := range Fields(string(p)) {
			if f.Required && c.Get(f.Table, f.Key) == "" {
				out = append(out, fmt.Sprintf("[%s] %s (or %s)", f.Table, f.Key, f.EnvVar()))
			}
		}
	}
	return out
}
