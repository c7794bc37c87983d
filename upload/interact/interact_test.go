package interact

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/sandbox"
)

func testPhoto(t *testing.T) upload.Photo {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 600, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 600; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return upload.NewPhoto(buf.Bytes(), "image/jpeg", 600, 600)
}

func startSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Sandbox, Config) {
	t.Helper()
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cr := sb.Credentials()["interact"]
	cfg := Defaults()
	cfg.BaseURL, cfg.DomainID, cfg.APIKey = cr["base_url"], cr["domain_id"], apihttp.Secret(cr["api_key"])
	return sb, cfg
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func wantClass(t *testing.T, err error, want upload.Class) *upload.Error {
	t.Helper()
	e, ok := upload.AsError(err)
	if !ok {
		t.Fatalf("want *upload.Error of class %v, got %v", want, err)
	}
	if e.Class != want {
		t.Fatalf("want class %v, got %v (%v)", want, e.Class, err)
	}
	return e
}

func TestUploadEachPersonRoute(t *testing.T) {
	photo := testPhoto(t)
	for _, tc := range []struct {
		route string
		key   func(sandbox.User) string
	}{
		{RouteUsername, func(u sandbox.User) string { return u.Email }},    // email -> local part
		{RouteUsername, func(u sandbox.User) string { return u.Username }}, // plain username
		{RoutePerson, func(u sandbox.User) string { return strconv.Itoa(u.PersonID) }},
		{RouteUMIID, func(u sandbox.User) string { return u.UMIID }},
	} {
		t.Run(tc.route, func(t *testing.T) {
			sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
			cfg.PersonRoute = tc.route
			c := newClient(t, cfg)
			u := sb.Users()[2]
			target, err := c.Resolve(context.Background(), tc.key(u))
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			rcpt, err := c.Upload(context.Background(), target, photo)
			if err != nil {
				t.Fatalf("Upload: %v", err)
			}
			if rcpt.Status != http.StatusOK {
				t.Fatalf("status %d", rcpt.Status)
			}
			got := sb.ReceivedBy("interact")
			if len(got) != 1 {
				t.Fatalf("sandbox stored %d photos, want 1", len(got))
			}
			r := got[0]
			if r.User != u.Email || r.Width != 600 || r.Height != 600 || r.Bytes != len(photo.Data) || r.SHA256 != photo.Hash {
				t.Fatalf("stored %+v, want %s 600x600 %d bytes", r, u.Email, len(photo.Data))
			}
		})
	}
}

func TestUsernameFromEmailOff(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	off := false
	cfg.UsernameFromEmail = &off
	c := newClient(t, cfg)
	u := sb.Users()[0]
	target, err := c.Resolve(context.Background(), u.Email)
	if err != nil {
		t.Fatal(err)
	}
	if target.ID != u.Email {
		t.Fatalf("ID %q, want the whole email", target.ID)
	}
	// The sandbox's usernames are local parts, so the whole email is unknown.
	_, err = c.Upload(context.Background(), target, testPhoto(t))
	e := wantClass(t, err, upload.ClassNotFound)
	if !strings.Contains(e.Message, u.Email) {
		t.Fatalf("message does not name the person: %q", e.Message)
	}
}

func TestUnknownPersonIsNotFound(t *testing.T) {
	_, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	c := newClient(t, cfg)
	target, err := c.Resolve(context.Background(), "nobody@example.com")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Upload(context.Background(), target, testPhoto(t))
	e := wantClass(t, err, upload.ClassNotFound)
	if e.Status != 404 || !strings.Contains(e.Message, "nobody") || !strings.Contains(e.Message, "No person found") {
		t.Fatalf("want 404 with the ASP.NET message naming nobody, got %v", e)
	}
}

func TestResolvePersonRouteNeedsNumber(t *testing.T) {
	_, cfg := startSandbox(t, sandbox.Options{})
	cfg.PersonRoute = RoutePerson
	c := newClient(t, cfg)
	_, err := c.Resolve(context.Background(), "jane.doe@example.com")
	e := wantClass(t, err, upload.ClassNotFound)
	if !strings.Contains(e.Message, "jane.doe@example.com") {
		t.Fatalf("message %q does not name the key", e.Message)
	}
	if _, err := c.Resolve(context.Background(), "  "); upload.ClassOf(err) != upload.ClassNotFound {
		t.Fatalf("empty key: %v", err)
	}
}

func TestServerTooLarge413(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	cfg.MaxBytes = 8 * 1024 * 1024 // let the photo past local validation
	c := newClient(t, cfg)
	big := upload.NewPhoto(bytes.Repeat([]byte{0xff}, 5*1024*1024+10), "image/jpeg", 600, 600)
	target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
	_, err := c.Upload(context.Background(), target, big)
	e := wantClass(t, err, upload.ClassTooLarge)
	if e.Status != 413 || e.Size != int64(len(big.Data)) || e.Limit != cfg.MaxBytes || e.Local {
		t.Fatalf("want server 413 with size and limit, got %+v", e)
	}
	if len(sb.ReceivedBy("interact")) != 0 {
		t.Fatal("sandbox stored an oversized photo")
	}
}

func TestLocalValidationBeforeSending(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	c := newClient(t, cfg)
	target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
	big := upload.NewPhoto(make([]byte, 5*1024*1024+1), "image/jpeg", 600, 600)
	e := wantClass(t, func() error { _, err := c.Upload(context.Background(), target, big); return err }(), upload.ClassTooLarge)
	if !e.Local {
		t.Fatal("oversized photo was not refused locally")
	}
	gif := upload.NewPhoto([]byte("GIF89a"), "image/gif", 1, 1)
	e = wantClass(t, func() error { _, err := c.Upload(context.Background(), target, gif); return err }(), upload.ClassRejected)
	if !e.Local {
		t.Fatal("gif was not refused locally")
	}
}

func TestNotAnImageIsRejectedWithModelState(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	c := newClient(t, cfg)
	target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
	_, err := c.Upload(context.Background(), target, upload.NewPhoto([]byte("not a jpeg at all"), "image/jpeg", 600, 600))
	e := wantClass(t, err, upload.ClassRejected)
	if e.Status != 400 || !strings.Contains(e.Message, "file: The file is not an image.") {
		t.Fatalf("want 400 with the ModelState message, got %v", e)
	}
}

func TestThrottled429(t *testing.T) {
	for _, noRetryAfter := range []bool{false, true} {
		name := "with Retry-After"
		if noRetryAfter {
			name = "without Retry-After"
		}
		t.Run(name, func(t *testing.T) {
			sb, cfg := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{No429RetryAfter: noRetryAfter}})
			c := newClient(t, cfg)
			target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
			photo := testPhoto(t)
			var err error
			n := 0
			for n = 1; n <= 7; n++ {
				if _, err = c.Upload(context.Background(), target, photo); err != nil {
					break
				}
			}
			if n != 7 {
				t.Fatalf("request %d failed, want the 7th within a minute to be the first refused: %v", n, err)
			}
			e := wantClass(t, err, upload.ClassThrottled)
			if noRetryAfter && e.RetryAfter != time.Minute {
				t.Fatalf("RetryAfter %v without a header, want the 6/min window (1m): a short backoff earns more 429s", e.RetryAfter)
			}
			if !noRetryAfter && (e.RetryAfter < time.Second || e.RetryAfter > 10*time.Second) {
				t.Fatalf("RetryAfter %v, want about 10s (one token at 6/min)", e.RetryAfter)
			}
			if len(sb.ReceivedBy("interact")) != 6 {
				t.Fatalf("stored %d, want 6", len(sb.ReceivedBy("interact")))
			}
		})
	}
}

