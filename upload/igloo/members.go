package igloo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/people"
)

// ExpectPeople is told by the engine how many people the run looks up; the
// member list is read only when it takes fewer requests than searching
// for each of them (upload.PeopleLister).
func (c *Client) ExpectPeople(n int) { c.members.Expect(n) }

// ListNote says why the member list was not read whole this run ("" when
// it was, or has not been needed).
func (c *Client) ListNote() string { return c.members.Note() }

// fromList finds key (an email, or else a username) in the run's member
// list. ok is false when the list does not hold them or is not used: the
// caller then searches.
func (c *Client) fromList(ctx context.Context, key string) (upload.Target, bool, error) {
	if c.cfg.MemberList == MemberListOff {
		return upload.Target{}, false, nil
	}
	t, ok, err := c.members.Find(ctx, key, c.readMembers)
	if err != nil && ctx.Err() != nil {
		return upload.Target{}, false, apihttp.TransportError(ctx, upload.Igloo, ctx.Err())
	}
	return t, ok, err
}

// readMembers reads GET /.api/api.svc/community/members/viewsmall in pages
// of list_page_size (maxcount, startindex) until totalCount, indexing each
// member by email and by username (namespace). It stops, keeping what it
// read, when the first page shows the rest would take more requests than
// the people expected, when the list is refused or garbled (the workplace
// may not offer it to this session), when a page brings no member not
// read before (the server ignores startindex, or loops: people.Pages),
// or at people.MaxListed; the lookups
// it does not serve then search. Refused credentials are an error.
func (c *Client) readMembers(ctx context.Context, add func(upload.Target, ...string) bool) (string, error) {
	size := c.cfg.ListPageSize
	guard := people.NewPages(size)
	for start, page := 0, 1; ; page++ {
		q := url.Values{"maxcount": {strconv.Itoa(size)}, "startindex": {strconv.Itoa(start)}, "orderby": {"LNameAsc"}}
		resp, err := c.lookup(ctx, "/.api/api.svc/community/members/viewsmall?"+q.Encode())
		if err != nil {
			if ue, ok := upload.AsError(err); ctx.Err() != nil || (ok && ue.Class == upload.ClassAuth) {
				return "", err
			}
			return "the member list failed (" + upload.CleanMessage(err.Error(), 200) + "): searching for each person", nil
		}
		if resp.Status < 200 || resp.Status >= 300 {
			if e := c.statusError(resp); e.Class == upload.ClassAuth {
				return "", e
			}
			return fmt.Sprintf("the member list is not offered (HTTP %d): searching for each person", resp.Status), nil
		}
		items, total, ok := decodeMemberPage(resp.Body)
		if !ok {
			return "the member list answer is not one headshot reads: searching for each person", nil
		}
		ids := make([]string, 0, len(items))
		for _, m := range items {
			if strings.TrimSpace(m.ID) == "" {
				continue
			}
			ids = append(ids, m.ID)
			t := upload.Target{ID: m.ID, Name: upload.CleanMessage(m.Name.FullName, 200)}
			if !add(t, m.Email, m.Namespace) {
				return fmt.Sprintf("the member list holds over %d members: searching for the people past them", people.MaxListed), nil
			}
		}
		start += len(items)
		switch {
		case len(items) == 0 || (total >= 0 && start >= total) || (total < 0 && len(items) < size):
			return "", nil
		case guard.Endless(ids):
			return "the member list does not end (a page repeats members already read): searching for the rest", nil
		case page == 1 && total > 0 && !c.members.Worth(total, start, len(items)):
			return fmt.Sprintf("%d members: searching for %d people takes fewer requests than listing them", total, c.members.Expected()), nil
		}
	}
}

// decodeMemberPage reads {"response":{"items":[...],"totalCount":N}}
// (totalCount a number or a numeric string; -1 when absent).
func decodeMemberPage(body []byte) (items []memberHit, total int, ok bool) {
	var out struct {
		Response *struct {
			Items      []memberHit     `json:"items"`
			TotalCount json.RawMessage `json:"totalCount"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &out) != nil || out.Response == nil {
		return nil, 0, false
	}
	total = -1
	if raw := strings.Trim(string(out.Response.TotalCount), `" `); raw != "" && raw != "null" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return nil, 0, false
		}
		total = n
	}
	return out.Response.Items, total, true
}
