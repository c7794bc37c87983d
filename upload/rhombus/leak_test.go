package rhombus_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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
	for _, m := range hostile.Modes() {
		t.Run(string(m), func(t *testing.T) {
			h := hostile.New(t, m, secrets, nil, nil)
			c := rhombus.Defaults()
			c.BaseURL, c.APIKey, c.Timeout = h.URL, leakAPIKey, 5*time.Second
			cl := newClient(t, c)
			ctx := context.Background()
			hostile.NoSecret(t, "Check", secrets, cl.Check(ctx))
			tg, err := cl.Resolve(ctx, jane)
			hostile.NoSecret(t, "Resolve", secrets, err, tg)
			target := upload.Target{Person: jane, ID: jane}
			rc, err := cl.Upload(ctx, target, photo(t))
			hostile.NoSecret(t, "Upload", secrets, err, rc)
			out, err := cl.UploadBatch(ctx, []upload.Item{{Target: target, Photo: photo(t)}, {Target: upload.Target{Person: "x@example.com", ID: "x@example.com"}, Photo: photo(t)}})
			hostile.NoSecret(t, "UploadBatch", secrets, err, out)
			if f := h.Forwarded(); len(f) > 0 {
				t.Errorf("credentials forwarded to another host: %v", f)
			}
		})
	}
	hostile.NoSecret(t, "config", secrets, nil, rhombus.Config{APIKey: leakAPIKey}, &rhombus.Config{APIKey: leakAPIKey})
}

// 2xx answers that make no sense (empty, 100000-deep JSON, numbers past
// float64, over the body limit, the wrong shape) are clear *upload.Errors
// for lookups and never a panic; an upload either succeeds or fails as one.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	isUE := func(err error) bool { _, ok := upload.AsError(err); return ok }
	for _, m := range hostile.GarbageModes() {
		t.Run(string(m), func(t *testing.T) {
			h := hostile.New(t, m, nil, nil, nil)
			cl := garbageClient(t, h.URL)
			ctx := context.Background()
			if m == hostile.Oversized {
				// 7 MB of well-formed users is within the organisation
				// list's own limit (apihttp.MaxListBody): a valid answer.
				if err := cl.Check(ctx); err != nil && !isUE(err) {
					t.Errorf("Check: %T %v", err, err)
				}
			} else {
				hostile.WantClientError(t, "Check", cl.Check(ctx), isUE)
			}
			_, err := cl.Resolve(ctx, jane)
			hostile.WantClientError(t, "Resolve", err, isUE)
			if _, err := cl.Upload(ctx, upload.Target{Person: jane, ID: jane}, photo(t)); err != nil && !isUE(err) {
				t.Errorf("Upload: %T %v", err, err)
			}
		})
	}
}

func garbageClient(t *testing.T, url string) *rhombus.Client {
	c := rhombus.Defaults()
	c.BaseURL, c.APIKey, c.Timeout = url, "key-123456", 5*time.Second
	return newClient(t, c)
}

// A secret pasted into base_url is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	const sec = "S3CRET-in-the-wrong-field"
	for _, raw := range []string{sec, "https://u:" + sec + "@api2.rhombussystems.com", "https://h/?k=" + sec} {
		c := rhombus.Defaults()
		c.BaseURL, c.APIKey = raw, "key-1234"
		_, err := rhombus.New(c)
		if err == nil || !strings.Contains(err.Error(), "base_url") || strings.Contains(err.Error(), sec) {
			t.Errorf("%q: %v", raw, err)
		}
	}
}

// Printing a client (as a debugging line might) shows no secret.
func TestClientPrintsNoSecret(t *testing.T) {
	cl := garbageClient(t, "https://api.example")
	out := fmt.Sprintf("%v %+v %#v %s", cl, cl, cl, cl)
	for _, sec := range []string{"secret-1234", "key-123456"} {
		if strings.Contains(out, sec) {
			t.Fatalf("%q in %s", sec, out)
		}
	}
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
