package m365_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/m365"
)

const (
	leakClientSecret = "SECRET-m365-f00dfeed42"
	leakAccessToken  = "ACCESSTOKEN-m365-b4dc0ffee9"
)

// goodTokenServer answers every token request with leakAccessToken.
func goodTokenServer(t *testing.T, token string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"`+token+`"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A server that echoes credentials back (in a 401, a 500, an HTML page, a
// redirect Location, response headers), as the Graph API or as the token
// endpoint, never makes the client quote them, and no credential is
// forwarded to another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakClientSecret, leakAccessToken}
	for _, tokenToo := range []bool{false, true} {
		hostile.Leaks(t, fmt.Sprintf("token-endpoint-hostile=%v/", tokenToo), secrets, nil, nil, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
			c := m365.Defaults()
			c.BaseURL, c.TokenURL = base+"/v1.0", goodTokenServer(t, leakAccessToken).URL+"/t/oauth2/v2.0/token"
			if tokenToo {
				c.TokenURL = base + "/t/oauth2/v2.0/token"
			}
			c.TenantID, c.ClientID, c.ClientSecret = "t", "client-1", leakClientSecret
			c.Timeout = 5 * time.Second
			hostile.Calls(t, ctx, newClient(t, c), check, jane, upload.Target{Person: jane, ID: "u1"}, photo(t))
		})
	}
	hostile.NoSecret(t, "config", secrets, nil, m365.Config{ClientSecret: leakClientSecret})
}

func garbageClient(t *testing.T, base string) *m365.Client {
	c := m365.Defaults()
	c.BaseURL, c.TokenURL = base, goodTokenServer(t, "tok-123456").URL
	c.TenantID, c.ClientID, c.ClientSecret = "t", "id-1234", "secret-1234"
	c.Timeout = 5 * time.Second
	return newClient(t, c)
}

// 2xx answers that make no sense are clear *upload.Errors, never a panic.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		hostile.GarbageRefused(t, ctx, garbageClient(t, base), jane, upload.Target{Person: jane, ID: "u1"}, photo(t))
	})
}

// A token endpoint answering garbage or nothing is a clear error too.
func TestGarbageTokenEndpoint(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		c := m365.Defaults()
		c.BaseURL, c.TokenURL = "https://graph.invalid/v1.0", base+"/token"
		c.TenantID, c.ClientID, c.ClientSecret = "t", "id-1234", "secret-1234"
		c.Timeout = 5 * time.Second
		hostile.WantError(t, "Check", newClient(t, c).Check(ctx))
	})
	c := m365.Defaults()
	c.TokenURL = hostile.Hanging(t).URL
	c.TenantID, c.ClientID, c.ClientSecret, c.Timeout = "t", "id-1234", "secret-1234", 300*time.Millisecond
	err := newClient(t, c).Check(context.Background())
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassNetwork {
		t.Errorf("hanging token endpoint: %v, want a network error", err)
	}
}

// A secret pasted into base_url or token_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	for _, key := range []string{"base_url", "token_url"} {
		hostile.NewRefusesURLs(t, key, hostile.BadURLs("graph.microsoft.com"), func(raw string) m365.Config {
			c := m365.Config{TenantID: "t", ClientID: "c", ClientSecret: "s"}
			if key == "base_url" {
				c.BaseURL = raw
			} else {
				c.TokenURL = raw
			}
			return c
		}, m365.New)
	}
}

// "." and ".." never become a path segment.
func TestDotSegmentsRefusedLocally(t *testing.T) {
	h := hostile.New(t, hostile.Echo500, nil, nil, nil)
	hostile.DotSegmentsRefused(t, garbageClient(t, h.URL), photo(t))
}

// Printing a client shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	hostile.PrintsNoSecret(t, garbageClient(t, "https://graph.example"), "secret-1234", "tok-123456")
}
