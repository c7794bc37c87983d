package igloo

import (
	"context"
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
		name := "login-hostile/"
		var pass func(*http.Request) bool
		if loginOK {
			name, pass = "login-ok/", isLogin
		}
		hostile.Leaks(t, name, secrets, pass, login, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
			c := Defaults()
			c.BaseURL, c.CommunityKey, c.AppID, c.AppPassword = base, "10", "app-1", leakAppPassword
			c.Username, c.Password = "admin", leakPassword
			c.Timeout, c.ResumeDelay, c.MaxResumes = 5*time.Second, time.Millisecond, 1
			c.Rate = upload.Rate{N: 1000, Per: time.Second}
			hostile.Calls(t, ctx, newClient(t, c), check, "jane.doe@example.com",
				upload.Target{Person: "jane.doe@example.com", ID: "0b0e5b2e-1111-2222-3333-444455556666"}, testPhoto(t))
		})
	}
	hostile.NoSecret(t, "config", secrets, nil, Config{AppPassword: leakAppPassword, Password: leakPassword})
}

func isLogin(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/Session/Create") }

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) are clear *upload.Errors
// for lookups and never a panic; an upload either succeeds or fails as one.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, isLogin, garbageLogin, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		hostile.GarbageRefused(t, ctx, garbageClient(t, base), "jane.doe@example.com", upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t))
	})
}

// The login succeeds so that each later step meets the garbage.
var garbageLogin = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	io.WriteString(w, `{"TokenId":"session-123456"}`)
})

func garbageClient(t *testing.T, url string) *Client {
	return newClient(t, garbageConfig(url))
}

// A secret pasted into base_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	hostile.NewRefusesURLs(t, "base_url", hostile.BadURLs("host.example"), garbageConfig, New)
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
	hostile.DotSegmentsRefused(t, garbageClient(t, hostile.New(t, hostile.Echo500, nil, isLogin, garbageLogin).URL), testPhoto(t))
}

// Printing a client (as a debugging line might) shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	hostile.PrintsNoSecret(t, garbageClient(t, "https://api.example"), "pw-123456", "pw-654321", "key-123456", "token-123456")
}
