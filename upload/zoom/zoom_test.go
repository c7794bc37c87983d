package zoom_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

const jane = "jane.doe@example.com"

// startSandbox serves a sandbox on loopback for one test.
func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// config is a client config for the sandbox's Zoom.
func config(s *sandbox.Sandbox) zoom.Config {
	c := zoom.Defaults()
	cr := s.Credentials()["zoom"]
	c.BaseURL, c.TokenURL = cr["base_url"], cr["token_url"]
	c.AccountID, c.ClientID, c.ClientSecret = cr["account_id"], apihttp.Secret(cr["client_id"]), apihttp.Secret(cr["client_secret"])
	c.Timeout = 10 * time.Second
	return c
}

func newClient(t *testing.T, c zoom.Config) *zoom.Client {
	t.Helper()
	cl, err := zoom.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

var (
	photoOnce sync.Once
	photoData []byte
)

// photo is a prepared 600x600 JPEG (encoded once per test binary).
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

// bigPhoto is a JPEG-headed photo of n bytes (over Zoom's limit when n is).
func bigPhoto(n int) upload.Photo {
	data := make([]byte, n)
	copy(data, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	return upload.NewPhoto(data, "image/jpeg", 600, 600)
}

// wantClass fails unless err is an *upload.Error of class c.
func wantClass(t *testing.T, err error, c upload.Class) *upload.Error {
	t.Helper()
	e, ok := upload.AsError(err)
	if !ok {
		t.Fatalf("want *upload.Error of class %v, got %T %v", c, err, err)
	}
	if e.Class != c {
		t.Fatalf("want class %v, got %v: %v", c, e.Class, e)
	}
	return e
}

func TestUploadStoresThePhoto(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	ctx := context.Background()
	if err := cl.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	tg, err := cl.Resolve(ctx, "Jane.Doe@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if tg.ID == "" || tg.Name != "Jane Doe" {
		t.Fatalf("resolved %+v", tg)
	}
	p := photo(t)
	rc, err := cl.Upload(ctx, tg, p)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Status != http.StatusCreated || !strings.Contains(rc.Detail, "/zoom/p/") {
		t.Fatalf("receipt %+v", rc)
	}
	got := s.ReceivedBy("zoom")
	if len(got) != 1 {
		t.Fatalf("sandbox received %d photos", len(got))
	}
	r := got[0]
	if r.User != jane || r.Bytes != len(p.Data) || r.Width != 600 || r.Height != 600 || r.Format != "jpeg" || r.SHA256 != p.Hash {
		t.Fatalf("sandbox stored %+v", r)
	}
	if n := s.ZoomTokenRequests(); n != 1 {
		t.Fatalf("token requested %d times for check+resolve+upload, want 1", n)
	}
}

func TestResolveAcceptsAUserID(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	id := s.Users()[1].UUID
	tg, err := cl.Resolve(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if tg.ID != id || tg.Person != id {
		t.Fatalf("resolved %+v", tg)
	}
	if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
		t.Fatal(err)
	}
	if got := s.ReceivedBy("zoom"); len(got) != 1 || got[0].User != s.Users()[1].Email {
		t.Fatalf("received %+v", got)
	}
}

func TestExpiredTokenIsRefreshedOnce(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	ctx := context.Background()
	tg := upload.Target{Person: jane, ID: jane}
	if _, err := cl.Upload(ctx, tg, photo(t)); err != nil {
		t.Fatal(err)
	}
	s.ExpireZoomTokens()
	if _, err := cl.Upload(ctx, tg, photo(t)); err != nil {
		t.Fatalf("upload after expiry: %v", err)
	}
	if n := s.ZoomTokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2 (first and one refresh)", n)
	}
	if got := len(s.ReceivedBy("zoom")); got != 2 {
		t.Fatalf("received %d", got)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	// Tokens live 2 s; with the margin the client renews after 1 s (half
	// of a lifetime shorter than twice the margin) without a 401.
	s := startSandbox(t, sandbox.Options{ZoomTokenTTL: 2 * time.Second})
	cl := newClient(t, config(s))
	ctx := context.Background()
	if _, err := cl.Resolve(ctx, jane); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Resolve(ctx, jane); err != nil {
		t.Fatal(err)
	}
	if n := s.ZoomTokenRequests(); n != 1 {
		t.Fatalf("token requests = %d before renewal, want 1", n)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := cl.Resolve(ctx, jane); err != nil {
		t.Fatal(err)
	}
	if n := s.ZoomTokenRequests(); n != 2 {
		t.Fatalf("token requests = %d after renewal time, want 2", n)
	}
}

func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := cl.Resolve(context.Background(), jane)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := s.ZoomTokenRequests(); n != 1 {
		t.Fatalf("8 concurrent callers made %d token requests, want 1", n)
	}
}

func TestTokenRefusedAgainIsAuth(t *testing.T) {
	var tokens, calls int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/oauth/token" {
			tokens++
			w.Write([]byte(`{"access_token":"t","token_type":"bearer","expires_in":3600}`))
			return
		}
		calls++
		w.WriteHeader(401)
		w.Write([]byte(`{"code":124,"message":"Invalid access token."}`))
	}))
	defer srv.Close()
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	_, err := newClient(t, c).Resolve(context.Background(), jane)
	e := wantClass(t, err, upload.ClassAuth)
	if e.Code != "124" || tokens != 2 || calls != 2 {
		t.Fatalf("code %q, %d token requests, %d calls; want 124, 2, 2", e.Code, tokens, calls)
	}
}

