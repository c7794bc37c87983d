package m365_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/m365"
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

func config(s *sandbox.Sandbox) m365.Config {
	c := m365.Defaults()
	cr := s.Credentials()["m365"]
	c.BaseURL, c.TokenURL = cr["base_url"], cr["token_url"]
	c.TenantID, c.ClientID, c.ClientSecret = cr["tenant_id"], cr["client_id"], apihttp.Secret(cr["client_secret"])
	c.Timeout = 10 * time.Second
	return c
}

func newClient(t *testing.T, c m365.Config) *m365.Client {
	t.Helper()
	cl, err := m365.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

var (
	photoOnce sync.Once
	photoData []byte
)

// photo is a prepared 600x600 JPEG.
func photo(t testing.TB) upload.Photo {
	t.Helper()
	photoOnce.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 600, 600))
		for y := 0; y < 600; y++ {
			for x := 0; x < 600; x++ {
				img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
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

// upn is jane's user principal name in the sandbox tenant.
func upn(s *sandbox.Sandbox) string { return sandbox.M365UPN(s.Users()[0]) }

// A person known by email whose UPN differs is found with $filter, and the
// photo lands once, as sent.
func TestResolveByMailAndUpload(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	ctx := context.Background()
	if err := cl.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	tg, err := cl.Resolve(ctx, jane)
	if err != nil {
		t.Fatalf("Resolve by mail: %v", err)
	}
	if tg.ID != s.Users()[0].UUID || tg.Name != "Jane Doe" {
		t.Fatalf("target %+v, want jane's object id and name", tg)
	}
	byUPN, err := cl.Resolve(ctx, upn(s))
	if err != nil || byUPN.ID != tg.ID {
		t.Fatalf("Resolve by UPN: %+v %v", byUPN, err)
	}
	p := photo(t)
	rc, err := cl.Upload(ctx, tg, p)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if rc.Status != http.StatusOK {
		t.Errorf("status %d", rc.Status)
	}
	got := s.ReceivedBy("m365")
	if len(got) != 1 || got[0].User != jane || got[0].SHA256 != p.Hash || got[0].Width != 600 {
		t.Fatalf("received %+v, want jane's photo once", got)
	}
	if n := s.M365TokenRequests(); n != 1 {
		t.Errorf("%d token requests for five calls, want 1 (the token is reused)", n)
	}
}

// An expired token answered 401 InvalidAuthenticationToken is replaced
// once, and the call goes through.
func TestTokenRefreshAfter401(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	ctx := context.Background()
	tg, err := cl.Resolve(ctx, upn(s))
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireM365Tokens()
	if _, err := cl.Upload(ctx, tg, photo(t)); err != nil {
		t.Fatalf("Upload after expiry: %v", err)
	}
	if n := s.M365TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (one refresh)", n)
	}
	if len(s.ReceivedBy("m365")) != 1 {
		t.Error("photo not stored")
	}
}

// A token whose lifetime runs out is renewed before it is used again.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	s := startSandbox(t, sandbox.Options{M365TokenTTL: 2 * time.Second})
	c := config(s)
	c.TokenMargin = 1500 * time.Millisecond
	cl := newClient(t, c)
	ctx := context.Background()
	if err := cl.Check(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond) // past expiry minus margin
	if err := cl.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if n := s.M365TokenRequests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (renewed inside the margin)", n)
	}
}