func TestWrongKeyIsAuthWithoutSecret(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	cfg.APIKey = "wrong-key-s3cr3t"
	c := newClient(t, cfg)
	err := c.Check(context.Background())
	wantClass(t, err, upload.ClassAuth)
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error leaks the key: %v", err)
	}
	target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
	_, err = c.Upload(context.Background(), target, testPhoto(t))
	e := wantClass(t, err, upload.ClassAuth)
	if e.Status != 401 || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("want 401 without the key, got %v", err)
	}
}

func TestCheck(t *testing.T) {
	_, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	if err := newClient(t, cfg).Check(context.Background()); err != nil {
		t.Fatalf("Check with the right key: %v", err)
	}
	cfg.DomainID = "999"
	e := wantClass(t, newClient(t, cfg).Check(context.Background()), upload.ClassNotFound)
	if !strings.Contains(e.Message, "999") {
		t.Fatalf("message does not name the domain: %q", e.Message)
	}
}

func TestGarbageAnswersAreServerErrors(t *testing.T) {
	for name, body := range map[string]string{
		"html":     "<html><body>Sign in to your intranet</body></html>",
		"bad json": `{"Message": "ok"`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte(body)) //nolint:errcheck
			}))
			defer srv.Close()
			cfg := Defaults()
			cfg.BaseURL, cfg.DomainID, cfg.APIKey = srv.URL, "1000", "k"
			c := newClient(t, cfg)
			target, _ := c.Resolve(context.Background(), "jane.doe")
			_, err := c.Upload(context.Background(), target, testPhoto(t))
			wantClass(t, err, upload.ClassServer)
			wantClass(t, c.Check(context.Background()), upload.ClassServer)
		})
	}
}

