package google_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/google"
	"headshot/upload/sandbox"
)

const jane = "jane.doe@example.com"

func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() { s.Close() })
	s.URL = srv.URL
	return s
}

// writeKey writes key JSON to a 0600 file.
func writeKey(t *testing.T, key []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(path, key, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func config(t *testing.T, s *sandbox.Sandbox) google.Config {
	c := google.Defaults()
	cr := s.Credentials()["google"]
	c.BaseURL, c.AdminEmail, c.CredentialsFile = cr["base_url"], cr["admin_email"], writeKey(t, s.GoogleKeyJSON())
	c.Timeout = 10 * time.Second
	return c
}

func newClient(t *testing.T, c google.Config) *google.Client {
	t.Helper()
	cl, err := google.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

var (
	photoOnce sync.Once
	photoData []byte
)

func photo(t testing.TB) upload.Photo {
	t.Helper()
	photoOnce.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 600, 600))
		for y := 0; y < 600; y++ {
			for x := 0; x < 600; x++ {
				img.SetRGBA(x, y, color.RGBA{uint8(y), uint8(x), 40, 255})
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			panic(err)
		}
		photoData = buf.Bytes()
	})
	return upload.NewPhoto(photoData, "image/jpeg", 600, 600)
}

// By primary email or alias, the person resolves to Google's user id and
// the photo lands once, byte for byte.
func TestResolveAndUpload(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(t, s))
	ctx := context.Background()
	if err := cl.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	tg, err := cl.Resolve(ctx, jane)
	if err != nil {
		t.Fatal(err)
	}
	byAlias, err := cl.Resolve(ctx, sandbox.GoogleAlias(s.Users()[0]))
	if err != nil || byAlias.ID != tg.ID || tg.Name != "Jane Doe" {
		t.Fatalf("alias %+v (%v), primary %+v", byAlias, err, tg)
	}
	p := photo(t)
	rc, err := cl.Upload(ctx, tg, p)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if rc.Status != 200 || rc.Detail == "" {
		t.Errorf("receipt %+v", rc)
	}
	got := s.ReceivedBy("google")
	if len(got) != 1 || got[0].User != jane || got[0].SHA256 != p.Hash {
		t.Fatalf("received %+v", got)
	}
	if n := s.GoogleTokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1 (reused)", n)
	}
}

// The body is the documented UserPhoto: web-safe base64 photoData, the
// mimeType, the width and height.
func TestUploadBodyShape(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	var body map[string]any
	var method, path, ctype string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, path, ctype = r.Method, r.URL.Path, r.Header.Get("Content-Type")
		json.NewDecoder(r.Body).Decode(&body)
		io.WriteString(w, `{"kind":"admin#directory#user#photo","etag":"\"e1\""}`)
	}))
	defer api.Close()
	c := config(t, s)
	c.BaseURL = api.URL
	p := photo(t)
	if _, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: "1234"}, p); err != nil {
		t.Fatal(err)
	}
	if method != http.MethodPut || path != "/admin/directory/v1/users/1234/photos/thumbnail" || !strings.HasPrefix(ctype, "application/json") {
		t.Errorf("%s %s %s", method, path, ctype)
	}
	data, _ := body["photoData"].(string)
	if strings.ContainsAny(data, "+/") {
		t.Error("photoData is not web-safe base64")
	}
	raw, err := base64.URLEncoding.DecodeString(data) // padded with "=" by default
	if err != nil || !bytes.Equal(raw, p.Data) {
		t.Errorf("photoData does not decode to the photo: %v", err)
	}
	if body["mimeType"] != "JPEG" || body["width"] != 600.0 || body["height"] != 600.0 {
		t.Errorf("body %v", map[string]any{"mimeType": body["mimeType"], "width": body["width"], "height": body["height"]})
	}
}

// An expired token (401 authError) is replaced once and the call goes through.
func TestTokenRefreshAfter401(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(t, s))
	ctx := context.Background()
	tg, err := cl.Resolve(ctx, jane)
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireGoogleTokens()
	if _, err := cl.Upload(ctx, tg, photo(t)); err != nil {
		t.Fatalf("Upload after expiry: %v", err)
	}
	if n := s.GoogleTokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

// otherKey is a service account key the sandbox never issued.
func otherKey(t *testing.T, s *sandbox.Sandbox) []byte {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	var key map[string]string
	json.Unmarshal(s.GoogleKeyJSON(), &key)
	key["private_key"] = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	b, _ := json.Marshal(key)
	return b
}