// Wrong secret, client id or tenant: ClassAuth naming the setting, never
// the secret.
func TestTokenRefusals(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	const wrong = "wrong-secret-value-1234"
	for name, tc := range map[string]struct {
		edit func(*m365.Config)
		want string
	}{
		"secret": {func(c *m365.Config) { c.ClientSecret = wrong }, "client_secret"},
		"client": {func(c *m365.Config) { c.ClientID = "00000000-dead-beef-0000-000000000000" }, "client_id"},
		"tenant": {func(c *m365.Config) {
			c.TenantID = "nosuch.onmicrosoft.com"
			c.TokenURL = s.URL + "/m365/nosuch.onmicrosoft.com/oauth2/v2.0/token"
		}, "tenant_id"},
	} {
		t.Run(name, func(t *testing.T) {
			c := config(s)
			tc.edit(&c)
			err := newClient(t, c).Check(context.Background())
			e, ok := upload.AsError(err)
			if !ok || e.Class != upload.ClassAuth {
				t.Fatalf("err %v, want ClassAuth", err)
			}
			if !strings.Contains(e.Message, tc.want) || strings.Contains(err.Error(), wrong) {
				t.Errorf("message %q: want it to name %s and not quote the secret", e.Message, tc.want)
			}
		})
	}
}

// Unknown people are ClassNotFound, whether looked up by UPN or by mail.
func TestUnknownPersonNotFound(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	for _, p := range []string{"nobody@example.com", "nobody@sandbox.onmicrosoft.com", "5b1cffff-0000-4000-8000-00000000ffff"} {
		_, err := cl.Resolve(context.Background(), p)
		if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassNotFound || e.Status != http.StatusNotFound {
			t.Errorf("Resolve(%s): %v, want 404 not found", p, err)
		}
	}
	_, err := cl.Upload(context.Background(), upload.Target{Person: "x", ID: "no-such-id"}, photo(t))
	if upload.ClassOf(err) != upload.ClassNotFound {
		t.Errorf("Upload to an unknown id: %v", err)
	}
}

// A photo over Graph's size limit is ClassTooLarge with the size sent and
// the limit, whether refused 413 or 400.
func TestTooLarge413And400(t *testing.T) {
	for _, status := range []int{http.StatusRequestEntityTooLarge, http.StatusBadRequest} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s := startSandbox(t, sandbox.Options{M365MaxBytes: 20_000, M365TooLargeStatus: status})
			c := config(s)
			c.MaxBytes = 10 << 20 // headshot thinks more is fine; the server says no
			cl := newClient(t, c)
			p := photo(t)
			if len(p.Data) <= 20_000 {
				t.Fatalf("test photo is %d bytes; want more than the server's limit", len(p.Data))
			}
			_, err := cl.Upload(context.Background(), upload.Target{Person: jane, ID: s.Users()[0].UUID}, p)
			e, ok := upload.AsError(err)
			if !ok || e.Class != upload.ClassTooLarge || e.Status != status {
				t.Fatalf("err %v, want too large with status %d", err, status)
			}
			if e.Size != int64(len(p.Data)) || e.Limit != 20_000 || e.Local {
				t.Errorf("size %d limit %d local %v", e.Size, e.Limit, e.Local)
			}
			if len(s.ReceivedBy("m365")) != 0 {
				t.Error("an over-size photo was stored")
			}
		})
	}
	// Over the configured limit, nothing is sent.
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	big := upload.NewPhoto(append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, m365.DefaultMaxBytes)...), "image/jpeg", 600, 600)
	_, err := cl.Upload(context.Background(), upload.Target{Person: jane, ID: s.Users()[0].UUID}, big)
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassTooLarge || !e.Local || e.Limit != m365.DefaultMaxBytes {
		t.Errorf("4 MB + 3 bytes: %v, want a local too-large refusal at 4 MB", err)
	}
}

// Photo writes beyond the rate are answered 429 (or 503, or 504) with
// Retry-After: ClassThrottled carrying the wait.
func TestThrottled429And503RetryAfter(t *testing.T) {
	for _, want := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(fmt.Sprint(want), func(t *testing.T) {
			s := startSandbox(t, sandbox.Options{M365Rate: 0.01, M365ThrottleStatus: want})
			cl := newClient(t, config(s))
			tg := upload.Target{Person: jane, ID: s.Users()[0].UUID}
			if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
				t.Fatalf("first upload: %v", err)
			}
			_, err := cl.Upload(context.Background(), tg, photo(t))
			e, ok := upload.AsError(err)
			if !ok || e.Class != upload.ClassThrottled || e.RetryAfter < time.Second {
				t.Fatalf("second upload: %v, want throttled with Retry-After", err)
			}
			if e.Status != want || e.Code != "TooManyRequests" {
				t.Errorf("status %d code %q, want %d TooManyRequests", e.Status, e.Code, want)
			}
		})
	}
}

