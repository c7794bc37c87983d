package zoom

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A token lifetime of zero, negative, or large enough to overflow a
// Duration is read as a sane positive lifetime of at most a day.
func TestTokenLifetimeBounded(t *testing.T) {
	for expires, want := range map[string]time.Duration{
		"3600": time.Hour, "0": time.Hour, "-5": time.Hour,
		"9223372036854775807": 24 * time.Hour, "18446744073": 24 * time.Hour,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"access_token":"tok-abcdef","token_type":"bearer","expires_in":%s}`, expires)
		}))
		c := Defaults()
		c.BaseURL, c.TokenURL, c.AccountID, c.ClientID, c.ClientSecret = srv.URL, srv.URL, "a", "b", "c"
		cl, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		_, ttl, err := cl.requestToken(context.Background())
		srv.Close()
		if err != nil || ttl != want {
			t.Errorf("expires_in %s: ttl %v err %v, want %v", expires, ttl, err, want)
		}
	}
}
