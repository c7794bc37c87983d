package setup

import (
	"fmt"
	"strings"

	"headshot/imageprep/textsafe"
	"headshot/upload"
)

// Explain turns a test-connection result into plain words a technician can
// act on, e.g. "Zoom: credentials refused: check the client secret". The
// platform's own words are sanitized and bounded; nothing here holds a
// secret because *upload.Error never does.
func Explain(p upload.Platform, err error) string {
	name := p.Title()
	if err == nil {
		return name + ": connected: credentials accepted, people can be looked up"
	}
	if inner, ok := isLookup(err); ok {
		text := Explain(p, inner)
		return name + ": signed in, but looking up a person failed:" + text[len(name)+1:]
	}
	e, ok := upload.AsError(err)
	if !ok {
		// A config problem found before anything was sent.
		return name + ": " + textsafe.CleanN(err.Error(), 200)
	}
	detail := ""
	if e.Message != "" {
		detail = " (" + textsafe.CleanN(vendorWords(e.Message), 90) + ")"
	}
	switch e.Class {
	case upload.ClassAuth:
		if e.Hint != "" { // the client knows better than a generic hint (a missing Zoom scope)
			return name + ": " + textsafe.CleanN(e.Hint, 200)
		}
		return fmt.Sprintf("%s: credentials refused: %s%s", name, descriptor(p).CredentialHint, detail)
	case upload.ClassNotFound:
		return fmt.Sprintf("%s: nothing found at that address: check %s%s", name, URLKeys(p), detail)
	case upload.ClassNetwork:
		return fmt.Sprintf("%s: cannot reach the server: check base_url and the network%s", name, detail)
	case upload.ClassThrottled:
		wait := ""
		if e.RetryAfter > 0 {
			wait = fmt.Sprintf(" in %s", e.RetryAfter.Round(1e9))
		}
		return fmt.Sprintf("%s: rate limited right now (the server answered): test again%s", name, wait)
	case upload.ClassServer:
		if e.Status >= 500 {
			return fmt.Sprintf("%s: the server failed (HTTP %d): try again later%s", name, e.Status, detail)
		}
		return fmt.Sprintf("%s: the answer was not %s's API: check %s%s", name, name, URLKeys(p), detail)
	case upload.ClassCanceled:
		return name + ": test canceled or timed out"
	}
	msg := strings.TrimSpace(textsafe.CleanN(e.Error(), 160))
	return name + ": " + msg
}

// vendorWords keeps only the platform's own words when a client's message
// quotes them ("token refused: check the client id and secret (Zoom says:
// Invalid client_id)" -> "Zoom says: Invalid client_id"): the hint before
// the brackets already says what to check, and saying it twice pushed the
// vendor's words past the cut.
func vendorWords(msg string) string {
	i := strings.Index(msg, " says: ")
	if i < 0 {
		return msg
	}
	open := strings.LastIndex(msg[:i], "(")
	if open < 0 {
		return msg
	}
	inner := msg[open+1:]
	if strings.Count(inner, ")") > strings.Count(inner, "(") {
		inner = inner[:strings.LastIndex(inner, ")")]
	}
	return inner
}

// URLKeys names the config keys holding a platform's addresses ("base_url
// and token_url" for Zoom, which signs in apart from its API): either can
// be the wrong one.
func URLKeys(p upload.Platform) string {
	keys := descriptor(p).URLKeys
	if len(keys) == 0 {
		return "base_url"
	}
	return strings.Join(keys, " and ")
}