// A 503 without Retry-After is a server failure (retried with backoff),
// not throttling.
func TestPlain503IsServerError(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{FailureRate: 1}})
	cl := newClient(t, config(s))
	_, err := cl.Upload(context.Background(), upload.Target{Person: jane, ID: s.Users()[0].UUID}, photo(t))
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassServer || e.Status != 503 {
		t.Fatalf("%v, want ClassServer 503", err)
	}
}

// Graph's 403 (permission not granted or not consented) is ClassAuth and
// tells the technician which permission to grant; a 401 that survives a
// fresh token is ClassAuth too. Both keep Graph's code and words.
func TestForbiddenAndUnauthorized(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	for _, tc := range []struct {
		status int
		code   string
		want   string
	}{
		{403, "Authorization_RequestDenied", "ProfilePhoto.ReadWrite.All"},
		{403, "ErrorAccessDenied", "admin consent"},
		{401, "InvalidAuthenticationToken", "even after asking for a new one"},
	} {
		var calls int
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			fmt.Fprintf(w, `{"error":{"code":%q,"message":"Insufficient privileges to complete the operation.","innerError":{"date":"2026-01-01T00:00:00"}}}`, tc.code)
		}))
		c := config(s)
		c.BaseURL = api.URL + "/v1.0"
		err := newClient(t, c).Check(context.Background())
		api.Close()
		e, ok := upload.AsError(err)
		if !ok || e.Class != upload.ClassAuth || e.Code != tc.code || e.Status != tc.status {
			t.Errorf("%d %s: %v", tc.status, tc.code, err)
			continue
		}
		if !strings.Contains(e.Message, tc.want) || !strings.Contains(e.Message, "Insufficient privileges") {
			t.Errorf("%d %s: message %q, want %q and Graph's words", tc.status, tc.code, e.Message, tc.want)
		}
		wantCalls := 1
		if tc.status == 401 {
			wantCalls = 2 // one retry with a fresh token
		}
		if calls != wantCalls {
			t.Errorf("%d %s: %d calls, want %d", tc.status, tc.code, calls, wantCalls)
		}
	}
}

// certFile writes a self-signed certificate and its key as one PEM file.
func certFile(t *testing.T) (string, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "headshot"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	var buf bytes.Buffer
	pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	pem.Encode(&buf, &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	path := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, cert
}

// With certificate_file instead of a secret, the token request carries a
// signed client assertion the tenant verifies; a certificate the app does
// not have registered is refused as ClassAuth.
func TestCertificateAuth(t *testing.T) {
	path, cert := certFile(t)
	s := startSandbox(t, sandbox.Options{M365Certificate: cert})
	c := config(s)
	c.ClientSecret, c.CertificateFile = "", path
	cl := newClient(t, c)
	tg, err := cl.Resolve(context.Background(), jane)
	if err != nil {
		t.Fatalf("Resolve with a certificate: %v", err)
	}
	if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
		t.Fatalf("Upload with a certificate: %v", err)
	}
	other, _ := certFile(t)
	c.CertificateFile = other
	err = newClient(t, c).Check(context.Background())
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassAuth {
		t.Fatalf("unregistered certificate: %v, want ClassAuth", err)
	}
}