func TestHangingServerTimesOut(t *testing.T) {
	srv := hostile.Hanging(t)
	cfg := Defaults()
	cfg.BaseURL, cfg.DomainID, cfg.APIKey, cfg.Timeout = srv.URL, "1000", "k", 150*time.Millisecond
	c := newClient(t, cfg)
	target, _ := c.Resolve(context.Background(), "jane.doe")
	_, err := c.Upload(context.Background(), target, testPhoto(t))
	e := wantClass(t, err, upload.ClassNetwork)
	if !e.Class.Retryable() {
		t.Fatal("timeout not retryable")
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := Defaults()
	good.BaseURL, good.DomainID, good.APIKey = "https://intranet.example.com/", "1000", "top-secret-key"
	c, err := New(good)
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.BaseURL != "https://intranet.example.com" {
		t.Fatalf("base url %q kept its slash", c.cfg.BaseURL)
	}
	hostile.NewRefusesConfigs(t, good, "top-secret-key", New, map[string]hostile.ConfigCase[Config]{
		"no base":    {Mut: func(c *Config) { c.BaseURL = "" }, Want: "base_url"},
		"bad base":   {Mut: func(c *Config) { c.BaseURL = "ftp://x" }, Want: "base_url"},
		"no domain":  {Mut: func(c *Config) { c.DomainID = "" }, Want: "domain_id"},
		"bad domain": {Mut: func(c *Config) { c.DomainID = "abc" }, Want: "domain_id"},
		"no key":     {Mut: func(c *Config) { c.APIKey = "" }, Want: "api_key"},
		"bad header": {Mut: func(c *Config) { c.APIKeyHeader = "X Api Key" }, Want: "api_key_header"},
		"bad route":  {Mut: func(c *Config) { c.PersonRoute = "email" }, Want: "person_route"},
	})
}

func TestCanceledContext(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000})
	c := newClient(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
	_, err := c.Upload(ctx, target, testPhoto(t))
	if upload.ClassOf(err) != upload.ClassCanceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("want canceled, got %v", err)
	}
}

// countingSandbox serves sb and counts the username-route requests.
func countingSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Sandbox, Config, *atomic.Int32) {
	t.Helper()
	sb := sandbox.New(opts)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/upload/username/") {
			n.Add(1)
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cr := sb.Credentials()["interact"]
	cfg := Defaults()
	cfg.BaseURL, cfg.DomainID, cfg.APIKey = cr["base_url"], cr["domain_id"], apihttp.Secret(cr["api_key"])
	return sb, cfg, &n
}

func TestUsernameFormAutoLearnsTheTenantsForm(t *testing.T) {
	photo := testPhoto(t)
	for _, tc := range []struct {
		tenant    string // what the sandbox's usernames are
		requests  int32  // for three uploads
		wantForm  string
		learnWord string
	}{
		{tenant: "local", requests: 3, wantForm: FormLocal, learnWord: "local parts (learned"},
		{tenant: "email", requests: 4, wantForm: FormEmail, learnWord: "whole emails (learned"}, // one 404 to learn, then one each
	} {
		sb, cfg, n := countingSandbox(t, sandbox.Options{RateScale: 1000, InteractUsernames: tc.tenant})
		c := newClient(t, cfg)
		if !strings.Contains(c.Describe(), "username_form auto") || strings.Contains(c.Describe(), "learned") {
			t.Errorf("%s: before any upload: %q", tc.tenant, c.Describe())
		}
		for _, u := range sb.Users()[:3] {
			target, err := c.Resolve(context.Background(), u.Email)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Upload(context.Background(), target, photo); err != nil {
				t.Fatalf("%s tenant: %s: %v", tc.tenant, u.Email, err)
			}
		}
		if got := len(sb.ReceivedBy("interact")); got != 3 {
			t.Errorf("%s tenant: stored %d, want 3", tc.tenant, got)
		}
		if got := n.Load(); got != tc.requests {
			t.Errorf("%s tenant: %d requests for 3 photos, want %d (the form is kept after the first)", tc.tenant, got, tc.requests)
		}
		if c.learnedForm() != tc.wantForm || !strings.Contains(c.Describe(), tc.learnWord) {
			t.Errorf("%s tenant: learned %q, shown %q", tc.tenant, c.learnedForm(), c.Describe())
		}
		// Once learned, a resolve offers the tenant's form first.
		if target, _ := c.Resolve(context.Background(), sb.Users()[4].Email); (tc.wantForm == FormEmail) != strings.Contains(target.ID, "@") {
			t.Errorf("%s tenant: resolved ID %q after learning %s", tc.tenant, target.ID, c.learnedForm())
		}
	}
}

