package google

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/people"
)

var _ upload.PeopleLister = (*Client)(nil)

// listPageSize is users.list's largest maxResults (Google documents 500).
const listPageSize = 500

// ExpectPeople is told by the engine how many people the run looks up; the
// domain's user list is read only when it takes fewer queries than getting
// each user (upload.PeopleLister).
func (c *Client) ExpectPeople(n int) { c.users.Expect(n) }

// ListNote says why the user list was not read whole this run ("" when it
// was, or has not been needed).
func (c *Client) ListNote() string { return c.users.Note() }

// readUsers reads users.list (GET /users?customer=my_customer&maxResults=500,
// then pageToken) page after page, paced by lookup_rate, indexing each user
// by primary email, aliases and id. Whom it lacks is got alone. It stops,
// keeping what it read, when the list is refused or garbled, when it has
// listed over four times the people the run looks up (checked from the
// second page on: Google gives no total), when a page brings no user
// not read before (a page token that loops: people.Pages), or at
// people.MaxListed.
// Refused credentials and a canceled run are errors.
func (c *Client) readUsers(ctx context.Context, add func(upload.Target, ...string) bool) (string, error) {
	token := ""
	guard := people.NewPages(listPageSize)
	for page := 1; ; page++ {
		if err := c.look.Wait(ctx); err != nil {
			return "", apihttp.WaitError(ctx, Platform, err)
		}
		q := url.Values{"customer": {"my_customer"}, "maxResults": {fmt.Sprint(listPageSize)},
			"fields": {"users(id,primaryEmail,aliases,name/fullName),nextPageToken"}}
		if token != "" {
			q.Set("pageToken", token)
		}
		r, err := c.call(ctx, http.MethodGet, "/users?"+q.Encode(), "", nil)
		if err != nil {
			ue, ok := upload.AsError(err)
			if ctx.Err() != nil || (ok && (ue.Class == upload.ClassThrottled || (ue.Class == upload.ClassAuth && ue.Status != http.StatusForbidden))) {
				return "", err // the engine waits and tries again (the list read afresh)
			}
			return "the user list failed (" + upload.CleanMessage(err.Error(), 200) + "): getting each user", nil
		}
		var out struct {
			Users []struct {
				user
				Aliases []string `json:"aliases"`
			} `json:"users"`
			NextPageToken string `json:"nextPageToken"`
		}
		if json.Unmarshal(r.Body, &out) != nil {
			return "the user list answer is not one headshot reads: getting each user", nil
		}
		ids := make([]string, 0, len(out.Users))
		for _, u := range out.Users {
			if strings.TrimSpace(u.ID) == "" {
				continue
			}
			ids = append(ids, u.ID)
			name := strings.TrimSpace(u.Name.FullName)
			if name == "" {
				name = u.PrimaryEmail
			}
			keys := append([]string{u.PrimaryEmail, u.ID}, u.Aliases...)
			if !add(upload.Target{ID: upload.CleanMessage(u.ID, 200), Name: upload.CleanMessage(name, 200)}, keys...) {
				return fmt.Sprintf("the user list holds over %d users: getting the people past them", people.MaxListed), nil
			}
		}
		switch {
		case out.NextPageToken == "" || len(out.Users) == 0:
			return "", nil
		case guard.Endless(ids):
			return "the user list does not end (a page repeats users already read): getting each user", nil
		case page*listPageSize > 4*c.users.Expected() && page >= 2:
			// Far more users than people to find: the rest is not worth it.
			return fmt.Sprintf("over %d users for %d people: getting each of the rest", page*listPageSize, c.users.Expected()), nil
		}
		token = out.NextPageToken
	}
}