// New refuses incomplete or contradictory settings with the key at fault.
func TestNewRefusesBadConfig(t *testing.T) {
	good := m365.Config{TenantID: "t.onmicrosoft.com", ClientID: "c", ClientSecret: "s3cr3t-value"}
	path, _ := certFile(t)
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	os.WriteFile(notPEM, []byte("s3cr3t-value not a pem"), 0o600)
	for name, tc := range map[string]struct {
		edit func(*m365.Config)
		want string
	}{
		"no tenant":     {func(c *m365.Config) { c.TenantID = "" }, "tenant_id"},
		"tenant path":   {func(c *m365.Config) { c.TenantID = "a/b" }, "tenant_id"},
		"no client":     {func(c *m365.Config) { c.ClientID = " " }, "client_id"},
		"no credential": {func(c *m365.Config) { c.ClientSecret = "" }, "client_secret or certificate_file"},
		"both":          {func(c *m365.Config) { c.CertificateFile = path }, "not both"},
		"missing cert":  {func(c *m365.Config) { c.ClientSecret, c.CertificateFile = "", "/nonexistent/app.pem" }, "certificate_file"},
		"not a pem":     {func(c *m365.Config) { c.ClientSecret, c.CertificateFile = "", notPEM }, "certificate_file"},
		"bad base":      {func(c *m365.Config) { c.BaseURL = "ftp://x" }, "base_url"},
	} {
		c := good
		tc.edit(&c)
		_, err := m365.New(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cr3t-value") {
			t.Errorf("%s: %v, want an error naming %s without the secret", name, err, tc.want)
		}
	}
	cl, err := m365.New(good)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cl.String(), "[redacted]") || strings.Contains(fmt.Sprintf("%v %+v %#v", cl, cl, good), "s3cr3t-value") {
		t.Error("printing a client or config shows the secret")
	}
}

// The tenant's default token endpoint is built from tenant_id.
func TestDefaultTokenURLUsesTenant(t *testing.T) {
	var got string
	tok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Path
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default") {
			t.Errorf("token request without the .default scope: %s", body)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"tok-abc"}`)
	}))
	defer tok.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-abc" {
			w.WriteHeader(401)
			return
		}
		io.WriteString(w, `{"value":[]}`)
	}))
	defer api.Close()
	c := m365.Config{BaseURL: api.URL, TokenURL: tok.URL + "/contoso.onmicrosoft.com/oauth2/v2.0/token",
		TenantID: "contoso.onmicrosoft.com", ClientID: "c", ClientSecret: "s"}
	if err := newClient(t, c).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got != "/contoso.onmicrosoft.com/oauth2/v2.0/token" {
		t.Errorf("token path %q", got)
	}
	c.TokenURL = ""
	cl := newClient(t, c)
	if !strings.Contains(cl.String(), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token") {
		t.Errorf("default token URL not built from the tenant: %s", cl)
	}
}

// A guest's UPN (name_domain#EXT#@tenant) is sent escaped in its one path
// segment; a user without a mailbox is a refusal that says so, not "no
// such user".
func TestGuestUPNAndNoMailbox(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	const guest = "ann_contoso.com#EXT#@sandbox.onmicrosoft.com"
	var paths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			io.WriteString(w, `{"id":"guest-1","displayName":"Ann"}`)
			return
		}
		w.WriteHeader(404)
		io.WriteString(w, `{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise."}}`)
	}))
	defer api.Close()
	c := config(s)
	c.BaseURL = api.URL + "/v1.0"
	cl := newClient(t, c)
	tg, err := cl.Resolve(context.Background(), guest)
	if err != nil || tg.ID != "guest-1" {
		t.Fatalf("Resolve(guest): %+v %v", tg, err)
	}
	if len(paths) != 1 || paths[0] != "/v1.0/users/ann_contoso.com%23EXT%23@sandbox.onmicrosoft.com" {
		t.Errorf("paths %v", paths)
	}
	_, err = cl.Upload(context.Background(), tg, photo(t))
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassRejected || !strings.Contains(e.Message, "no Exchange Online mailbox") {
		t.Errorf("no mailbox: %v", err)
	}
}