// A key Google does not know, a subject that is no user, a service
// account without domain-wide delegation and a subject who is no
// administrator are all ClassAuth, each naming what to fix.
func TestAuthRefusals(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	noDeleg := startSandbox(t, sandbox.Options{GoogleNoDelegation: true})
	for name, tc := range map[string]struct {
		sb     *sandbox.Sandbox
		edit   func(*google.Config)
		want   string
		status int
	}{
		"unknown key":   {s, func(c *google.Config) { c.CredentialsFile = writeKey(t, otherKey(t, s)) }, "key", 400},
		"unknown admin": {s, func(c *google.Config) { c.AdminEmail = "nobody@example.com" }, "admin_email", 400},
		"no delegation": {noDeleg, func(*google.Config) {}, "Domain-wide delegation", 401},
		"not an admin":  {s, func(c *google.Config) { c.AdminEmail = "omar.haddad@example.com" }, "Domain-wide delegation", 403},
	} {
		t.Run(name, func(t *testing.T) {
			c := config(t, tc.sb)
			tc.edit(&c)
			err := newClient(t, c).Check(context.Background())
			e, ok := upload.AsError(err)
			if !ok || e.Class != upload.ClassAuth || e.Status != tc.status {
				t.Fatalf("%v, want ClassAuth (HTTP %d)", err, tc.status)
			}
			if !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q does not name %q", e.Message, tc.want)
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Error("the error quotes the key")
			}
		})
	}
}

func TestUnknownPersonNotFound(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(t, s))
	_, err := cl.Resolve(context.Background(), "nobody@example.com")
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassNotFound || e.Status != 404 || e.Code != "notFound" {
		t.Fatalf("%v, want 404 notFound", err)
	}
	_, err = cl.Upload(context.Background(), upload.Target{Person: "x", ID: "nobody@example.com"}, photo(t))
	if upload.ClassOf(err) != upload.ClassNotFound {
		t.Errorf("Upload: %v", err)
	}
}

// Over the size the server takes: ClassTooLarge (413 or 400) with the size
// and the stated limit; nothing stored.
func TestTooLarge413And400(t *testing.T) {
	for _, status := range []int{413, 400} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s := startSandbox(t, sandbox.Options{GoogleMaxBytes: 20_000, GoogleTooLargeStatus: status})
			c := config(t, s)
			c.MaxBytes = 10 << 20
			p := photo(t)
			_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, p)
			e, ok := upload.AsError(err)
			if !ok || e.Class != upload.ClassTooLarge || e.Status != status || e.Size != int64(len(p.Data)) || e.Limit != 20_000 {
				t.Fatalf("%v (size %d limit %d), want too large %d", err, e.Size, e.Limit, status)
			}
			if len(s.ReceivedBy("google")) != 0 {
				t.Error("stored")
			}
		})
	}
}

// The Directory API's quota refusals (403 userRateLimitExceeded,
// rateLimitExceeded, quotaExceeded) are throttling, not auth failures.
func TestQuota403IsThrottling(t *testing.T) {
	for _, reason := range []string{"userRateLimitExceeded", "rateLimitExceeded", "quotaExceeded"} {
		t.Run(reason, func(t *testing.T) {
			s := startSandbox(t, sandbox.Options{GoogleRate: 0.01, GoogleQuotaReason: reason})
			cl := newClient(t, config(t, s))
			if _, err := cl.Resolve(context.Background(), jane); err != nil {
				t.Fatal(err)
			}
			_, err := cl.Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
			e, ok := upload.AsError(err)
			if !ok || e.Class != upload.ClassThrottled || e.Status != 403 || e.Code != reason {
				t.Fatalf("%v, want throttled 403 %s", err, reason)
			}
		})
	}
}

// 429, and 503 with Retry-After, are throttling with the wait; a 503
// without it is a server error.
func TestThrottled429And503RetryAfter(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	for _, tc := range []struct {
		status     int
		retryAfter string
		class      upload.Class
		wait       time.Duration
	}{
		{429, "7", upload.ClassThrottled, 7 * time.Second},
		{503, "3", upload.ClassThrottled, 3 * time.Second},
		{503, "", upload.ClassServer, 0},
	} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.retryAfter != "" {
				w.Header().Set("Retry-After", tc.retryAfter)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			fmt.Fprintf(w, `{"error":{"code":%d,"message":"Backend Error","errors":[{"message":"Backend Error","domain":"global","reason":"backendError"}]}}`, tc.status)
		}))
		c := config(t, s)
		c.BaseURL = api.URL
		_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
		api.Close()
		e, ok := upload.AsError(err)
		if !ok || e.Class != tc.class || e.RetryAfter != tc.wait || e.Status != tc.status {
			t.Errorf("%d Retry-After %q: %v (wait %v)", tc.status, tc.retryAfter, err, e.RetryAfter)
		}
	}
}