func TestWrongSecretIsAuthWithoutTheSecret(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	c.ClientSecret = "my-wrong-s3cret-value"
	err := newClient(t, c).Check(context.Background())
	e := wantClass(t, err, upload.ClassAuth)
	msg := err.Error()
	if !strings.Contains(msg, "check the client id and secret") {
		t.Fatalf("message not plain: %s", msg)
	}
	if strings.Contains(msg, string(c.ClientSecret)) || strings.Contains(msg, sandbox.ZoomClientSecret) {
		t.Fatalf("secret in error: %s", msg)
	}
	if e.Status != 400 || e.Code != "invalid_client" {
		t.Fatalf("status %d code %q; Zoom answers a wrong secret with 400 invalid_client", e.Status, e.Code)
	}
}

func TestWrongAccountIsAuth(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	c.AccountID = "someone-else"
	err := newClient(t, c).Check(context.Background())
	wantClass(t, err, upload.ClassAuth)
	if !strings.Contains(err.Error(), "account id") {
		t.Fatalf("message does not point at the account id: %v", err)
	}
}

func TestTokenErrorCodeRangeIsAuth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"code":4702,"message":"Invalid client"}`))
	}))
	defer srv.Close()
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "shh-secret"}
	err := newClient(t, c).Check(context.Background())
	e := wantClass(t, err, upload.ClassAuth)
	if e.Code != "4702" || strings.Contains(err.Error(), "shh-secret") {
		t.Fatalf("%v", err)
	}
}

func TestRejectedPictureIs400Code300(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{ZoomRejects: []string{jane}}})
	cl := newClient(t, config(s))
	_, err := cl.Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
	e := wantClass(t, err, upload.ClassRejected)
	if e.Status != 400 || e.Code != "300" || !strings.Contains(e.Message, "explicit") {
		t.Fatalf("%+v", e)
	}
	if len(s.ReceivedBy("zoom")) != 0 {
		t.Fatal("rejected photo was stored")
	}
}

func TestUnknownUserIsNotFound(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	_, err := cl.Resolve(context.Background(), "nobody@example.com")
	e := wantClass(t, err, upload.ClassNotFound)
	if e.Code != "1001" || !strings.Contains(e.Message, "nobody@example.com") {
		t.Fatalf("%+v", e)
	}
	_, err = cl.Upload(context.Background(), upload.Target{Person: "ghost", ID: "ghost"}, photo(t))
	wantClass(t, err, upload.ClassNotFound)
}

func TestOver2MBIsTooLarge(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	big := bigPhoto(3 * 1024 * 1024)
	// The default client refuses before sending.
	_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, big)
	if e := wantClass(t, err, upload.ClassTooLarge); !e.Local {
		t.Fatalf("default client sent a 3 MB photo: %+v", e)
	}
	// A client configured for more sends it and the sandbox answers 413.
	c.MaxBytes = 8 * 1024 * 1024
	_, err = newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, big)
	e := wantClass(t, err, upload.ClassTooLarge)
	if e.Local || e.Status != 413 || e.Size != int64(len(big.Data)) || e.Limit != zoom.DefaultMaxBytes {
		t.Fatalf("%+v", e)
	}
}

func TestSizeRefusedWith400IsTooLarge(t *testing.T) {
	srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"code":120,"message":"File size cannot exceed 2M."}`))
	})
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	p := photo(t)
	_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, p)
	e := wantClass(t, err, upload.ClassTooLarge)
	if e.Size != int64(len(p.Data)) || e.Code != "120" {
		t.Fatalf("%+v", e)
	}
}