func TestUsernameFormPinned(t *testing.T) {
	photo := testPhoto(t)
	for _, tc := range []struct {
		form, tenant string
		wantOK       bool
	}{
		{FormLocal, "local", true}, {FormLocal, "email", false},
		{FormEmail, "email", true}, {FormEmail, "local", false},
	} {
		sb, cfg, n := countingSandbox(t, sandbox.Options{RateScale: 1000, InteractUsernames: tc.tenant})
		cfg.UsernameForm = tc.form
		c := newClient(t, cfg)
		u := sb.Users()[1]
		target, _ := c.Resolve(context.Background(), u.Email)
		_, err := c.Upload(context.Background(), target, photo)
		if tc.wantOK != (err == nil) || n.Load() != 1 {
			t.Errorf("username_form %s on a %s tenant: err %v after %d requests; want ok=%v after exactly 1", tc.form, tc.tenant, err, n.Load(), tc.wantOK)
		}
		if !tc.wantOK {
			wantClass(t, err, upload.ClassNotFound)
		}
	}
}

func TestUnknownPersonTriesBothFormsAndNamesThem(t *testing.T) {
	_, cfg, n := countingSandbox(t, sandbox.Options{RateScale: 1000, InteractUsernames: "email"})
	c := newClient(t, cfg)
	target, _ := c.Resolve(context.Background(), "nobody.here@example.com")
	_, err := c.Upload(context.Background(), target, testPhoto(t))
	e := wantClass(t, err, upload.ClassNotFound)
	if n.Load() != 2 || !strings.Contains(e.Message, `"nobody.here"`) || !strings.Contains(e.Message, "nobody.here@example.com") {
		t.Fatalf("%d requests, message %q; want both forms tried and named", n.Load(), e.Message)
	}
	if c.learnedForm() != "" {
		t.Fatalf("learned %q from a person nobody knows", c.learnedForm())
	}
}

// Nothing public shows Interact's answer bodies: ASP.NET JSON (the
// default sandbox) and plain answers (204 with no body, plain-text errors)
// both work, with the server's words kept in the errors.
func TestAnswersAsJSONOrPlainText(t *testing.T) {
	for _, plain := range []bool{false, true} {
		sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1000, InteractPlainAnswers: plain})
		c := newClient(t, cfg)
		u := sb.Users()[0]
		target, err := c.Resolve(context.Background(), u.Email)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Upload(context.Background(), target, testPhoto(t)); err != nil {
			t.Fatalf("plain %v: good photo: %v", plain, err)
		}
		if got := len(sb.ReceivedBy("interact")); got != 1 {
			t.Fatalf("plain %v: %d photos stored, want 1", plain, got)
		}
		_, err = c.Upload(context.Background(), target, upload.NewPhoto([]byte("not a jpeg at all"), "image/jpeg", 600, 600))
		if e := wantClass(t, err, upload.ClassRejected); e.Status != 400 || !strings.Contains(e.Message, "The file is not an image.") {
			t.Fatalf("plain %v: not an image: %v", plain, e)
		}
		nobody, _ := c.Resolve(context.Background(), "nobody@example.com")
		_, err = c.Upload(context.Background(), nobody, testPhoto(t))
		if e := wantClass(t, err, upload.ClassNotFound); !strings.Contains(e.Message, "No person found") {
			t.Fatalf("plain %v: unknown person: %v", plain, e)
		}
	}
}
