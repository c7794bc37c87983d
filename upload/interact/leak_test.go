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
		hostile.Leaks(t, header+"/", secrets, nil, nil, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
			c := Defaults()
			c.BaseURL, c.DomainID, c.APIKey, c.Timeout = base, "1000", leakAPIKey, 5*time.Second
			if header != "" {
				c.APIKeyHeader = header
			}
			hostile.Calls(t, ctx, newClient(t, c), check, "jane.doe@example.com", upload.Target{Person: "jane.doe@example.com", ID: "jane.doe"}, testPhoto(t))
		})
	}
	hostile.NoSecret(t, "config", secrets, nil, Config{APIKey: leakAPIKey})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) never cause a panic; what
// fails, fails as an *upload.Error.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, m hostile.Mode, base string) {
		cl := garbageClient(t, base)
		// Interact has no lookup endpoint (Resolve is local) and no
		// documented answer to the check's GET: any 2xx JSON or empty
		// body passes; what fails must fail as an *upload.Error.
		hostile.MayFail(t, "Check", cl.Check(ctx))
		if m == hostile.DeepJSON || m == hostile.Oversized {
			hostile.WantError(t, "Check", cl.Check(ctx))
		}
		_, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t))
		hostile.MayFail(t, "Upload", err)
	})
}

func garbageClient(t *testing.T, url string) *Client {
	return newClient(t, garbageConfig(url))
}

// A secret pasted into base_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	hostile.NewRefusesURLs(t, "base_url", hostile.BadURLs("host.example"), garbageConfig, New)
}

func garbageConfig(url string) Config {
	c := Defaults()
	c.BaseURL, c.DomainID, c.APIKey, c.Timeout = url, "1000", "key-123456", 5*time.Second
	return c
}

// A person key or id of "." or ".." never becomes a path segment (a
// server would resolve it to another endpoint); nothing is sent.
func TestDotSegmentsRefusedLocally(t *testing.T) {
	hostile.DotSegmentsRefused(t, garbageClient(t, hostile.New(t, hostile.Echo500, nil, nil, nil).URL), testPhoto(t))
}

// Printing a client (as a debugging line might) shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	hostile.PrintsNoSecret(t, garbageClient(t, "https://api.example"), "pw-123456", "pw-654321", "key-123456", "token-123456")
}
