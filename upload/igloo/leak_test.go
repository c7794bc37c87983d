package igloo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp/hostile"
)

const (
	leakAppPassword = "APPPASS-igloo-a11ce5ecret"
	leakPassword    = "USERPASS-igloo-b0bsecret"
	leakSession     = "SESSION-igloo-c00k1e7oken"
)

// A server that echoes the login (passwords in the JSON body) or the
// iglooauth cookie back, in a 401, a 500, an HTML page, a redirect or a
// Location header, never makes the client quote them, and neither the
// cookie nor the passwords reach another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakAppPassword, leakPassword, leakSession}
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"TokenId":"`+leakSession+`"}`)
	})
	for _, loginOK := range []bool{false, true} {
		for _, m := range hostile.Modes() {
			name := "login-hostile/"
			var pass func(*http.Request) bool
			if loginOK {
				name = "login-ok/"
				pass = func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/Session/Create") }
			}
			t.Run(name+string(m), func(t *testing.T) {
				h := hostile.New(t, m, secrets, pass, login)
				c := Defaults()
				c.BaseURL, c.CommunityKey, c.AppID, c.AppPassword = h.URL, "10", "app-1", leakAppPassword
				c.Username, c.Password = "admin", leakPassword
				c.Timeout, c.ResumeDelay, c.MaxResumes = 5*time.Second, time.Millisecond, 1
				c.Rate = upload.Rate{N: 1000, Per: time.Second}
				cl := newClient(t, c)
				ctx := context.Background()
				hostile.NoSecret(t, "Check", secrets, cl.Check(ctx))
				tg, err := cl.Resolve(ctx, "jane.doe@example.com")
				hostile.NoSecret(t, "Resolve", secrets, err, tg)
				rc, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "0b0e5b2e-1111-2222-3333-444455556666"}, testPhoto(t))
				hostile.NoSecret(t, "Upload", secrets, err, rc)
				if f := h.Forwarded(); len(f) > 0 {
					t.Errorf("credentials forwarded to another host: %v", f)
				}
			})
		}
	}
	hostile.NoSecret(t, "config", secrets, nil, Config{AppPassword: leakAppPassword, Password: leakPassword})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) are clear *upload.Errors
// for lookups and never a panic; an upload either succeeds or fails as one.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	isUE := func(err error) bool { _, ok := upload.AsError(err); return ok }
	for _, m := range hostile.GarbageModes() {
		t.Run(string(m), func(t *testing.T) {
			h := hostile.New(t, m, nil, garbagePass, garbageNext)
			cl := garbageClient(t, h.URL)
			ctx := context.Background()
			hostile.WantClientError(t, "Check", cl.Check(ctx), isUE)
			_, err := cl.Resolve(ctx, "jane.doe@example.com")
			hostile.WantClientError(t, "Resolve", err, isUE)
			if _, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t)); err != nil && !isUE(err) {
				t.Errorf("Upload: %T %v", err, err)
			}
		})
	}
}

// The login succeeds so that each later step meets the garbage.
var (
	garbagePass = func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/Session/Create") }
	garbageNext = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"TokenId":"session-123456"}`)
	})
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
	c.BaseURL, c.CommunityKey, c.AppID, c.AppPassword, c.Username, c.Password = url, "10", "app", "pw-123456", "admin", "pw-654321"
	c.Timeout, c.ResumeDelay, c.MaxResumes = 5*time.Second, time.Millisecond, 1
	c.Rate = upload.Rate{N: 1000, Per: time.Second}
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
