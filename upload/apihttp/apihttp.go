// Package apihttp holds the HTTP plumbing every platform client shares:
// Client (embedded by each platform's client: its *http.Client with
// timeouts, its platform, its secrets and limits, and one Do that stamps the
// User-Agent, reads a bounded body, redacts credentials and turns transport
// failures into *upload.Error), the Settings every platform's Config
// embeds, and the parsing of Retry-After. It knows no platform's API.
package apihttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"headshot/upload"
)

// DefaultTimeout bounds every request that has no tighter deadline.
const DefaultTimeout = 30 * time.Second

// MaxBody is the most of a response body a client reads.
const MaxBody = 1 << 20

// ErrRedirect is the cause of a refused redirect (another host, a
// downgrade to http, or too many hops).
var ErrRedirect = errors.New("redirect refused")

// sameHostRedirect allows a redirect only to the same scheme and host.
func sameHostRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return ErrRedirect
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Host, first.Host) || (first.Scheme == "https" && req.URL.Scheme != "https") {
		return ErrRedirect
	}
	return nil
}

// Response is a finished exchange: status, headers and the (bounded) body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// MaxListBody is the body limit for a whole-organisation user list
// (Rhombus getUsersInOrg has no paging): about 300000 users.
const MaxListBody = 64 << 20

// TransportError classes a failure that produced no HTTP answer. The message
// names what happened without echoing the URL (which may hold a secret).
func TransportError(ctx context.Context, p upload.Platform, err error) *upload.Error {
	return transportError(ctx, p, err, nil)
}

func transportError(ctx context.Context, p upload.Platform, err error, secrets []string) *upload.Error {
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return &upload.Error{Platform: p, Class: upload.ClassCanceled, Message: "canceled", Err: ctx.Err()}
	}
	msg := "network error"
	var ne net.Error
	switch {
	case errors.Is(err, ErrRedirect):
		// Final: the same request is redirected the same way every time.
		return &upload.Error{Platform: p, Class: upload.ClassServer, Err: ErrRedirect, Stop: true,
			Message: "the server redirected to another host or to plain http; headshot does not follow (check base_url)"}
	case tlsCause(err) != "":
		return &upload.Error{Platform: p, Class: upload.ClassNetwork, Stop: true, Message: tlsCause(err), Err: redactErr(stripURL(err), secrets)}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		msg = "timed out waiting for the server"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		msg = "connection reset by the server"
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = "connection refused (is the base URL right and the service up?)"
	default:
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			msg = "host not found: " + dnsErr.Name
		}
	}
	return &upload.Error{Platform: p, Class: upload.ClassNetwork, Message: msg, Err: redactErr(stripURL(err), secrets)}
}

// stripURL drops the *url.Error wrapper, whose text repeats the request URL.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// RetryAfter reads a Retry-After header given in seconds or as an HTTP date.
// ok is false when the header is absent or unreadable.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) {
			return 0, false
		}
		if secs >= MaxRetryAfter.Seconds() { // also +Inf; a float past int64 would wrap negative
			return MaxRetryAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, MaxRetryAfter), true
		}
		return 0, true
	}
	return 0, false
}

// MaxRetryAfter caps a server's Retry-After: a hostile or broken server
// must not park a platform for years (or, past int64, for a negative time).
const MaxRetryAfter = 24 * time.Hour

// StatusError builds the *upload.Error for a non-2xx answer, classed by
// status, with Retry-After read for 429. Callers fill Code and Message from
// the platform's own error body when it has one; msg is used otherwise.
func StatusError(p upload.Platform, r *Response, code, msg string) *upload.Error {
	e := &upload.Error{Platform: p, Class: upload.ClassForStatus(r.Status), Status: r.Status,
		Code: upload.CleanMessage(code, 40), Message: upload.CleanMessage(msg, upload.MaxMessage)}
	if e.Class == upload.ClassThrottled {
		e.RetryAfter, _ = RetryAfter(r.Header, time.Now())
	}
	if e.Message == "" {
		e.Message = http.StatusText(r.Status)
	}
	return e
}

// Garbage is the error for a 2xx answer whose body cannot be understood.
func Garbage(p upload.Platform, r *Response, what string) *upload.Error {
	snippet := upload.CleanMessage(string(r.Body), 80)
	return &upload.Error{Platform: p, Class: upload.ClassServer, Status: r.Status,
		Message: upload.CleanMessage(fmt.Sprintf("unexpected answer (%s): %q", what, snippet), upload.MaxMessage)}
}
