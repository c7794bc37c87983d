package apihttp

import (
	"context"
	"regexp"
	"strconv"

	"headshot/upload"
)

// WaitError is the error for a failed rate.Limiter Wait: a canceled or
// timed-out run as TransportError says it, else the limiter's own refusal
// (a wait past the context's deadline, say) as a local rejection.
func WaitError(ctx context.Context, p upload.Platform, err error) *upload.Error {
	if ctx.Err() != nil {
		return TransportError(ctx, p, ctx.Err())
	}
	return &upload.Error{Platform: p, Class: upload.ClassRejected, Local: true, Message: "rate limiter: " + err.Error()}
}

var bytesInMessage = regexp.MustCompile(`(\d+)\s*bytes`)

// StatedLimit is the byte limit behind a too-large refusal: the one the
// server's words state ("... 4194304 bytes"), else the first of limits
// (the configured one, then the documented one) that the photo of size
// bytes was over, else 0 (unknown: the caller shrinks from the size).
func StatedLimit(msg string, size int64, limits ...int64) int64 {
	if m := bytesInMessage.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n > 0 {
			return n
		}
	}
	for _, l := range limits {
		if l > 0 && (size == 0 || size > l) {
			return l
		}
	}
	return 0
}
