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
