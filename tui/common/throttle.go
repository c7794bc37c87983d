package common

import (
	"net/http"

	"headshot/upload"
)

// ThrottleWord names a platform's refusal to go faster by what happened:
// "quota" for a quota answered 403 (Google's Directory API), else
// "throttled" (a 429, Graph's 503 with Retry-After, or no status known).
// The panes and the failure list said "429" for all of them.
func ThrottleWord(status int) string {
	if status == http.StatusForbidden {
		return "quota"
	}
	return "throttled"
}

// ThrottleWordOf is ThrottleWord for an error (nil: "throttled").
func ThrottleWordOf(e *upload.Error) string {
	if e == nil {
		return ThrottleWord(0)
	}
	return ThrottleWord(e.Status)
}
