package apihttp

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
)

// Redacted replaces every credential found in text a server sent back.
const Redacted = "[redacted]"

// minSecret is the shortest value treated as a secret: shorter ones would
// blank out ordinary words and numbers in a server's answer.
const minSecret = 4

// sensitiveWords mark a request header (or query parameter) whose value is
// a credential: Authorization, Cookie, X-ApiKey, x-auth-apikey,
// X-Cloud-Auth-Token, and whatever a customer names their key header.
var sensitiveWords = []string{"auth", "key", "token", "secret", "password", "passwd", "cookie", "session", "signature"}

// sensitiveName reports whether a header or parameter name carries a secret.
func sensitiveName(name string) bool {
	n := strings.ToLower(name)
	if strings.Contains(n, "scheme") {
		return false // x-auth-scheme names the kind of key, not the key
	}
	for _, w := range sensitiveWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// requestSecrets collects every credential req carries: sensitive header
// values (whole, and the part after an auth scheme), cookie values, the
// user and password of Basic auth, and sensitive query parameters.
func requestSecrets(req *http.Request) []string {
	var out []string
	for name, vals := range req.Header {
		if !sensitiveName(name) {
			continue
		}
		for _, v := range vals {
			out = append(out, v)
			if _, rest, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
				out = append(out, strings.TrimSpace(rest))
			}
		}
	}
	for _, c := range req.Cookies() {
		out = append(out, c.Value)
	}
	if u, p, ok := req.BasicAuth(); ok {
		out = append(out, u, p)
	}
	if req.URL != nil {
		for name, vals := range req.URL.Query() {
			if sensitiveName(name) {
				out = append(out, vals...)
			}
		}
		if req.URL.User != nil {
			p, _ := req.URL.User.Password()
			out = append(out, p)
		}
	}
	return out
}

// Redact returns s with every secret (of at least 4 bytes) replaced by
// [redacted], in the spellings a server may echo it in: as is, JSON-,
// URL-, HTML-escaped and base64-encoded.
func Redact(s string, secrets ...string) string {
	if s == "" {
		return s
	}
	for _, v := range variants(secrets) {
		s = strings.ReplaceAll(s, v, Redacted)
	}
	return s
}

// variants expands secrets into their echoed spellings, longest first so a
// spelling that contains another is replaced whole.
func variants(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if len(v) >= minSecret && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < minSecret {
			continue
		}
		add(s)
		if j, err := json.Marshal(s); err == nil {
			add(strings.Trim(string(j), `"`))
		}
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		add(html.EscapeString(s))
		add(base64.StdEncoding.EncodeToString([]byte(s)))
		add(strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(s)), "="))
		add(base64.URLEncoding.EncodeToString([]byte(s)))
	}
	// Longest first: "Bearer abc" before "abc".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// redactResponse removes secrets from everything of r a client may quote:
// the body and every header value (Location, Content-Location, ...).
func redactResponse(r *Response, secrets []string) {
	vs := variants(secrets)
	if len(vs) == 0 {
		return
	}
	body := string(r.Body)
	changed := false
	for _, v := range vs {
		if strings.Contains(body, v) {
			body = strings.ReplaceAll(body, v, Redacted)
			changed = true
		}
	}
	if changed {
		r.Body = []byte(body)
	}
	for name, vals := range r.Header {
		for i, val := range vals {
			for _, v := range vs {
				val = strings.ReplaceAll(val, v, Redacted)
			}
			r.Header[name][i] = val
		}
	}
}

// redactErr returns err, or an error with the same text minus secrets
// when the text holds one (a transport error may quote the server's bytes).
func redactErr(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := Redact(msg, secrets...); clean != msg {
		return errors.New(clean)
	}
	return err
}
