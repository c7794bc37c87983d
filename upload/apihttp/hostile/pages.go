package hostile

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// PageTokenIgnored serves h, except that GET requests to a path ending in
// listPath lose their page-token parameter: the server answers the first
// page again, with a next token, forever. Every list request is counted;
// past limit the list fails (500), so a client without a guard ends the
// test instead of paging for minutes. It returns the server's URL and the
// count.
func PageTokenIgnored(t *testing.T, h http.Handler, listPath, tokenParam string, limit int64) (string, *atomic.Int64) {
	t.Helper()
	var pages atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, listPath) {
			if pages.Add(1) > limit {
				http.Error(w, "enough", http.StatusInternalServerError)
				return
			}
			q := r.URL.Query()
			q.Del(tokenParam)
			r.URL.RawQuery = q.Encode()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &pages
}