func TestAdminOnlyIsRejectedCode200(t *testing.T) {
	srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"code":200,"message":"Only an account administrator can change a profile picture."}`))
	})
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
	e := wantClass(t, err, upload.ClassRejected)
	if e.Code != "200" || !strings.Contains(e.Message, "administrator") {
		t.Fatalf("%+v", e)
	}
}

func TestThrottledWithRetryAfter(t *testing.T) {
	s := startSandbox(t, sandbox.Options{ZoomRate: 1, ZoomBurst: 1})
	cl := newClient(t, config(s))
	tg := upload.Target{Person: jane, ID: jane}
	if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
		t.Fatal(err)
	}
	_, err := cl.Upload(context.Background(), tg, photo(t))
	e := wantClass(t, err, upload.ClassThrottled)
	if e.RetryAfter != time.Second || e.Code != "429" {
		t.Fatalf("%+v", e)
	}
}

func TestThrottledWithoutRetryAfterUsesRateLimitType(t *testing.T) {
	s := startSandbox(t, sandbox.Options{ZoomDailyLimit: 1, Faults: sandbox.Faults{No429RetryAfter: true}})
	cl := newClient(t, config(s))
	tg := upload.Target{Person: jane, ID: jane}
	if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
		t.Fatal(err)
	}
	_, err := cl.Upload(context.Background(), tg, photo(t))
	e := wantClass(t, err, upload.ClassThrottled)
	now := time.Now().UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	if d := midnight.Sub(now) - e.RetryAfter; d < -5*time.Second || d > 5*time.Second {
		t.Fatalf("daily limit: retry after %v, want about %v", e.RetryAfter, midnight.Sub(now))
	}
}

func TestThrottledWithNoHintIsZero(t *testing.T) {
	srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(429)
		w.Write([]byte(`{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`))
	})
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
	if e := wantClass(t, err, upload.ClassThrottled); e.RetryAfter != 0 {
		t.Fatalf("retry after %v with no hint", e.RetryAfter)
	}
}

func TestGarbageAnswersAreServerErrors(t *testing.T) {
	cases := map[string]string{
		"html page":      "<html><body>Welcome to the captive portal</body></html>",
		"truncated json": `{"id":"abc","email":"jane`,
		"wrong shape":    `{"unexpected":true}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) })
			c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
			cl := newClient(t, c)
			_, err := cl.Resolve(context.Background(), jane)
			wantClass(t, err, upload.ClassServer)
			wantClass(t, cl.Check(context.Background()), upload.ClassServer)
		})
	}
	t.Run("html upload answer", func(t *testing.T) {
		srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>proxy</html>")) })
		c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
		_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
		wantClass(t, err, upload.ClassServer)
	})
	t.Run("html token answer", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html>login</html>"))
		}))
		defer srv.Close()
		c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
		wantClass(t, newClient(t, c).Check(context.Background()), upload.ClassServer)
	})
}

func TestHangingServerTimesOut(t *testing.T) {
	srv := hostile.Hanging(t)
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c",
		Settings: apihttp.Settings{Timeout: 200 * time.Millisecond}}
	start := time.Now()
	err := newClient(t, c).Check(context.Background())
	wantClass(t, err, upload.ClassNetwork)
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("gave up after %v with a 200ms timeout", el)
	}
}

func TestInjectedFaults(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{FailureRate: 1}})
	cl := newClient(t, config(s))
	tg := upload.Target{Person: jane, ID: jane}
	_, err := cl.Upload(context.Background(), tg, photo(t))
	if e := wantClass(t, err, upload.ClassServer); e.Status != 503 {
		t.Fatalf("%+v", e)
	}
	s.SetFaults(sandbox.Faults{ResetRate: 1})
	_, err = cl.Upload(context.Background(), tg, photo(t))
	wantClass(t, err, upload.ClassNetwork)
	if len(s.ReceivedBy("zoom")) != 0 {
		t.Fatal("a failed upload was stored")
	}
}

func TestNewNamesTheMissingKey(t *testing.T) {
	c := zoom.Defaults()
	c.AccountID, c.ClientID = "a", "b"
	_, err := zoom.New(c)
	if err == nil || !strings.Contains(err.Error(), "client_secret") {
		t.Fatalf("want an error naming client_secret, got %v", err)
	}
	c.ClientSecret = "c"
	c.BaseURL = "ftp://example.com"
	if _, err := zoom.New(c); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Fatalf("want an error naming base_url, got %v", err)
	}
	c.BaseURL = ""
	cl, err := zoom.New(c)
	if err != nil {
		t.Fatal(err)
	}
	l := cl.Limits()
	if l.MaxBytes != 2*1024*1024 || l.Rate.PerSecond() != 20 || l.Concurrency != 4 || l.BatchSize != 1 || !l.Accepts("image/png") || l.Accepts("image/gif") {
		t.Fatalf("limits %+v", l)
	}
}

func TestUploadRefusesWrongTypeLocally(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	p := photo(t)
	p.MIME = "image/gif"
	_, err := newClient(t, config(s)).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, p)
	if e := wantClass(t, err, upload.ClassRejected); !e.Local {
		t.Fatalf("%+v", e)
	}
	if s.ZoomTokenRequests() != 0 {
		t.Fatal("a locally refused photo caused a request")
	}
}

// fakeZoom is a Zoom that grants tokens and answers every API call with api.
func fakeZoom(t *testing.T, api http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			w.Write([]byte(`{"access_token":"t","token_type":"bearer","expires_in":3600}`))
			return
		}
		api(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestServerEchoOfTheSecretIsRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, secret, _ := r.BasicAuth()
		w.WriteHeader(401)
		w.Write([]byte(`{"reason":"bad secret ` + secret + `","error":"invalid_client"}`))
	}))
	defer srv.Close()
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "very-secret-value"}
	err := newClient(t, c).Check(context.Background())
	wantClass(t, err, upload.ClassAuth)
	if strings.Contains(err.Error(), "very-secret-value") || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("%v", err)
	}
}

func TestServerErrorsAreRetryable(t *testing.T) {
	srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		w.Write([]byte("<html>Bad Gateway</html>"))
	})
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	_, err := newClient(t, c).Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
	if e := wantClass(t, err, upload.ClassServer); e.Status != 502 || !e.Class.Retryable() {
		t.Fatalf("%+v", e)
	}
}

func TestTruncatedTokenAnswerDoesNotShowTheToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"eyJhbGciOiJIUzUxMiJ9.partial`))
	}))
	defer srv.Close()
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	err := newClient(t, c).Check(context.Background())
	wantClass(t, err, upload.ClassServer)
	if strings.Contains(err.Error(), "eyJhbGci") {
		t.Fatalf("token fragment in error: %v", err)
	}
}

