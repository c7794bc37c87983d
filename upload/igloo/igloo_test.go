package igloo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/sandbox"
)

func testPhoto(t testing.TB) upload.Photo {
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

func startSandbox(t testing.TB, opts sandbox.Options) (*sandbox.Sandbox, Config) {
	t.Helper()
	if opts.RateScale == 0 {
		opts.RateScale = 1000
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	return sb, sandboxConfig(sb)
}

// sandboxConfig is a client config for sb's Igloo, its limits lifted.
func sandboxConfig(sb *sandbox.Sandbox) Config {
	cr := sb.Credentials()["igloo"]
	cfg := Defaults()
	cfg.BaseURL, cfg.CommunityKey, cfg.AppID, cfg.AppPassword = cr["base_url"], cr["community_key"], cr["app_id"], apihttp.Secret(cr["app_password"])
	cfg.Username, cfg.Password = cr["username"], apihttp.Secret(cr["password"])
	cfg.Rate = upload.Rate{N: 1000, Per: time.Second}
	cfg.LookupRate = upload.Rate{N: 1000, Per: time.Second}
	cfg.ResumeDelay = time.Millisecond
	return cfg
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

// uploadTo resolves user and uploads photo, failing the test on error.
func uploadTo(t *testing.T, c *Client, u sandbox.User, photo upload.Photo) upload.Receipt {
	t.Helper()
	target, err := c.Resolve(context.Background(), u.Email)
	if err != nil {
		t.Fatalf("Resolve %s: %v", u.Email, err)
	}
	if target.ID != u.GUID {
		t.Fatalf("Resolve %s = %q, want GUID %s", u.Email, target.ID, u.GUID)
	}
	rc, err := c.Upload(context.Background(), target, photo)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	return rc
}

func assertStored(t *testing.T, sb *sandbox.Sandbox, n int, u sandbox.User, photo upload.Photo) {
	t.Helper()
	got := sb.ReceivedBy("igloo")
	if len(got) != n {
		t.Fatalf("sandbox stored %d photos, want %d", len(got), n)
	}
	r := got[n-1]
	if r.User != u.Email || r.Width != 600 || r.Height != 600 || r.Bytes != len(photo.Data) || r.SHA256 != photo.Hash {
		t.Fatalf("stored %+v, want %s 600x600 %d bytes, same hash", r, u.Email, len(photo.Data))
	}
}

func TestUploadThreeSteps(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	photo := testPhoto(t)
	u := sb.Users()[3]
	rc := uploadTo(t, c, u, photo)
	if len(rc.Detail) != 10 || rc.Status != http.StatusOK {
		t.Fatalf("receipt %+v, want the 10-character attachment key", rc)
	}
	assertStored(t, sb, 1, u, photo)
	if got := sb.IglooPatchBytes(); got != int64(len(photo.Data)) {
		t.Fatalf("server read %d PATCH bytes for a %d-byte photo", got, len(photo.Data))
	}
	if sb.IglooLogins() != 1 {
		t.Fatalf("%d logins, want 1 shared session", sb.IglooLogins())
	}
}

func TestChunkedUpload(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	cfg.ChunkSize = 4 * 1024
	c := newClient(t, cfg)
	photo := testPhoto(t)
	if len(photo.Data) < 3*4*1024 {
		t.Fatalf("test photo too small (%d) to need several chunks", len(photo.Data))
	}
	u := sb.Users()[0]
	uploadTo(t, c, u, photo)
	assertStored(t, sb, 1, u, photo)
	if got := sb.IglooPatchBytes(); got != int64(len(photo.Data)) {
		t.Fatalf("server read %d PATCH bytes, want %d", got, len(photo.Data))
	}
}

func TestResumeAfterCutMidPatch(t *testing.T) {
	for _, chunk := range []int64{0, 16 * 1024} { // one PATCH, and a cut inside the first of several
		sb, cfg := startSandbox(t, sandbox.Options{IglooCutAfter: 5000})
		if chunk > 0 {
			cfg.ChunkSize = chunk
		}
		c := newClient(t, cfg)
		photo := testPhoto(t)
		u := sb.Users()[1]
		uploadTo(t, c, u, photo)
		assertStored(t, sb, 1, u, photo)
		// The cut kept 5000 bytes; a resume that re-sent them would make
		// the server read 5000 more than the photo.
		if got := sb.IglooPatchBytes(); got != int64(len(photo.Data)) {
			t.Fatalf("chunk %d: server read %d PATCH bytes for a %d-byte photo: stored bytes were re-sent", chunk, got, len(photo.Data))
		}
		if q, m := sb.IglooQueries(); q != 1 || m != 0 {
			t.Fatalf("chunk %d: %d stored-length queries and %d 416s, want 1 query after the cut and no 416", chunk, q, m)
		}
	}
}

func TestResumeAfterTimeoutMidPatch(t *testing.T) {
	// The first PATCH's body stalls after 4000 bytes (the sandbox keeps
	// them) and no answer comes until the client's timeout has passed.
	sb := sandbox.New(sandbox.Options{RateScale: 1000})
	const timeout = 300 * time.Millisecond
	var stalled atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch && r.ContentLength > 4000 && stalled.CompareAndSwap(false, true) {
			r.Body = io.NopCloser(io.MultiReader(io.LimitReader(r.Body, 4000), iotest.ErrReader(io.ErrUnexpectedEOF)))
			sb.Handler().ServeHTTP(httptest.NewRecorder(), r) // stores the 4000 bytes, answers nobody
			select {
			case <-r.Context().Done():
			case <-time.After(3 * timeout):
			}
			return
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	sb.URL = srv.URL
	cr := sb.Credentials()["igloo"]
	cfg := Defaults()
	cfg.BaseURL, cfg.CommunityKey, cfg.AppID, cfg.AppPassword = cr["base_url"], cr["community_key"], cr["app_id"], apihttp.Secret(cr["app_password"])
	cfg.Username, cfg.Password = cr["username"], apihttp.Secret(cr["password"])
	cfg.Rate, cfg.ResumeDelay, cfg.Timeout = upload.Rate{N: 1000, Per: time.Second}, time.Millisecond, timeout
	c := newClient(t, cfg)
	photo := testPhoto(t)
	u := sb.Users()[5]
	uploadTo(t, c, u, photo)
	assertStored(t, sb, 1, u, photo)
	if !stalled.Load() {
		t.Fatal("no PATCH was stalled")
	}
	if got := sb.IglooPatchBytes(); got != int64(len(photo.Data)) {
		t.Fatalf("server read %d PATCH bytes for a %d-byte photo: stored bytes were re-sent", got, len(photo.Data))
	}
	if q, _ := sb.IglooQueries(); q != 1 {
		t.Fatalf("%d stored-length queries, want 1", q)
	}
}

func TestThrottledPatchWaitsAndResumes(t *testing.T) {
	sb := sandbox.New(sandbox.Options{RateScale: 1000})
	var throttled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch && r.ContentLength > 0 && throttled.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	sb.URL = srv.URL
	cr := sb.Credentials()["igloo"]
	cfg := Defaults()
	cfg.BaseURL, cfg.CommunityKey, cfg.AppID, cfg.AppPassword = cr["base_url"], cr["community_key"], cr["app_id"], apihttp.Secret(cr["app_password"])
	cfg.Username, cfg.Password = cr["username"], apihttp.Secret(cr["password"])
	cfg.Rate, cfg.ResumeDelay = upload.Rate{N: 1000, Per: time.Second}, time.Millisecond
	c := newClient(t, cfg)
	photo := testPhoto(t)
	u := sb.Users()[6]
	uploadTo(t, c, u, photo)
	assertStored(t, sb, 1, u, photo)
	if q, _ := sb.IglooQueries(); q != 1 || throttled.Load() < 2 {
		t.Fatalf("%d queries after %d PATCHes; want the 429 followed by a query and a resume", q, throttled.Load())
	}
}

func TestMisalignedRangeIsQueriedAndResumed(t *testing.T) {
	// After the first 8 KiB chunk is acknowledged the entry rolls back to
	// 3000 bytes, so the client's next range (8192-...) gets a 416.
	sb, cfg := startSandbox(t, sandbox.Options{IglooTruncateTo: 3000})
	cfg.ChunkSize = 8192
	c := newClient(t, cfg)
	photo := testPhoto(t)
	u := sb.Users()[4]
	uploadTo(t, c, u, photo)
	assertStored(t, sb, 1, u, photo)
	if got, want := sb.IglooPatchBytes(), int64(len(photo.Data)+8192-3000); got != want {
		t.Fatalf("server read %d PATCH bytes, want %d (photo + only the bytes it lost)", got, want)
	}
	if q, m := sb.IglooQueries(); q != 1 || m != 1 {
		t.Fatalf("%d queries, %d 416s; want one 416 followed by one query", q, m)
	}
}

func TestResumesAreBounded(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{IglooCutAfter: 100, IglooCutTimes: 1000})
	cfg.MaxResumes = 2
	c := newClient(t, cfg)
	target, err := c.Resolve(context.Background(), sb.Users()[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Upload(context.Background(), target, testPhoto(t))
	e := wantClass(t, err, upload.ClassNetwork)
	if !strings.Contains(e.Message, "gave up after 2 resumes") {
		t.Fatalf("message %q", e.Message)
	}
	if got := sb.IglooPatchBytes(); got != 300 {
		t.Fatalf("server read %d bytes, want 3 cut PATCHes of 100", got)
	}
	if len(sb.ReceivedBy("igloo")) != 0 {
		t.Fatal("an incomplete upload was associated")
	}
}

func TestReloginOnceOnExpiredSession(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	photo := testPhoto(t)
	uploadTo(t, c, sb.Users()[0], photo)
	sb.ExpireIglooSessions()
	// Concurrent callers hitting the expired session share one new login.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := c.Resolve(context.Background(), sb.Users()[i].Email)
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := sb.IglooLogins(); got != 2 {
		t.Fatalf("%d logins, want 2 (one per session)", got)
	}
	uploadTo(t, c, sb.Users()[1], photo)
	assertStored(t, sb, 2, sb.Users()[1], photo)
}

func TestSessionRefusedAfterReloginIsAuth(t *testing.T) {
	// Sessions expire at once: the client logs in, gets 401, logs in once
	// more, gets 401 again and gives up.
	sb, cfg := startSandbox(t, sandbox.Options{IglooSessionTTL: time.Nanosecond})
	c := newClient(t, cfg)
	_, err := c.Resolve(context.Background(), sb.Users()[0].Email)
	wantClass(t, err, upload.ClassAuth)
	if got := sb.IglooLogins(); got != 2 {
		t.Fatalf("%d logins, want exactly 2 (first + one retry)", got)
	}
}

func TestWrongCredentialsAreAuthWithoutSecret(t *testing.T) {
	_, cfg := startSandbox(t, sandbox.Options{})
	cfg.Password = "wrong-pass-s3cr3t"
	cfg.AppPassword = "app-s3cr3t"
	c := newClient(t, cfg)
	err := c.Check(context.Background())
	e := wantClass(t, err, upload.ClassAuth)
	if e.Status != 401 || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("got %v", err)
	}
	_, err = c.Upload(context.Background(), upload.Target{ID: "a1f00001-9c3e-4d2b-b7a1-000000000001"}, testPhoto(t))
	if wantClass(t, err, upload.ClassAuth); strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("leak: %v", err)
	}
}

func TestResolveNeedsExactMatch(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	for _, key := range []string{"nobody@example.com", "aff001@example.com", "staff00"} {
		_, err := c.Resolve(context.Background(), key)
		e := wantClass(t, err, upload.ClassNotFound)
		if !strings.Contains(e.Message, key) {
			t.Fatalf("%s: message %q", key, e.Message)
		}
	}
	u := sb.Users()[20]
	for _, key := range []string{strings.ToUpper(u.Email), u.Username, u.GUID} {
		target, err := c.Resolve(context.Background(), key)
		if err != nil || target.ID != u.GUID {
			t.Fatalf("%s: %+v %v", key, target, err)
		}
	}
}

func TestAssociateUnknownMemberIsNotFound(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	_, err := c.Upload(context.Background(), upload.Target{Person: "ghost@example.com", ID: "00000000-0000-4000-8000-000000000000"}, testPhoto(t))
	e := wantClass(t, err, upload.ClassNotFound)
	if e.Status != 404 || !strings.Contains(e.Message, "ghost@example.com") {
		t.Fatalf("got %v", e)
	}
	if len(sb.Received()) != 0 {
		t.Fatal("stored a photo for nobody")
	}
}

func TestServerTooLarge(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	cfg.MaxBytes = 8 * 1024 * 1024
	c := newClient(t, cfg)
	big := upload.NewPhoto(make([]byte, 5*1024*1024+1), "image/png", 600, 600)
	_, err := c.Upload(context.Background(), upload.Target{ID: sb.Users()[0].GUID}, big)
	e := wantClass(t, err, upload.ClassTooLarge)
	if e.Status != 413 || e.Size != int64(len(big.Data)) || e.Local {
		t.Fatalf("got %+v", e)
	}
}

func TestThrottled(t *testing.T) {
	// Other apps on the same workplace: each new client searches at once
	// (it has no minRequestPeriod to heed yet), so together they search
	// faster than the workplace's 5/s allows: a 429.
	sb, cfg := startSandbox(t, sandbox.Options{RateScale: 1})
	var err error
	for i := 0; i < 30 && err == nil; i++ {
		_, err = newClient(t, cfg).Resolve(context.Background(), sb.Users()[0].Email)
	}
	e := wantClass(t, err, upload.ClassThrottled)
	if e.RetryAfter < time.Second {
		t.Fatalf("RetryAfter %v", e.RetryAfter)
	}
}

func TestGarbageAnswersAreServerErrors(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"html login": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>Sign in</html>")) //nolint:errcheck
		},
		"bad json search": func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/session/create") {
				w.Write([]byte(`{"response":{"sessionKey":"tok"}}`)) //nolint:errcheck
				return
			}
			w.Write([]byte(`{"response": {"value": `)) //nolint:errcheck
		},
		"no location": func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/session/create") {
				w.Write([]byte(`{"response":{"sessionKey":"tok"}}`)) //nolint:errcheck
				return
			}
			w.WriteHeader(http.StatusCreated)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			cfg := Defaults()
			cfg.BaseURL, cfg.CommunityKey, cfg.AppID, cfg.AppPassword, cfg.Username, cfg.Password = srv.URL, "10", "a", "b", "c", "d"
			c := newClient(t, cfg)
			if name != "no location" {
				wantClass(t, c.Check(context.Background()), upload.ClassServer)
				return
			}
			_, err := c.Upload(context.Background(), upload.Target{ID: "x"}, testPhoto(t))
			wantClass(t, err, upload.ClassServer)
		})
	}
}

