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
	hostile.Leaks(t, "", secrets, nil, nil, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
		c := Defaults()
		c.BaseURL, c.Token, c.Timeout = base, leakToken, 5*time.Second
		cl := newClient(t, c)
		check("Check", cl.Check(ctx))
		tg, err := cl.Resolve(ctx, "jane.doe@example.com")
		check("Resolve", err, tg)
		tg, err = cl.Resolve(ctx, "jdoe")
		check("Resolve username", err, tg)
		rc, err := cl.Upload(ctx, upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t))
		check("Upload", err, rc)
	})
	hostile.NoSecret(t, "config", secrets, nil, Config{Token: leakToken})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) are clear *upload.Errors
// for lookups and never a panic; an upload either succeeds or fails as one.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		hostile.GarbageRefused(t, ctx, garbageClient(t, base), "jane.doe@example.com", upload.Target{Person: "jane.doe@example.com", ID: "17"}, testPhoto(t))
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
	c.BaseURL, c.Token, c.Timeout = url, "token-123456", 5*time.Second
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
