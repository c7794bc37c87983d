package apihttp

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"headshot/upload"
)

// ConfigString prints a settings struct as `type{Field:value ...}` with the
// named secret fields shown as [redacted] (or "" when unset), for the
// String, GoString and LogValue methods of the clients' Config types: a
// Config printed with %v, %+v, %#v or logged never shows a credential.
func ConfigString(cfg any, secretFields ...string) string {
	v := reflect.ValueOf(cfg)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "<nil>"
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return "?"
	}
	secret := map[string]bool{}
	for _, f := range secretFields {
		secret[f] = true
	}
	var b strings.Builder
	b.WriteString(v.Type().String())
	b.WriteByte('{')
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.Name)
		b.WriteByte(':')
		fv := v.Field(i)
		switch {
		case secret[f.Name]:
			if fv.IsZero() {
				b.WriteString(`""`)
			} else {
				b.WriteString(Redacted)
			}
		case fv.Kind() == reflect.String:
			fmt.Fprintf(&b, "%q", fv.String())
		case fv.Kind() == reflect.Pointer && !fv.IsNil():
			fmt.Fprintf(&b, "%v", fv.Elem().Interface())
		default:
			fmt.Fprintf(&b, "%v", fv.Interface())
		}
	}
	b.WriteByte('}')
	return b.String()
}

// CheckURL validates a configured endpoint (base_url, token_url): an
// absolute http(s) URL with a host, without credentials, query or
// fragment. It returns the URL without a trailing slash. The error names
// the platform and the key but never repeats the value: a secret pasted
// into the wrong field must not end up on the screen.
func CheckURL(platform, key, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("%s: %s is missing", platform, key)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme == "":
		return "", fmt.Errorf("%s: %s is not a URL (want https://host...)", platform, key)
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%s: %s must start with https:// (or http://), not %s://", platform, key, upload.CleanMessage(u.Scheme, 12))
	case u.Host == "":
		return "", fmt.Errorf("%s: %s has no host (want https://host...)", platform, key)
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("%s: %s must not hold credentials, a query or a fragment", platform, key)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Segment escapes s for use as one URL path segment. ok is false for a
// value that cannot be one: empty, "." or ".." (which a server or proxy
// would resolve to another endpoint), or holding control characters. A
// person key comes from a file name, an id from a server: neither is
// trusted to stay inside its segment.
func Segment(s string) (escaped string, ok bool) {
	if s == "" || s == "." || s == ".." || strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "", false
	}
	return url.PathEscape(s), true
}
