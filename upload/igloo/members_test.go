package igloo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"headshot/upload/sandbox"
)

// hostileMemberList serves the sandbox, but the member list's pages come
// from page(startindex) and its totalCount is dropped when noTotal; every
// list request is counted, and past 100 the list fails (500) so a reader
// with no guard ends the test instead of paging for minutes.
func hostileMemberList(t *testing.T, page func(start int) int, noTotal bool) (*sandbox.Sandbox, Config, *atomic.Int64) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{RateScale: 1000})
	var pages atomic.Int64
	h := sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/community/members/viewsmall") {
			h.ServeHTTP(w, r)
			return
		}
		if pages.Add(1) > 100 {
			http.Error(w, "enough", http.StatusInternalServerError)
			return
		}
		q := r.URL.Query()
		start, _ := strconv.Atoi(q.Get("startindex"))
		q.Set("startindex", strconv.Itoa(page(start)))
		r2 := r.Clone(r.Context())
		r2.URL.RawQuery = q.Encode()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r2)
		body := rec.Body.Bytes()
		if noTotal && rec.Code == http.StatusOK {
			var out map[string]any
			if err := json.Unmarshal(body, &out); err != nil {
				t.Errorf("sandbox member page: %v", err)
			}
			if resp, ok := out["response"].(map[string]any); ok {
				delete(resp, "totalCount")
			}
			body, _ = json.Marshal(out)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cfg := sandboxConfig(sb)
	cfg.ListPageSize = 5
	return sb, cfg, &pages
}

// A server whose member pages never end (it answers the first page again
// whatever the startindex, with or without a totalCount, or loops back to
// the start after two pages) is read no further than the first repeat:
// the note says the list does not end, and the person past the pages
// read is still found by searching.
func TestMemberListThatNeverEndsIsLeft(t *testing.T) {
	for _, c := range []struct {
		name    string
		page    func(int) int
		noTotal bool
		want    int64 // list requests
	}{
		{"same page, no total", func(int) int { return 0 }, true, 2},
		{"same page, a total", func(int) int { return 0 }, false, 2},
		{"loops back after two pages", func(s int) int { return s % 10 }, true, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb, cfg, pages := hostileMemberList(t, c.page, c.noTotal)
			cl := newClient(t, cfg)
			cl.ExpectPeople(100)
			u := sb.Users()[40] // past every page the hostile list serves
			target, err := cl.Resolve(context.Background(), u.Email)
			if err != nil || target.ID != u.GUID {
				t.Fatalf("Resolve %s = %+v, %v; want %s found by search", u.Email, target, err, u.GUID)
			}
			if got := pages.Load(); got != c.want {
				t.Errorf("%d member list requests, want %d (stop at the first page that repeats)", got, c.want)
			}
			if note := cl.ListNote(); !strings.Contains(note, "does not end") {
				t.Errorf("list note %q does not say the list does not end", note)
			}
		})
	}
}
