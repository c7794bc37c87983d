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
	Table    string // a platform's name, "prep" or "ui"
	Key      string // TOML key, e.g. "client_secret"
	Kind     Kind
	Choices  []string // KindChoice
	Required bool     // the platform cannot work without it
	Default  string   // documented default ("" : none)
	Max      int64    // upper bound for KindInt (0: none)
	Digits   bool     // KindText that must be a number (ids like a domain id)
	index    []int    // of the settings struct field (embedded structs flattened)
}

// Secret reports whether the field holds a credential.
func (f Field) Secret() bool { return f.Kind == KindSecret }

// EnvVar is the environment variable that overrides the field.
func (f Field) EnvVar() string {
	return "HEADSHOT_" + strings.ToUpper(f.Table) + "_" + strings.ToUpper(f.Key)
}

// tableDef is one table of the file: a registered platform's, or [prep].
type tableDef struct {
	name     string
	defaults reflect.Value // the settings struct holding the defaults
}

func tableDefs() []tableDef {
	var out []tableDef
	for _, p := range upload.Platforms() {
		d, _ := upload.Lookup(p)
		out = append(out, tableDef{name: string(p), defaults: reflect.ValueOf(d.Defaults())})
	}
	return append(out, tableDef{name: "prep", defaults: reflect.ValueOf(prepDefaults())},
		tableDef{name: "ui", defaults: reflect.ValueOf(uiDefaults())})
}

func findTable(name string) (tableDef, bool) {
	for _, t := range tableDefs() {
		if t.name == name {
			return t, true
		}
	}
	return tableDef{}, false
}

// Tables lists the config's tables in file order: every registered
// platform, then prep and ui.
func Tables() []string {
	var out []string
	for _, t := range tableDefs() {
		out = append(out, t.name)
	}
	return out
}

var (
	rateType     = reflect.TypeOf(upload.Rate{})
	durationType = reflect.TypeOf(time.Duration(0))
)

// Fields lists the keys of a table in file order (nil for an unknown
// table), derived from the table's settings struct: its `toml` tags name
// the keys, its `kind`, `choices`, `required`, `digits` and `max` tags and
// its field types say what they hold, its defaults are the descriptor's.
func Fields(table string) []Field {
	td, ok := findTable(table)
	if !ok {
		return nil
	}
	var out []Field
	for _, sf := range reflect.VisibleFields(td.defaults.Type()) {
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if key == "" || !sf.IsExported() || sf.Anonymous {
			continue
		}
		f := Field{Table: table, Key: key, Required: sf.Tag.Get("required") == "true", Digits: sf.Tag.Get("digits") == "true",
			Default: fieldText(td.defaults.FieldByIndex(sf.Index)), index: sf.Index}
		switch k := sf.Type.Kind(); {
		case sf.Tag.Get("kind") == "secret":
			f.Kind = KindSecret
		case sf.Tag.Get("kind") == "url":
			f.Kind = KindURL
		case sf.Tag.Get("kind") == "choice":
			f.Kind = KindChoice
			f.Choices = strings.Split(sf.Tag.Get("choices"), ",")
		case sf.Type == rateType:
			f.Kind = KindRate
		case sf.Type == durationType:
			f.Kind = KindDuration
		case k == reflect.Bool || k == reflect.Pointer && sf.Type.Elem().Kind() == reflect.Bool:
			f.Kind = KindBool
		case k == reflect.Int || k == reflect.Int64:
			f.Kind = KindInt
		}
		if m := sf.Tag.Get("max"); m != "" {
			f.Max, _ = strconv.ParseInt(m, 10, 64)
		}
		out = append(out, f)
	}
	return out
}

// Help is the setup help of a platform's key ("" when setup does not show
// it).
func (f Field) Help() string {
	if d, ok := upload.Lookup(upload.Platform(f.Table)); ok {
		for _, h := range d.Fields {
			if h.Key == f.Key {
				return h.Help
			}
		}
	}
	return ""
}

// fieldText is a settings value as the file writes it ("" when unset).
func fieldText(v reflect.Value) string {
	switch {
	case v.Type() == rateType:
		if r := v.Interface().(upload.Rate); r.N > 0 && r.Per > 0 {
			return r.String()
		}
		return ""
	case v.Type() == durationType:
		if d := time.Duration(v.Int()); d != 0 {
			return durationText(d)
		}
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		if v.Int() == 0 {
			return ""
		}
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Pointer: // *bool
		if v.IsNil() {
			return ""
		}
		return strconv.FormatBool(v.Elem().Bool())
	}
	return ""
}

// setText stores a checked value's text ("" : unset) into a settings field.
func setText(v reflect.Value, text string) {
	switch {
	case v.Type() == rateType:
		r, _ := upload.ParseRate(text) // checked; "" gives the zero rate
		v.Set(reflect.ValueOf(r))
		return
	case v.Type() == durationType:
		d, _ := time.ParseDuration(text)
		v.SetInt(int64(d))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Int, reflect.Int64:
		n, _ := strconv.ParseInt(text, 10, 64)
		v.SetInt(n)
	case reflect.Bool:
		v.SetBool(text == "true")
	case reflect.Pointer: // *bool
		if text == "" {
			v.SetZero()
		} else {
			b := text == "true"
			v.Set(reflect.ValueOf(&b))
		}
	}
}

// durationText is d the way people write it: 1m rather than 1m0s.
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
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
	switch {
	case name == "prep" && c.Prep != nil:
		return reflect.ValueOf(c.Prep).Elem()
	case name == "ui" && c.UI != nil:
		return reflect.ValueOf(c.UI).Elem()
	case name == "prep" || name == "ui":
		return reflect.Value{}
	}
	t, ok := c.tables[upload.Platform(name)]
	if !ok {
		return reflect.Value{}
	}
	return reflect.ValueOf(t).Elem()
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
	return fieldText(tv.FieldByIndex(f.index))
}

// Value is the key's value, or its default when unset.
func (c *Config) Value(table, key string) string {
	if v := c.Get(table, key); v != "" {
		return v
	}
	f, _ := FieldOf(table, key)
	return f.Default
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
	setText(c.table(table).FieldByIndex(f.index), value)
	return nil
}

func (c *Config) enableTable(name string) {
	switch name {
	case "prep":
		if c.Prep == nil {
			c.Prep = &Prep{}
		}
	case "ui":
		if c.UI == nil {
			c.UI = &UI{}
		}
	default:
		c.Enable(upload.Platform(name))
	}
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
