package interact

import (
	"context"
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