func TestHangingServerTimesOut(t *testing.T) {
	srv := hostile.Hanging(t)
	cfg := Defaults()
	cfg.BaseURL, cfg.CommunityKey, cfg.AppID, cfg.AppPassword, cfg.Username, cfg.Password = srv.URL, "10", "a", "b", "c", "d"
	cfg.Timeout = 150 * time.Millisecond
	wantClass(t, newClient(t, cfg).Check(context.Background()), upload.ClassNetwork)
}

func TestKeyFromLocation(t *testing.T) {
	for loc, want := range map[string]string{
		"/.api2/api/v1/communities/10/attachments/ab12cd34ef":                        "ab12cd34ef",
		"https://acme.igloo.com/.api2/api/v1/communities/10/attachments/Ab12Cd34Ef/": "Ab12Cd34Ef",
		"attachments/uploads/zz99yy88xx?x=1":                                         "zz99yy88xx",
		"":                                                                           "",
		"/":                                                                          "",
		"/attachments/<script>":                                                      "",
	} {
		if got := keyFromLocation(loc); got != want {
			t.Errorf("%q -> %q, want %q", loc, got, want)
		}
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := Defaults()
	good.BaseURL, good.CommunityKey, good.AppID, good.AppPassword, good.Username, good.Password =
		"https://acme.igloo.com", "10", "app", "app-secret-pw", "admin", "user-secret-pw"
	if _, err := New(good); err != nil {
		t.Fatal(err)
	}
	hostile.NewRefusesConfigs(t, good, "secret-pw", New, map[string]hostile.ConfigCase[Config]{
		"no base":      {Mut: func(c *Config) { c.BaseURL = "" }, Want: "base_url"},
		"community":    {Mut: func(c *Config) { c.CommunityKey = "ten" }, Want: "community_key"},
		"app id":       {Mut: func(c *Config) { c.AppID = "" }, Want: "app_id"},
		"app password": {Mut: func(c *Config) { c.AppPassword = "" }, Want: "app_password"},
		"username":     {Mut: func(c *Config) { c.Username = "" }, Want: "username"},
		"password":     {Mut: func(c *Config) { c.Password = "" }, Want: "password"},
	})
}

// BenchmarkUploadSandbox measures one three-step upload of a 600x600 JPEG
// against the loopback emulator (the client's own cost plus loopback HTTP).
func BenchmarkUploadSandbox(b *testing.B) {
	sb, cfg := startSandbox(b, sandbox.Options{RateScale: 1e6})
	cfg.Rate = upload.Rate{N: 1000000, Per: time.Second}
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	photo := testPhoto(b)
	target := upload.Target{ID: sb.Users()[0].GUID}
	b.SetBytes(int64(len(photo.Data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Upload(context.Background(), target, photo); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoginV1ByDefaultV2AsSetting(t *testing.T) {
	for _, tc := range []struct {
		client, server string
		wantOK         bool
		wantHint       string // in the failure: which login to set
	}{
		{client: "", server: "", wantOK: true}, // the defaults: v1 on both sides
		{client: LoginV1, server: "both", wantOK: true},
		{client: LoginV2, server: "v2", wantOK: true},
		{client: LoginV2, server: "both", wantOK: true},
		{client: LoginV2, server: "v1", wantHint: `login = "v1"`}, // a SAML community: v1 only
		{client: LoginV1, server: "v2", wantHint: `login = "v2"`},
	} {
		name := fmt.Sprintf("client %q, server offers %q", tc.client, tc.server)
		sb, cfg := startSandbox(t, sandbox.Options{IglooLogin: tc.server})
		cfg.Login = tc.client
		c := newClient(t, cfg)
		u := sb.Users()[2]
		target, err := c.Resolve(context.Background(), u.Email)
		if tc.wantOK {
			if err != nil || target.ID != u.GUID {
				t.Errorf("%s: Resolve = %+v, %v", name, target, err)
				continue
			}
			uploadTo(t, c, u, testPhoto(t))
			continue
		}
		e, ok := upload.AsError(err)
		if !ok || e.Class != upload.ClassAuth || !strings.Contains(e.Message, "login failed") || !strings.Contains(e.Message, tc.wantHint) {
			t.Errorf("%s: Resolve error %v; want an auth error saying login failed and %s (never not found)", name, err, tc.wantHint)
		}
		if len(sb.ReceivedBy("igloo")) != 0 {
			t.Errorf("%s: stored a photo without a session", name)
		}
	}
}

func TestFailedLoginIsNeverPersonNotFound(t *testing.T) {
	for _, login := range []string{LoginV1, LoginV2} {
		sb, cfg := startSandbox(t, sandbox.Options{IglooLogin: "both"})
		cfg.Login, cfg.Password = login, "wrong-password"
		c := newClient(t, cfg)
		_, err := c.Resolve(context.Background(), sb.Users()[0].Email)
		e := wantClass(t, err, upload.ClassAuth)
		if !strings.HasPrefix(e.Message, "login failed") || strings.Contains(strings.ToLower(e.Message), "not found") {
			t.Errorf("%s: message %q; want it to start with \"login failed\"", login, e.Message)
		}
	}
}

func TestCommunityAddressSentWithV1Login(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	cfg.CommunityAddress = strings.TrimPrefix(sb.URL, "http://") // the bare host, as Igloo's blog writes it
	if err := newClient(t, cfg).Check(context.Background()); err != nil {
		t.Fatalf("bare host: %v", err)
	}
	cfg.CommunityAddress = "other.example.com"
	_, err := newClient(t, cfg).Resolve(context.Background(), sb.Users()[0].Email)
	if e := wantClass(t, err, upload.ClassAuth); !strings.Contains(e.Message, "login failed") {
		t.Fatalf("wrong community: %v", err)
	}
}

func TestSearchAsksForRowsAndPages(t *testing.T) {
	// Twelve members whose address contains jane@example.com come before
	// the exact match: the server's default page (10 hits) misses her.
	users := sandbox.Roster(0)
	for i := 0; i < 12; i++ {
		users = append(users, sandbox.User{Email: fmt.Sprintf("x%02d.jane@example.com", i), Username: fmt.Sprintf("x%02d", i),
			GUID: fmt.Sprintf("b1f00000-9c3e-4d2b-b7a1-%012d", i)})
	}
	jane := sandbox.User{Email: "jane@example.com", Username: "jane", First: "Jane", GUID: "c1f00000-9c3e-4d2b-b7a1-000000000001"}
	users = append(users, jane)
	for _, rows := range []int{0, 5, 10} { // 0: the default; 5 and 10: found on a later page
		sb, cfg := startSandbox(t, sandbox.Options{Users: users})
		cfg.SearchRows = rows
		target, err := newClient(t, cfg).Resolve(context.Background(), jane.Email)
		if err != nil || target.ID != jane.GUID {
			t.Errorf("search_rows %d: Resolve = %+v, %v; want Jane past the tenth hit", rows, target, err)
		}
		_ = sb
	}
}

func TestRelativeLocationKey(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{IglooRelativeLocation: true})
	c := newClient(t, cfg)
	photo := testPhoto(t)
	rc := uploadTo(t, c, sb.Users()[7], photo)
	if len(rc.Detail) != 10 {
		t.Fatalf("receipt %+v", rc)
	}
	assertStored(t, sb, 1, sb.Users()[7], photo)
}
