package google

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/oauthtoken"
)

// apiError is Google's error body.
type apiError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Errors  []struct {
			Message string `json:"message"`
			Domain  string `json:"domain"`
			Reason  string `json:"reason"`
		} `json:"errors"`
	} `json:"error"`
}

// reason is the first error's reason ("userRateLimitExceeded", "notFound"...).
func (a apiError) reason() string {
	for _, e := range a.Error.Errors {
		if e.Reason != "" {
			return e.Reason
		}
	}
	return a.Error.Status
}

// quotaReasons are the Directory API's "slow down" reasons (Limits and
// quotas page), answered with 403.
var quotaReasons = map[string]bool{"rateLimitExceeded": true, "userRateLimitExceeded": true, "quotaExceeded": true, "RESOURCE_EXHAUSTED": true}

// DelegationHint is what the technician must set up when Google refuses.
const DelegationHint = "in the Admin console > Security > Access and data control > API controls > Domain-wide delegation, " +
	"add the service account's client ID with the scope " + Scope + "; admin_email must be an administrator allowed to manage users"

// classify turns a non-2xx Directory API answer into an *upload.Error.
func (c *Client) classify(r *apihttp.Response, person string, body *reqBody) *upload.Error {
	var ae apiError
	isJSON := json.Unmarshal(r.Body, &ae) == nil && (ae.Error.Message != "" || ae.Error.Code != 0)
	reason := upload.CleanMessage(ae.reason(), 40)
	words := c.redact(upload.CleanMessage(ae.Error.Message, 300))
	e := apihttp.StatusError(Platform, r, reason, words)
	switch {
	case r.Status == http.StatusTooManyRequests || (isJSON && quotaReasons[ae.reason()]) ||
		(r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") != ""):
		e.Class = upload.ClassThrottled
		e.RetryAfter, _ = apihttp.RetryAfter(r.Header, time.Now())
		if words == "" {
			e.Message = "Directory API quota reached"
		}
	case r.Status >= 500:
		// ClassServer as StatusError made it.
	case !isJSON && (r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden):
		e.Message = "access refused"
	case !isJSON && r.Status != http.StatusNotFound && r.Status != http.StatusRequestEntityTooLarge:
		g := c.garbage(r, "want Google's JSON error")
		g.Status = r.Status
		return g
	case r.Status == http.StatusUnauthorized:
		e.Class = upload.ClassAuth
		e.Message = "access token refused even after asking for a new one: " + e.Message
	case r.Status == http.StatusForbidden:
		e.Class = upload.ClassAuth
		e.Message = "not authorized (" + e.Message + "): " + DelegationHint
	case r.Status == http.StatusNotFound:
		e.Class = upload.ClassNotFound
		if person != "" {
			e.Message = fmt.Sprintf("Google Workspace has no user %q: %s", upload.CleanMessage(person, 120), e.Message)
		}
	case r.Status == http.StatusRequestEntityTooLarge || (r.Status == http.StatusBadRequest && sizeWords(words)):
		e.Class = upload.ClassTooLarge
		if body != nil {
			e.Size = body.size
		}
		e.Limit = apihttp.StatedLimit(words, e.Size, c.cfg.MaxBytes, DefaultMaxBytes)
	}
	return e
}

// sizeWords spots a 400 that is about the photo's size.
func sizeWords(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "too large") || strings.Contains(m, "size") || strings.Contains(m, "exceed")
}

// tokenRefused words Google's token endpoint refusal.
func (c *Client) tokenRefused(r oauthtoken.Refusal) *upload.Error {
	words := c.redact(r.Words)
	e := &upload.Error{Platform: Platform, Class: upload.ClassForStatus(r.Status), Status: r.Status, Code: r.Code}
	if throttled, wait := r.Throttled(); throttled {
		e.Class, e.RetryAfter, e.Message = upload.ClassThrottled, wait, "token requests throttled"
	} else {
		switch {
		case r.Status >= 500:
			e.Message = "token endpoint failed"
		case r.Code == "" && words == "":
			e.Class = upload.ClassServer
			e.Message = "unexpected answer from the key file's token_uri (want Google's OAuth JSON)"
		case r.Code == "unauthorized_client" || r.Code == "access_denied":
			e.Class = upload.ClassAuth
			e.Message = "domain-wide delegation refused: " + DelegationHint
		case r.Code == "invalid_grant" && strings.Contains(strings.ToLower(words), "email"):
			e.Class = upload.ClassAuth
			e.Message = "token refused: check admin_email (an administrator of the Workspace domain)"
		default:
			e.Class = upload.ClassAuth
			e.Message = "token refused: the key may be deleted or disabled; make a new key for the service account"
		}
	}
	if words != "" {
		e.Message += " (Google says: " + words + ")"
	}
	return e
}

// redact removes the key id from text a server sent back.
func (c *Client) redact(s string) string { return apihttp.Redact(s, c.secret) }

// garbage is apihttp.Garbage with any echoed credential removed.
func (c *Client) garbage(r *apihttp.Response, what string) *upload.Error {
	g := apihttp.Garbage(Platform, r, what)
	g.Message = c.redact(g.Message)
	return g
}
