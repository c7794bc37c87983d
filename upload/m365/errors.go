package m365

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// graphError is Graph's error body: {"error":{"code","message","innerError"}}.
type graphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Code string `json:"code"`
		} `json:"innerError"`
	} `json:"error"`
}

// PermissionHint is what the technician must grant when Graph answers 403.
const PermissionHint = "grant the app the Microsoft Graph application permission ProfilePhoto.ReadWrite.All " +
	"and User.Read.All (or User.ReadWrite.All alone), then Grant admin consent (API permissions page of the app registration)"

// classify turns a non-2xx Graph answer into an *upload.Error.
func (c *Client) classify(r *apihttp.Response, person string, body *reqBody) *upload.Error {
	var ge graphError
	isJSON := json.Unmarshal(r.Body, &ge) == nil && ge.Error.Code != ""
	code := ge.Error.Code
	words := c.redact(upload.CleanMessage(ge.Error.Message, 300))
	e := apihttp.StatusError(Platform, r, code, words)
	lc := strings.ToLower(code + " " + ge.Error.InnerError.Code)
	switch {
	case r.Status == http.StatusTooManyRequests,
		(r.Status == http.StatusServiceUnavailable || r.Status == http.StatusGatewayTimeout) && r.Header.Get("Retry-After") != "":
		// Graph throttles with 429, and sometimes 503 or 504, with
		// Retry-After; Microsoft's Graph SDK retry handler waits it out
		// on all three (msgraph-sdk-design middleware/RetryHandler.md).
		e.Class = upload.ClassThrottled
		e.RetryAfter, _ = apihttp.RetryAfter(r.Header, time.Now())
		if words == "" {
			e.Message = "Graph is throttling this app"
		}
	case r.Status >= 500:
		// ClassServer as StatusError made it.
	case !isJSON && (r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden):
		e.Message = "access refused"
	case !isJSON && r.Status != http.StatusNotFound && r.Status != http.StatusRequestEntityTooLarge:
		// An HTML page or broken JSON is not Graph speaking: a wrong
		// base_url, a proxy, or a broken answer.
		g := c.garbage(r, "want Graph's JSON error")
		g.Status = r.Status
		return g
	case r.Status == http.StatusUnauthorized:
		e.Class = upload.ClassAuth
		e.Message = "access token refused even after asking for a new one: " + e.Message
	case r.Status == http.StatusForbidden:
		e.Class = upload.ClassAuth
		e.Message = "not allowed (" + e.Message + "): " + PermissionHint
	case noMailbox(code):
		// The user exists but has no Exchange Online mailbox: a licence
		// matter for this person, not a wrong name (the 404 it comes with
		// must not read as "no such user").
		e.Class = upload.ClassRejected
		e.Message = "the user has no Exchange Online mailbox, which Microsoft 365 needs to store a profile photo " +
			"(assign an Exchange Online licence, or set the photo in the Microsoft 365 admin center): " + e.Message
	case r.Status == http.StatusNotFound:
		e.Class = upload.ClassNotFound
		if person != "" {
			e.Message = fmt.Sprintf("Microsoft 365 has no user %q: %s", upload.CleanMessage(person, 120), e.Message)
		}
	case r.Status == http.StatusRequestEntityTooLarge || strings.Contains(lc, "toolarge") ||
		(r.Status == http.StatusBadRequest && sizeWords(words)):
		e.Class = upload.ClassTooLarge
		if body != nil {
			e.Size = int64(len(body.data))
		}
		e.Limit = apihttp.StatedLimit(words, e.Size, c.cfg.MaxBytes, DefaultMaxBytes)
	}
	return e
}

// noMailbox tells the codes Graph answers a photo write with when the user
// has no Exchange Online mailbox: ErrorNonExistentMailbox is the one the
// known-issues page documents ("Reading and updating a user's profile photo
// is only possible if the user has a mailbox"); the other two are seen for
// inactive and on-premises mailboxes.
func noMailbox(code string) bool {
	for _, c := range []string{"ErrorNonExistentMailbox", "MailboxNotEnabledForRESTAPI", "MailboxNotHostedInExchangeOnline"} {
		if strings.EqualFold(code, c) {
			return true
		}
	}
	return false
}

// sizeWords spots a 400 that is about the photo's size.
func sizeWords(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "too large") || strings.Contains(m, "size") || strings.Contains(m, "exceed")
}

// redact removes the client secret and id from text a server sent back.
func (c *Client) redact(s string) string {
	return apihttp.Redact(s, string(c.cfg.ClientSecret), c.cfg.ClientID)
}

// garbage is apihttp.Garbage with any echoed credential removed.
func (c *Client) garbage(r *apihttp.Response, what string) *upload.Error {
	g := apihttp.Garbage(Platform, r, what)
	g.Message = c.redact(g.Message)
	return g
}