func TestMissingScopeNamesTheScopeNotTheSecret(t *testing.T) {
	for _, tc := range []struct {
		granted []string
		call    string // check, resolve or upload
		missing string // "" = the call works
	}{
		{granted: nil, call: "check"}, {granted: nil, call: "resolve"}, {granted: nil, call: "upload"},
		{granted: []string{"user:read:admin", "user:write:admin"}, call: "upload"}, // classic scopes still work
		{granted: []string{"user:write:profile_picture:admin", "user:read:list_users:admin"}, call: "resolve", missing: "user:read:user:admin"},
		{granted: []string{"user:read:user:admin", "user:read:list_users:admin"}, call: "upload", missing: "user:write:profile_picture:admin"},
		{granted: []string{"user:read:user:admin", "user:write:profile_picture:admin"}, call: "check", missing: "user:read:list_users:admin"},
	} {
		s := startSandbox(t, sandbox.Options{ZoomScopes: tc.granted})
		cl := newClient(t, config(s))
		var err error
		switch tc.call {
		case "check":
			err = cl.Check(context.Background())
		case "resolve":
			_, err = cl.Resolve(context.Background(), jane)
		default:
			_, err = cl.Upload(context.Background(), upload.Target{Person: jane, ID: jane}, photo(t))
		}
		name := tc.call + " with " + strings.Join(tc.granted, ",")
		if tc.missing == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		e, ok := upload.AsError(err)
		if !ok || e.Class != upload.ClassAuth || e.Status != 400 || e.Code != "4711" {
			t.Errorf("%s: %v; want an auth error, HTTP 400 code 4711", name, err)
			continue
		}
		want := "the app lacks scope " + tc.missing + "; add it under Scopes in the Marketplace app"
		if !strings.Contains(e.Message, want) || !strings.Contains(e.Hint, want) || strings.Contains(e.Message, "client id") {
			t.Errorf("%s: message %q hint %q; want %q and nothing about the credentials", name, e.Message, e.Hint, want)
		}
	}
}

