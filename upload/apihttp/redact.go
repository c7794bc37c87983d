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
// URL-, HTML-escaped, in any letter case, and base64-encoded (standard or
// URL alphabet, alone or inside a longer encoded text such as an echoed
// "X-ApiKey: secret" line).
func Redact(s string, secrets ...string) string {
	if s == "" {
		return s
	}
	return redactAll(s, variants(secrets))
}

// variant is one spelling of a secret; fold: match in any letter case.
type variant struct {
	text string
	fold bool
}

// minFragment is the shortest base64 fragment of a secret that is looked
// for inside longer encoded text (shorter ones would match by chance).
const minFragment = 8

// variants expands secrets into their echoed spellings, longest first so a
// spelling that contains another is replaced whole.
func variants(secrets []string) []variant {
	seen := map[string]bool{}
	var out []variant
	add := func(v string, fold bool) {
		key := v
		if fold {
			key = "\x00" + asciiLower(v)
		}
		if len(v) >= minSecret && !seen[key] {
			seen[key] = true
			out = append(out, variant{v, fold})
		}
	}
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < minSecret {
			continue
		}
		add(s, true)
		if j, err := json.Marshal(s); err == nil {
			add(strings.Trim(string(j), `"`), true)
		}
		add(url.QueryEscape(s), true)
		add(url.PathEscape(s), true)
		add(html.EscapeString(s), true)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			add(enc.EncodeToString([]byte(s)), false)
			add(strings.TrimRight(enc.EncodeToString([]byte(s)), "="), false)
			for _, f := range base64Fragments(enc, s) {
				add(f, false)
			}
		}
	}
	// Longest first: "Bearer abc" before "abc".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].text) > len(out[j-1].text); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// base64Fragments are the characters that encode s wherever it sits in a
// longer text: base64 turns each 3 bytes into 4 characters of 6 bits, so s
// starts at one of three offsets in a group, and for each offset the
// characters whose 6 bits all come from s are the same whatever surrounds
// it. s is encoded after off placeholder bytes; the characters touching
// them and the one after s's last whole 6 bits are dropped.
func base64Fragments(enc *base64.Encoding, s string) []string {
	var out []string
	for off := 0; off < 3; off++ {
		e := enc.EncodeToString([]byte(strings.Repeat("\x00", off) + s))
		first := (8*off + 5) / 6       // characters with placeholder bits
		last := 8 * (off + len(s)) / 6 // characters made of whole bytes so far
		if last-first >= minFragment {
			out = append(out, e[first:last])
		}
	}
	return out
}

// redactAll replaces every variant in s. s is lower-cased once for the
// case-blind spellings (a 64 MB user list is not copied per spelling).
func redactAll(s string, vs []variant) string {
	ls := ""
	for _, v := range vs {
		if !v.fold {
			if strings.Contains(s, v.text) {
				s = strings.ReplaceAll(s, v.text, Redacted)
				ls = ""
			}
			continue
		}
		if ls == "" {
			ls = asciiLower(s)
		}
		if strings.Contains(ls, asciiLower(v.text)) {
			s = replaceFold(s, v.text)
			ls = ""
		}
	}
	return s
}

// replaceFold replaces every occurrence of v in s, ignoring ASCII letter
// case (byte offsets stay those of s).
func replaceFold(s, v string) string {
	ls, lv := asciiLower(s), asciiLower(v)
	if !strings.Contains(ls, lv) {
		return s
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(ls[i:], lv)
		if j < 0 {
			break
		}
		b.WriteString(s[i : i+j])
		b.WriteString(Redacted)
		i += j + len(lv)
	}
	b.WriteString(s[i:])
	return b.String()
}

// asciiLower lower-cases ASCII letters only, so the result has s's length.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// redactResponse removes secrets from everything of r a client may quote:
// the body and every header value (Location, Content-Location, ...).
func redactResponse(r *Response, secrets []string) {
	vs := variants(secrets)
	if len(vs) == 0 {
		return
	}
	body := string(r.Body)
	if clean := redactAll(body, vs); clean != body {
		r.Body = []byte(clean)
	}
	for name, vals := range r.Header {
		for i, val := range vals {
			r.Header[name][i] = redactAll(val, vs)
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
