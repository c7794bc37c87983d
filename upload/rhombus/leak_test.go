package rhombus_test

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
	"headshot/upload/rhombus"
)

const leakAPIKey = "APIKEY-rhombus-5ec7e7c0de"

// A server that echoes the API key back (401, 500 with the request, HTML,
// redirects, response headers) never makes the client quote it, and the
// x-auth-apikey header never reaches another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakAPIKey}
	hostile.Leaks(t, "", secrets, nil, nil, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
		c := rhombus.Defaults()
		c.BaseURL, c.APIKey, c.Timeout = base, leakAPIKey, 5*time.Second
		cl := newClient(t, c)
		target := upload.Target{Person: jane, ID: jane}
		hostile.Calls(t, ctx, cl, check, jane, target, photo(t))
		out, err := cl.UploadBatch(ctx, []upload.Item{{Target: target, Photo: photo(t)}, {Target: upload.Target{Person: "x@example.com", ID: "x@example.com"}, Photo: photo(t)}})
		check("UploadBatch", err, out)
	})
	hostile.NoSecret(t, "config", secrets, nil, rhombus.Config{APIKey: leakAPIKey}, &rhombus.Config{APIKey: leakAPIKey})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) are clear *upload.Errors
// for lookups and never a panic; an upload either succeeds or fails as one.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, m hostile.Mode, base string) {
		cl := garbageClient(t, base)
		if m == hostile.Oversized {
			// 7 MB of well-formed users is within the organisation
			// list's own limit (apihttp.MaxListBody): a valid answer.
			hostile.MayFail(t, "Check", cl.Check(ctx))
		} else {
			hostile.WantError(t, "Check", cl.Check(ctx))
		}
		_, err := cl.Resolve(ctx, jane)
		hostile.WantError(t, "Resolve", err)
		_, err = cl.Upload(ctx, upload.Target{Person: jane, ID: jane}, photo(t))
		hostile.MayFail(t, "Upload", err)
	})
}

func garbageClient(t *testing.T, url string) *rhombus.Client {
	c := rhombus.Defaults()
	c.BaseURL, c.APIKey, c.Timeout = url, "key-123456", 5*time.Second
	return newClient(t, c)
}

// A secret pasted into base_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	const sec = hostile.URLSecret
	hostile.NewRefusesURLs(t, "base_url", []string{sec, "https://u:" + sec + "@api2.rhombussystems.com", "https://h/?k=" + sec}, func(raw string) rhombus.Config {
		c := rhombus.Defaults()
		c.BaseURL, c.APIKey = raw, "key-1234"
		return c
	}, rhombus.New)
}

// Printing a client (as a debugging line might) shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	hostile.PrintsNoSecret(t, garbageClient(t, "https://api.example"), "secret-1234", "key-123456")
}

// An organisation whose user list is larger than the ordinary 1 MB body
// limit (getUsersInOrg has no paging) still resolves its last user.
func TestLargeOrganisationResolves(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"users":[`)
		for i := 0; i < 12000; i++ {
			fmt.Fprintf(w, `{"uuid":"uuid-%06d-aaaaaaaaaaaaaaaaaaaaaaaa","email":"person.number.%06d@example.com","firstName":"Person","lastName":"Number %06d","name":"Person Number %06d","status":"ACTIVE"},`, i, i, i, i)
		}
		io.WriteString(w, `{"uuid":"uuid-last","email":"last@example.com","name":"Last One"}]}`)
	}))
	defer srv.Close()
	cl := garbageClient(t, srv.URL)
	tg, err := cl.Resolve(context.Background(), "last@example.com")
	if err != nil || tg.Name != "Last One" {
		t.Fatalf("got %+v, %v", tg, err)
	}
}
