package interact

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp/hostile"
)

const leakAPIKey = "APIKEY-interact-0ddba11cafe"

// A server that echoes the X-ApiKey back (401, 500 with the request, HTML,
// redirects, response headers) never makes the client quote it, and the
// key header (whatever it is named) never reaches another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakAPIKey}
	for _, header := range []string{"", "X-Profile-Source"} {
		for _, m := range hostile.Modes() {
			t.Run(header+"/"+string(m), func(t *testing.T) {
				h := hostile.New(t, m, secrets, nil, nil)
				c := Defaults()
				c.BaseURL, c.DomainID, c.APIKey, c.Timeout = h.URL, "1000", leakAPIKey, 5*time.Second
				if header != "" {
					c.APIKeyHeader = header
				}
				cl := newClient(t, c)
				ctx := context.Background()
				hostile.NoSecret(t, "Check", secrets, cl.Check(ctx))
				tg, err := cl.Resolve(ctx, "jane.doe@example.com")
				hostile.NoSecret(t, "Resolve", secrets, err, tg)
				rc, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "jane.doe"}, testPhoto(t))
				hostile.NoSecret(t, "Upload", secrets, err, rc)
				if f := h.Forwarded(); len(f) > 0 {
					t.Errorf("credentials forwarded to another host: %v", f)
				}
			})
		}
	}
	hostile.NoSecret(t, "config", secrets, nil, Config{APIKey: leakAPIKey})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) never cause a panic; what
// fails, fails as an *upload.Error.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	isUE := func(err error) bool { _, ok := upload.AsError(err); return ok }
	for _, m := range hostile.GarbageModes() {
		t.Run(string(m), func(t *testing.T) {
			h := hostile.New(t, m, nil, garbagePass, garbageNext)
			cl := garbageClient(t, h.URL)
			ctx := context.Background()
			// Interact has no lookup endpoint (Resolve is local) and no
			// documented answer to the check's GET: any 2xx JSON or empty
			// body passes; what fails must fail as an *upload.Error.
			if err := cl.Check(ctx); err != nil && !isUE(err) {
				t.Errorf("Check: %T %v", err, err)
			}
			if m == hostile.DeepJSON || m == hostile.Oversized {
				hostile.WantClientError(t, "Check", cl.Check(ctx), isUE)
			}
			if _, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t)); err != nil && !isUE(err) {
				t.Errorf("Upload: %T %v", err, err)
			}
		})
	}
}

var (
	garbagePass func(*http.Request) bool
	garbageNext http.Handler
)

func garbageClient(t *testing.T, url string) *Client {
	return newClient(t, garbageConfig(url))
}

// A secret pasted into base_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	const sec = "S3CRET-in-the-wrong-field"
	for _, raw := range []string{sec, "https://u:" + sec + "@host.example", "https://h/?k=" + sec, "gopher://" + sec} {
		c := garbageConfig("https://ok.example")
		c.BaseURL = raw
		_, err := New(c)
		if err == nil || !strings.Contains(err.Error(), "base_url") || strings.Contains(err.Error(), sec) {
			t.Errorf("%q: %v", raw, err)
		}
	}
}

func garbageConfig(url string) Config {
	c := Defaults()
	c.BaseURL, c.DomainID, c.APIKey, c.Timeout = url, "1000", "key-123456", 5*time.Second
	return c
}

// A person key or id of "." or ".." never becomes a path segment (a
// server would resolve it to another endpoint); nothing is sent.
func TestDotSegmentsRefusedLocally(t *testing.T) {
	h := hostile.New(t, hostile.Echo500, nil, garbagePass, garbageNext)
	cl := garbageClient(t, h.URL)
	for _, k := range []string{".", ".."} {
		if _, err := cl.Resolve(context.Background(), k); err == nil {
			t.Errorf("Resolve(%q) accepted", k)
		}
		_, err := cl.Upload(context.Background(), upload.Target{Person: "x", ID: k}, testPhoto(t))
		if e, ok := upload.AsError(err); !ok || !e.Local {
			t.Errorf("Upload(%q): %v", k, err)
		}
	}
}

// Printing a client (as a debugging line might) shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	cl := garbageClient(t, "https://api.example")
	out := fmt.Sprintf("%v %+v %#v %s", cl, cl, cl, cl)
	for _, sec := range []string{"pw-123456", "pw-654321", "key-123456", "token-123456"} {
		if strings.Contains(out, sec) {
			t.Fatalf("%q in %s", sec, out)
		}
	}
}
