package zoom_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/zoom"
)

const (
	leakClientID     = "CLIENTID-zoom-8c1e5d"
	leakClientSecret = "SECRET-zoom-f00dfeed42"
	leakAccessToken  = "ACCESSTOKEN-zoom-b4dc0ffee9"
)

// A server that echoes credentials back (in a 401, a 500, an HTML page, a
// redirect Location, response headers) never makes the client quote them,
// and no credential is forwarded to another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakClientID, leakClientSecret, leakAccessToken}
	for _, tokenToo := range []bool{false, true} {
		hostile.Leaks(t, fmt.Sprintf("token-endpoint-hostile=%v/", tokenToo), secrets, nil, nil, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
			goodToken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, `{"access_token":"`+leakAccessToken+`","token_type":"bearer","expires_in":3600}`)
			}))
			t.Cleanup(goodToken.Close)
			c := zoom.Defaults()
			c.BaseURL, c.TokenURL = base+"/v2", goodToken.URL+"/oauth/token"
			if tokenToo {
				c.TokenURL = base + "/oauth/token"
			}
			c.AccountID, c.ClientID, c.ClientSecret = "acct-1", leakClientID, leakClientSecret
			c.Timeout = 5 * time.Second
			hostile.Calls(t, ctx, newClient(t, c), check, jane, upload.Target{Person: jane, ID: "u1"}, photo(t))
		})
	}
	hostile.NoSecret(t, "config", secrets, nil, zoom.Config{ClientID: leakClientID, ClientSecret: leakClientSecret})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) are clear *upload.Errors
// for lookups and never a panic; an upload either succeeds or fails as one.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		hostile.GarbageRefused(t, ctx, garbageClient(t, base), jane, upload.Target{Person: jane, ID: jane}, photo(t))
	})
}

func garbageClient(t *testing.T, url string) *zoom.Client {
	tok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"access_token":"tok-123456","token_type":"bearer","expires_in":3600}`)
	}))
	t.Cleanup(tok.Close)
	c := zoom.Defaults()
	c.BaseURL, c.TokenURL, c.AccountID, c.ClientID, c.ClientSecret = url, tok.URL, "a", "id-1234", "secret-1234"
	c.Timeout = 5 * time.Second
	return newClient(t, c)
}

// A secret pasted into base_url or token_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	const sec = hostile.URLSecret
	for _, key := range []string{"base_url", "token_url"} {
		hostile.NewRefusesURLs(t, key, []string{sec, "https://u:" + sec + "@zoom.us", "https://zoom.us/?k=" + sec}, func(raw string) zoom.Config {
			c := zoom.Defaults()
			c.AccountID, c.ClientID, c.ClientSecret = "a", "b", "c"
			if key == "base_url" {
				c.BaseURL = raw
			} else {
				c.TokenURL = raw
			}
			return c
		}, zoom.New)
	}
}

// A person key or id of "." or ".." never becomes a path segment (a
// server would resolve it to another endpoint); nothing is sent.
func TestDotSegmentsRefusedLocally(t *testing.T) {
	h := hostile.New(t, hostile.Echo500, nil, nil, nil)
	cl := garbageClient(t, h.URL)
	for _, k := range []string{".", ".."} {
		if _, err := cl.Resolve(context.Background(), k); upload.ClassOf(err) != upload.ClassNotFound {
			t.Errorf("Resolve(%q): %v", k, err)
		} else if e, _ := upload.AsError(err); !e.Local {
			t.Errorf("Resolve(%q) was sent", k)
		}
		_, err := cl.Upload(context.Background(), upload.Target{Person: "x", ID: k}, photo(t))
		if e, ok := upload.AsError(err); !ok || !e.Local {
			t.Errorf("Upload(%q): %v", k, err)
		}
	}
}

// What a server says about a user or an upload (display name,
// Content-Location) is kept bounded and free of control characters.
func TestServerStringsInResultsAreClean(t *testing.T) {
	evil := "\x1b]0;pwned\x07Jane\x1b[2J" + strings.Repeat("x", 5000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// Go refuses control bytes in a header, not bidi overrides or length.
			w.Header().Set("Content-Location", "/x\u202eevil\u200b"+strings.Repeat("y", 5000))
			w.WriteHeader(http.StatusCreated)
			return
		}
		name, _ := json.Marshal(evil)
		fmt.Fprintf(w, `{"id":"u1","email":"jane.doe@example.com","display_name":%s}`, name)
	}))
	defer srv.Close()
	cl := garbageClient(t, srv.URL)
	tg, err := cl.Resolve(context.Background(), jane)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := cl.Upload(context.Background(), tg, photo(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{tg.Name, rc.Detail} {
		if strings.ContainsAny(s, "\x1b\x07\u202e\u200b") || len(s) > 1000 {
			t.Errorf("unclean: %q", s[:min(len(s), 80)])
		}
	}
}

// Printing a client (as a debugging line might) shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	hostile.PrintsNoSecret(t, garbageClient(t, "https://api.example"), "secret-1234", "key-123456")
}