// The key file is checked like the config: readable by others is a warning.
func TestKeyFileWarning(t *testing.T) {
	path := writeKey(t, []byte("{}"))
	if w := google.KeyFileWarning(path); w != "" {
		t.Errorf("0600: %q", w)
	}
	os.Chmod(path, 0o644)
	if w := google.KeyFileWarning(path); !strings.Contains(w, "chmod 600") || !strings.Contains(w, "-rw-r--r--") {
		t.Errorf("0644: %q", w)
	}
}

// New refuses a missing, oversized or foreign key file and a missing
// admin, without quoting the file.
func TestNewRefusesBadConfig(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	good := config(t, s)
	secretish := writeKey(t, []byte(`{"type":"authorized_user","client_secret":"s3cr3t-value"}`))
	huge := writeKey(t, bytes.Repeat([]byte("s3cr3t-value"), 10000))
	for name, tc := range map[string]struct {
		edit func(*google.Config)
		want string
	}{
		"no admin":     {func(c *google.Config) { c.AdminEmail = "" }, "admin_email"},
		"no file":      {func(c *google.Config) { c.CredentialsFile = "" }, "credentials_file"},
		"missing file": {func(c *google.Config) { c.CredentialsFile = "/nonexistent/key.json" }, "credentials_file"},
		"not a key":    {func(c *google.Config) { c.CredentialsFile = secretish }, "service account"},
		"huge":         {func(c *google.Config) { c.CredentialsFile = huge }, "credentials_file"},
		"bad base":     {func(c *google.Config) { c.BaseURL = "admin.googleapis.com" }, "base_url"},
	} {
		c := good
		tc.edit(&c)
		_, err := google.New(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cr3t-value") {
			t.Errorf("%s: %v, want an error naming %s", name, err, tc.want)
		}
	}
}

// photoData's padding is spelt as photo_padding says ("=" by default, as
// Google's clients send it; "*" or "." as the UserPhoto page words it; or
// none), and a server that reads only that spelling takes photos of every
// length (whose base64 needs 0, 1 or 2 padding characters). A server that
// reads only "=" refuses unpadded data: the default must not be "none".
func TestPhotoPaddingSpellings(t *testing.T) {
	base := photo(t)
	photos := []upload.Photo{}
	for extra := 0; extra < 3; extra++ {
		d := append(append([]byte{}, base.Data...), make([]byte, extra)...)
		photos = append(photos, upload.NewPhoto(d, "image/jpeg", 600, 600))
	}
	for _, pad := range []string{"", google.PaddingEquals, google.PaddingAsterisk, google.PaddingPeriod, google.PaddingNone} {
		want := pad
		if want == "" {
			want = google.PaddingEquals // the default
		}
		s := startSandbox(t, sandbox.Options{GooglePadding: want})
		c := config(t, s)
		c.PhotoPadding = pad
		cl := newClient(t, c)
		tg, err := cl.Resolve(context.Background(), jane)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range photos {
			if _, err := cl.Upload(context.Background(), tg, p); err != nil {
				t.Errorf("photo_padding %q, photo %d: %v", pad, i, err)
			}
		}
		if got := len(s.ReceivedBy("google")); got != 3 {
			t.Errorf("photo_padding %q: %d photos stored, want 3", pad, got)
		}
	}
	// The sandbox's strict side bites: unpadded data to an "=" reader.
	s := startSandbox(t, sandbox.Options{GooglePadding: google.PaddingEquals})
	c := config(t, s)
	c.PhotoPadding = google.PaddingNone
	cl := newClient(t, c)
	tg, _ := cl.Resolve(context.Background(), jane)
	refused := 0
	for _, p := range photos {
		if _, err := cl.Upload(context.Background(), tg, p); upload.ClassOf(err) == upload.ClassRejected {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d of 3 unpadded photos refused by an \"=\" reader, want 2", refused)
	}
	c.PhotoPadding = "spaces"
	if _, err := google.New(c); err == nil || !strings.Contains(err.Error(), "photo_padding") {
		t.Errorf("photo_padding \"spaces\" accepted: %v", err)
	}
}
