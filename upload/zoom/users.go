package zoom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/people"
)

// listPageSize is List users' largest page_size (Zoom documents 300).
const listPageSize = 300

// ExpectPeople is told by the engine how many people the run looks up; the
// user list is read only when it takes fewer requests than getting each
// user (upload.PeopleLister).
func (c *Client) ExpectPeople(n int) { c.users.Expect(n) }

// ListNote says why the user list was not read whole this run ("" when it
// was, or has not been needed).
func (c *Client) ListNote() string { return c.users.Note() }

// readUsers reads GET /users?status=active&page_size=300 page after page
// (next_page_token), indexing each user by email and id. Users the active
// list does not hold (inactive, pending, an alias) are then looked up one
// by one. It stops, keeping what it read, when the first page shows the
// rest would take more requests than the people expected, when the list
// is refused (a missing user:read:list_users:admin scope, say) or garbled,
// when a page brings no user not read before (the server ignores the page
// token, or loops: people.Pages), or at people.MaxListed. Refused credentials and a canceled run are
// errors.
func (c *Client) readUsers(ctx context.Context, add func(upload.Target, ...string) bool) (string, error) {
	token := ""
	guard := people.NewPages(listPageSize)
	for page := 1; ; page++ {
		if err := c.listLim.Wait(ctx); err != nil {
			return "", apihttp.WaitError(ctx, upload.Zoom, err)
		}
		q := url.Values{"status": {"active"}, "page_size": {strconv.Itoa(listPageSize)}}
		if token != "" {
			q.Set("next_page_token", token)
		}
		r, err := c.call(ctx, http.MethodGet, "/users?"+q.Encode(), "", nil)
		if err != nil {
			if ue, ok := upload.AsError(err); ctx.Err() != nil || (ok && ue.Class == upload.ClassAuth && ue.Code != codeMissingScope) {
				return "", err
			}
			return "the user list failed (" + upload.CleanMessage(err.Error(), 200) + "): getting each user", nil
		}
		var out struct {
			Users         *[]user `json:"users"`
			TotalRecords  int     `json:"total_records"`
			NextPageToken string  `json:"next_page_token"`
		}
		if json.Unmarshal(r.Body, &out) != nil || out.Users == nil {
			return "the user list answer is not one headshot reads: getting each user", nil
		}
		ids := make([]string, 0, len(*out.Users))
		for _, u := range *out.Users {
			if strings.TrimSpace(u.ID) == "" {
				continue
			}
			ids = append(ids, u.ID)
			if !add(upload.Target{ID: u.ID, Name: upload.CleanMessage(u.name(), 200)}, u.Email, u.ID) {
				return fmt.Sprintf("the user list holds over %d users: getting the people past them", people.MaxListed), nil
			}
		}
		n := len(*out.Users)
		switch {
		case out.NextPageToken == "" || n == 0:
			return "", nil
		case page == 1 && !c.users.Worth(out.TotalRecords, n, n):
			return fmt.Sprintf("%d users: getting %d people takes fewer requests than listing them", out.TotalRecords, c.users.Expected()), nil
		case guard.Endless(ids):
			return "the user list does not end (a page repeats users already read): getting each user", nil
		}
		token = out.NextPageToken
	}
}

// name is the display name, else first and last name.
func (u user) name() string {
	if n := strings.TrimSpace(u.DisplayName); n != "" {
		return n
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}