// A UPN beginning with "$" is sent as /users('$...'), the form Get user
// documents for it (a quote inside doubled); other keys keep /users/{key}.
// The sandbox, like Graph, refuses /users/$... with 400 and serves the
// parenthesized form.
func TestDollarUPNInParentheses(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	var paths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"u-1","displayName":"Adele"}`)
	}))
	defer api.Close()
	c := config(s)
	c.BaseURL = api.URL + "/v1.0"
	cl := newClient(t, c)
	ctx := context.Background()
	for _, key := range []string{"$adele@contoso.com", "$o'neil@contoso.com", "o'brien@contoso.com"} {
		if _, err := cl.Resolve(ctx, key); err != nil {
			t.Fatalf("Resolve(%q): %v", key, err)
		}
	}
	want := []string{"/v1.0/users('$adele@contoso.com')", "/v1.0/users('$o%27%27neil@contoso.com')", "/v1.0/users/o%27brien@contoso.com"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q", paths, want)
	}

	// The sandbox serves the parenthesized form (a 404, then the $filter,
	// then "not found"), where the slash form would be its 400.
	sc := newClient(t, config(s))
	if _, err := sc.Resolve(ctx, "$nobody@contoso.com"); upload.ClassOf(err) != upload.ClassNotFound {
		t.Errorf("$ key against the sandbox: %v, want not found (the parenthesized form is served)", err)
	}
}

// A user without an Exchange Online mailbox: Graph answers the photo write
// 404 ErrorNonExistentMailbox (known issues). That is a refusal for this
// person that says so, not "no such user" (which would drop the remembered
// id and look the person up again).
func TestNoMailboxIsAPersonRefusal(t *testing.T) {
	s := startSandbox(t, sandbox.Options{M365NoMailbox: []string{jane}})
	cl := newClient(t, config(s))
	ctx := context.Background()
	tg, err := cl.Resolve(ctx, jane)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.Upload(ctx, tg, photo(t))
	e, ok := upload.AsError(err)
	if !ok || e.Class != upload.ClassRejected || e.Code != "ErrorNonExistentMailbox" || !strings.Contains(e.Message, "no Exchange Online mailbox") {
		t.Fatalf("upload for a user without a mailbox: %#v", err)
	}
	if len(s.ReceivedBy("m365")) != 0 {
		t.Error("the sandbox stored a photo for a user without a mailbox")
	}
}

// The photo write's success is 200 OK on the update page; a 204 No Content
// (a write with no body) is success too.
func TestPhotoStored200Or204(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusNoContent} {
		s := startSandbox(t, sandbox.Options{M365PhotoStatus: status})
		cl := newClient(t, config(s))
		tg, err := cl.Resolve(context.Background(), jane)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := cl.Upload(context.Background(), tg, photo(t))
		if err != nil || rc.Status != status {
			t.Errorf("answer %d: receipt %+v, %v", status, rc, err)
		}
		if len(s.ReceivedBy("m365")) != 1 {
			t.Errorf("answer %d: photo not stored", status)
		}
	}
}

// A 504 Gateway Timeout with Retry-After is waited out for the seconds it
// gives, as a 503 with Retry-After is (the Graph SDK's retry handler
// honours Retry-After on 429, 503 and 504); a 504 without it is a server
// failure.
func TestGatewayTimeoutWithRetryAfter(t *testing.T) {
	s := startSandbox(t, sandbox.Options{M365Rate: 0.01, M365ThrottleStatus: http.StatusGatewayTimeout})
	cl := newClient(t, config(s))
	tg := upload.Target{Person: jane, ID: s.Users()[0].UUID}
	if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
		t.Fatalf("first upload: %v", err)
	}
	_, err := cl.Upload(context.Background(), tg, photo(t))
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassThrottled || e.Status != 504 || e.RetryAfter < time.Second {
		t.Fatalf("504 with Retry-After: %#v, want throttled for its seconds", err)
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusGatewayTimeout)
		io.WriteString(w, `{"error":{"code":"UnknownError","message":"gateway timeout"}}`)
	}))
	defer api.Close()
	c := config(s)
	c.BaseURL = api.URL + "/v1.0"
	_, err = newClient(t, c).Upload(context.Background(), tg, photo(t))
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassServer || e.Status != 504 {
		t.Fatalf("504 without Retry-After: %v, want a server failure", err)
	}
}
