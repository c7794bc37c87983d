package upload

import (
	"errors"
	"fmt"
	"time"

	"headshot/imageprep/textsafe"
)

// MaxMessage is the most runes of a platform's words an Error keeps and
// prints: servers can answer with megabytes.
const MaxMessage = 500

// CleanMessage makes text from a server or a file name fit to store and
// print: control characters (C0, DEL, C1, ESC), bidi and zero-width
// characters and invalid UTF-8 replaced, whitespace folded, at most n
// runes (n <= 0: MaxMessage).
func CleanMessage(s string, n int) string {
	if n <= 0 {
		n = MaxMessage
	}
	return textsafe.CleanN(s, n)
}

// Class sorts failures by what the engine and the technician can do next.
type Class int

// Failure classes.
const (
	ClassNone      Class = iota
	ClassRejected        // 400: the platform refused this photo or request; not retried
	ClassTooLarge        // 413: photo over the byte limit; re-encode smaller
	ClassThrottled       // 429: slow down; RetryAfter says when
	ClassAuth            // 401/403: credentials refused
	ClassNotFound        // 404 / Zoom 1001: person unknown on the platform
	ClassServer          // 5xx or an answer that makes no sense: retryable
	ClassNetwork         // reset, refused, timeout: retryable
	ClassCanceled        // the caller canceled
)

var classNames = map[Class]string{
	ClassNone: "ok", ClassRejected: "rejected", ClassTooLarge: "too large",
	ClassThrottled: "throttled", ClassAuth: "auth", ClassNotFound: "not found",
	ClassServer: "server", ClassNetwork: "network", ClassCanceled: "canceled",
}

func (c Class) String() string {
	if s, ok := classNames[c]; ok {
		return s
	}
	return fmt.Sprintf("class(%d)", int(c))
}

// Retryable reports whether trying the same request again later may work.
func (c Class) Retryable() bool {
	return c == ClassThrottled || c == ClassServer || c == ClassNetwork
}

// CodeUnreadable is the Code of a local failure (Local true, no platform
// saw it): the photo itself could not be read or prepared (missing, empty,
// truncated, not an image). Views group it apart from a platform's refusal.
const CodeUnreadable = "unreadable"

// Error is every failure a client reports. It never holds a credential.
type Error struct {
	Platform Platform
	Class    Class
	Status   int    // HTTP status; 0 when there was no answer or the check was local
	Code     string // the platform's own error code ("300", "1001", "4702"), if any
	Message  string // the platform's own words (untrusted: sanitize before display)
	// Local is true when headshot refused before sending (type or size).
	Local bool
	// RetryAfter is how long to wait when throttled (0: the platform did not say).
	RetryAfter time.Duration
	// Size and Limit are the bytes sent and the platform's cap (ClassTooLarge).
	Size, Limit int64
	// Err is the underlying cause (network errors, decode errors).
	Err error
	// Stop is true when no request to this platform can work until the
	// technician changes something (a TLS certificate this machine does
	// not trust, a redirect to another host): the engine stops the
	// platform with Message instead of retrying every photo.
	Stop bool
	// Parts holds every sub-system's outcome when the platform reported
	// them and at least one failed (Netex sub-platforms).
	Parts []PartStatus
	// Hint, when set, is what the technician should do, where the client
	// knows better than advice by Class ("the app lacks scope X; add it
	// under Scopes in the Marketplace app" rather than "check the secret").
	Hint string
}

// Error is one line of plain text: the Code, Message and cause are
// cleaned of control characters and bounded whatever put them there.
func (e *Error) Error() string {
	s := CleanMessage(string(e.Platform), 40) + ": " + e.Class.String()
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.Code != "" {
			s += ", code " + CleanMessage(e.Code, 40)
		}
		s += ")"
	} else if e.Code != "" {
		s += " (code " + CleanMessage(e.Code, 40) + ")"
	}
	if e.Message != "" {
		s += ": " + CleanMessage(e.Message, MaxMessage)
	}
	if e.Err != nil && e.Message == "" {
		s += ": " + CleanMessage(e.Err.Error(), MaxMessage)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// AsError finds the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ClassOf is err's Class (ClassNone for nil, ClassServer for foreign errors).
func ClassOf(err error) Class {
	if err == nil {
		return ClassNone
	}
	if e, ok := AsError(err); ok {
		return e.Class
	}
	return ClassServer
}

// ClassForStatus maps an HTTP status to a Class (2xx: ClassNone).
func ClassForStatus(status int) Class {
	switch {
	case status >= 200 && status < 300:
		return ClassNone
	case status == 401 || status == 403:
		return ClassAuth
	case status == 404:
		return ClassNotFound
	case status == 413:
		return ClassTooLarge
	case status == 429:
		return ClassThrottled
	case status >= 500:
		return ClassServer
	case status >= 400:
		return ClassRejected
	}
	return ClassServer // 1xx/3xx are not answers an API client expects
}
