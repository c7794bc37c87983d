package apihttp

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"

	"headshot/upload"
)

// Secret is a credential held in a platform's Config. Printed with fmt
// (any verb, also as a field of a struct printed with %v, %+v or %#v) or
// logged with log/slog it shows as [redacted] ("" when unset), so a Config
// never shows one; string(s) is the value itself.
type Secret string

// String is [redacted], or "" when unset.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString is String, for %#v.
func (s Secret) GoString() string { return s.String() }

// Format prints String for every verb (%q or %x included).
func (s Secret) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// LogValue is String, for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

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