func TestDailyLimitISO8601RetryAfter(t *testing.T) {
	s := startSandbox(t, sandbox.Options{ZoomDailyLimit: 1})
	cl := newClient(t, config(s))
	tg := upload.Target{Person: jane, ID: jane}
	if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
		t.Fatal(err)
	}
	_, err := cl.Upload(context.Background(), tg, photo(t))
	e := wantClass(t, err, upload.ClassThrottled)
	now := time.Now().UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	if d := midnight.Sub(now) - e.RetryAfter; d < -5*time.Second || d > 5*time.Second {
		t.Fatalf("ISO-8601 Retry-After: wait %v, want about %v", e.RetryAfter, midnight.Sub(now))
	}
	// The header itself, as Zoom documents it, read by a fake server: an
	// hour ahead, not the next midnight.
	at := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", at.Format(time.RFC3339))
		w.Header().Set("X-RateLimit-Type", "Daily-limit")
		w.WriteHeader(429)
		w.Write([]byte(`{"code":429,"message":"You have reached the maximum daily rate limit for this API."}`))
	})
	c := zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"}
	_, err = newClient(t, c).Upload(context.Background(), tg, photo(t))
	if e := wantClass(t, err, upload.ClassThrottled); e.RetryAfter < 59*time.Minute || e.RetryAfter > time.Hour {
		t.Fatalf("retry after %v, want about an hour (the header's time)", e.RetryAfter)
	}
}

// Credentials refused while reading the user list stay a credentials
// error (the platform pauses), not a local "rate limiter" rejection.
func TestUserListAuthErrorKeepsItsClass(t *testing.T) {
	srv := fakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"code":124,"message":"Invalid access token."}`))
	})
	c := newClient(t, zoom.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token", AccountID: "a", ClientID: "b", ClientSecret: "c"})
	c.ExpectPeople(40)
	_, err := c.Resolve(context.Background(), jane)
	if e := wantClass(t, err, upload.ClassAuth); e.Local || strings.Contains(e.Message, "rate limiter") {
		t.Fatalf("%+v", e)
	}
}
