package netex

import (
	"context"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp/hostile"
)

const leakToken = "CLOUDTOKEN-netex-7e57ab1e99"

// A server that echoes X-Cloud-Auth-Token back (401, 500 with the request,
// HTML, redirects, response headers) never makes the client quote it, and
// the header never reaches another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakToken}
	for _, m := range hostile.Modes() {
		t.Run(string(m), func(t *testing.T) {
			h := hostile.New(t, m, secrets, nil, nil)
			c := Defaults()
			c.BaseURL, c.Token, c.Timeout = h.URL, leakToken, 5*time.Second
			cl := newClient(t, c)
			ctx := context.Background()
			hostile.NoSecret(t, "Check", secrets, cl.Check(ctx))
			tg, err := cl.Resolve(ctx, "jane.doe@example.com")
			hostile.NoSecret(t, "Resolve", secrets, err, tg)
			tg, err = cl.Resolve(ctx, "jdoe")
			hostile.NoSecret(t, "Resolve username", secrets, err, tg)
			rc, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t))
			hostile.NoSecret(t, "Upload", secrets, err, rc)
			if f := h.Forwarded(); len(f) > 0 {
				t.Errorf("credentials forwarded to another host: %v", f)
			}
		})
	}
	hostile.NoSecret(t, "config", secrets, nil, Config{Token: leakToken})
}
