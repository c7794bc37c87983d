package zoom_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"headshot/upload/apihttp/hostile"
	"headshot/upload/sandbox"
)

// A server that ignores next_page_token (the first page again, with a
// next token, forever) is read no further than the first repeat: the
// note says the list does not end, and a user past the first page is
// still got alone. Past 50 list requests the list fails, so a reader
// without the guard ends the test instead of paging 1,000 times.
func TestUserListThatNeverEndsIsLeft(t *testing.T) {
	s := sandbox.New(sandbox.Options{Users: sandbox.Roster(400)})
	var pages *atomic.Int64
	s.URL, pages = hostile.PageTokenIgnored(t, s.Handler(), "/users", "next_page_token", 50)
	c := newClient(t, config(s))
	c.ExpectPeople(100)
	u := s.Users()[len(s.Users())-1] // past the first page of 300
	target, err := c.Resolve(context.Background(), u.Email)
	if err != nil || target.ID == "" {
		t.Fatalf("Resolve %s = %+v, %v; want the user got alone", u.Email, target, err)
	}
	if got := pages.Load(); got != 2 {
		t.Errorf("%d user list requests, want 2 (stop at the first page that repeats)", got)
	}
	if note := c.ListNote(); !strings.Contains(note, "does not end") {
		t.Errorf("list note %q does not say the list does not end", note)
	}
}
