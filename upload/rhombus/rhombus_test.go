package rhombus_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/rhombus"
	"headshot/upload/sandbox"
)

const jane = "jane.doe@example.com"

func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func config(s *sandbox.Sandbox) rhombus.Config {
	c := rhombus.Defaults()
	cr := s.Credentials()["rhombus"]
	c.BaseURL, c.APIKey = cr["base_url"], apihttp.Secret(cr["api_key"])
	c.Timeout = 10 * time.Second
	return c
}

func newClient(t *testing.T, c rhombus.Config) *rhombus.Client {
	t.Helper()
	cl, err := rhombus.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

var (
	photoOnce sync.Once
	photoData []byte
)

// photo is a prepared 600x600 PNG (encoded once per test binary).
func photo(t testing.TB) upload.Photo {
	t.Helper()
	photoOnce.Do(func() {
		img := image.NewNRGBA(image.Rect(0, 0, 600, 600))
		for y := 0; y < 600; y += 3 {
			for x := 0; x < 600; x++ {
				img.SetNRGBA(x, y, color.NRGBA{uint8(x), 40, uint8(y), 255})
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			panic(err)
		}
		photoData = buf.Bytes()
	})
	return upload.NewPhoto(photoData, "image/png", 600, 600)
}

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
		t.Fatal(err)
	}
	tg, err := cl.Resolve(ctx, "JANE.DOE@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if tg.ID != jane || tg.Name != "Jane Doe" {
		t.Fatalf("resolved %+v", tg)
	}
	p := photo(t)
	rc, err := cl.Upload(ctx, tg, p)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Status != 200 || rc.Detail == "" {
		t.Fatalf("receipt %+v", rc)
	}
	got := s.ReceivedBy("rhombus")
	if len(got) != 1 || got[0].User != jane || got[0].Bytes != len(p.Data) || got[0].Width != 600 || got[0].Height != 600 || got[0].Format != "png" {
		t.Fatalf("received %+v", got)
	}
}

func TestResolveByUUIDAndCachesTheList(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	u := s.Users()[3]
	for i := 0; i < 3; i++ {
		tg, err := cl.Resolve(context.Background(), u.RhombusID())
		if err != nil {
			t.Fatal(err)
		}
		if tg.ID != u.Email {
			t.Fatalf("resolved %+v", tg)
		}
	}
	if n := s.RhombusUserListCalls(); n != 1 {
		t.Fatalf("user list fetched %d times for 3 lookups, want 1", n)
	}
	_, err := cl.Resolve(context.Background(), "nobody@example.com")
	if e := wantClass(t, err, upload.ClassNotFound); !strings.Contains(e.Message, "nobody@example.com") {
		t.Fatalf("%+v", e)
	}
}

func TestConcurrentResolvesShareOneListFetch(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	cl := newClient(t, config(s))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cl.Resolve(context.Background(), jane); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := s.RhombusUserListCalls(); n != 1 {
		t.Fatalf("%d list fetches for 8 concurrent lookups, want 1", n)
	}
}

func TestBatchWithSomeFailures(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	c.MaxBytes = 8 * 1024 * 1024 // let the oversize photo reach the sandbox
	cl := newClient(t, c)
	good := photo(t)
	big := make([]byte, 6*1024*1024)
	copy(big, "\x89PNG\r\n\x1a\n")
	notImage := []byte("\x89PNG-but-not-really")
	items := []upload.Item{
		{Target: upload.Target{Person: jane, ID: jane}, Photo: good},
		{Target: upload.Target{Person: "ghost", ID: "ghost@example.com"}, Photo: good},
		{Target: upload.Target{Person: "omar", ID: "omar.haddad@example.com"}, Photo: upload.NewPhoto(big, "image/png", 600, 600)},
		{Target: upload.Target{Person: "mei", ID: "mei.tanaka@example.com"}, Photo: upload.NewPhoto(notImage, "image/png", 600, 600)},
		{Target: upload.Target{Person: "lukas", ID: s.Users()[3].RhombusID()}, Photo: good},
		{Target: upload.Target{Person: "gif", ID: "amara.okafor@example.com"}, Photo: upload.NewPhoto(good.Data, "image/gif", 600, 600)},
	}
	out, err := cl.UploadBatch(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(items) {
		t.Fatalf("%d outcomes for %d items", len(out), len(items))
	}
	if out[0].Err != nil || out[4].Err != nil {
		t.Fatalf("good photos failed: %v / %v", out[0].Err, out[4].Err)
	}
	wantClass(t, out[1].Err, upload.ClassNotFound)
	if e := wantClass(t, out[2].Err, upload.ClassTooLarge); e.Size != int64(len(big)) || e.Limit != 5*1024*1024 {
		t.Fatalf("%+v", e)
	}
	wantClass(t, out[3].Err, upload.ClassRejected)
	if e := wantClass(t, out[5].Err, upload.ClassRejected); !e.Local {
		t.Fatalf("gif was sent: %+v", e)
	}
	got := s.ReceivedBy("rhombus")
	if len(got) != 2 || got[0].User != jane || got[1].User != s.Users()[3].Email {
		t.Fatalf("received %+v", got)
	}
}

func TestBatchOverBatchSizeIsRefused(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	c.BatchSize = 2
	items := make([]upload.Item, 3)
	for i := range items {
		items[i] = upload.Item{Target: upload.Target{ID: jane}, Photo: photo(t)}
	}
	_, err := newClient(t, c).UploadBatch(context.Background(), items)
	if e := wantClass(t, err, upload.ClassRejected); !e.Local {
		t.Fatalf("%+v", e)
	}
	c.BatchSize = 101
	if _, err := rhombus.New(c); err == nil || !strings.Contains(err.Error(), "batch_size") {
		t.Fatalf("batch_size 101 accepted: %v", err)
	}
}

func TestSandboxRefusesMoreThanMaxFiles(t *testing.T) {
	s := startSandbox(t, sandbox.Options{RhombusMaxFiles: 2})
	items := make([]upload.Item, 3)
	for i := range items {
		items[i] = upload.Item{Target: upload.Target{ID: jane}, Photo: photo(t)}
	}
	_, err := newClient(t, config(s)).UploadBatch(context.Background(), items)
	if e := wantClass(t, err, upload.ClassRejected); e.Status != 400 || !strings.Contains(e.Message, "at most 2") {
		t.Fatalf("%+v", e)
	}
}

func TestApplicationErrorWithHTTP200(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"error":true,"errorMsg":"Feature not enabled for this organization","warningMsg":null}`))
	}))
	defer srv.Close()
	cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k"})
	_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
	e := wantClass(t, err, upload.ClassRejected)
	if e.Status != 200 || e.Message != "Feature not enabled for this organization" {
		t.Fatalf("%+v", e)
	}
}

func TestFileMissingFromResultsIsServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		mr := multipart.NewReader(r.Body, params["boundary"])
		var names []string
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			if p.FormName() != "files" {
				t.Errorf("part named %q, want files", p.FormName())
			}
			names = append(names, p.FileName())
		}
		// Report only on the first file.
		fmt.Fprintf(w, `{"fileUploadResults":[{"fileName":%q,"success":true}],"transactionId":"tx1"}`, strings.ToUpper(names[0]))
	}))
	defer srv.Close()
	cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k"})
	items := []upload.Item{
		{Target: upload.Target{ID: jane}, Photo: photo(t)},
		{Target: upload.Target{ID: "omar.haddad@example.com"}, Photo: photo(t)},
	}
	out, err := cl.UploadBatch(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Err != nil || out[0].Receipt.Detail != "tx1" {
		t.Fatalf("first: %+v", out[0])
	}
	if e := wantClass(t, out[1].Err, upload.ClassServer); !strings.Contains(e.Message, "omar.haddad@example.com.png") {
		t.Fatalf("%+v", e)
	}
}

func TestWrongKeyIsAuthWithoutTheKey(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	c.APIKey = "wrong-key-12345"
	err := newClient(t, c).Check(context.Background())
	e := wantClass(t, err, upload.ClassAuth)
	if e.Status != 403 || strings.Contains(err.Error(), string(c.APIKey)) || !strings.Contains(err.Error(), "api_key") {
		t.Fatalf("%v", err)
	}
}

func TestPartnerSchemeSendsOrg(t *testing.T) {
	s := startSandbox(t, sandbox.Options{})
	c := config(s)
	c.AuthScheme = "partner-api-token"
	if _, err := rhombus.New(c); err == nil || !strings.Contains(err.Error(), "org") {
		t.Fatalf("partner scheme without org accepted: %v", err)
	}
	c.Org = sandbox.RhombusPartnerOrg
	if err := newClient(t, c).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Org = "another-org"
	wantClass(t, newClient(t, c).Check(context.Background()), upload.ClassAuth)
}

func TestThrottledWithRetryAfter(t *testing.T) {
	s := startSandbox(t, sandbox.Options{RhombusRate: 0.5, RhombusBurst: 1})
	cl := newClient(t, config(s))
	if err := cl.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
	e := wantClass(t, err, upload.ClassThrottled)
	if e.RetryAfter < time.Second || e.RetryAfter > 2*time.Second {
		t.Fatalf("retry after %v, want 1-2 s", e.RetryAfter)
	}
	if !strings.Contains(e.Message, "Enhance your calm") {
		t.Fatalf("%+v", e)
	}
}

func TestThrottledWithoutRetryAfter(t *testing.T) {
	s := startSandbox(t, sandbox.Options{RhombusRate: 0.5, RhombusBurst: 1, Faults: sandbox.Faults{No429RetryAfter: true}})
	cl := newClient(t, config(s))
	if err := cl.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := cl.Check(context.Background())
	if e := wantClass(t, err, upload.ClassThrottled); e.RetryAfter != 0 {
		t.Fatalf("retry after %v with no header", e.RetryAfter)
	}
}

func TestGarbageAnswersAreServerErrors(t *testing.T) {
	for name, body := range map[string]string{
		"html page":      "<html><body>Sign in</body></html>",
		"truncated json": `{"fileUploadResults":[{"fileName":"jane`,
		"wrong shape":    `{"ok":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Write([]byte(body))
			}))
			defer srv.Close()
			cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k"})
			_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
			wantClass(t, err, upload.ClassServer)
			wantClass(t, cl.Check(context.Background()), upload.ClassServer)
		})
	}
}

func TestHangingServerTimesOut(t *testing.T) {
	srv := hostile.Hanging(t)
	cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k", Settings: apihttp.Settings{Timeout: 200 * time.Millisecond}})
	start := time.Now()
	_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
	wantClass(t, err, upload.ClassNetwork)
	wantClass(t, cl.Check(context.Background()), upload.ClassNetwork)
	if el := time.Since(start); el > 4*time.Second {
		t.Fatalf("two requests with a 200ms timeout took %v", el)
	}
}

func TestInjectedFaults(t *testing.T) {
	s := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{FailureRate: 1}})
	cl := newClient(t, config(s))
	_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
	if e := wantClass(t, err, upload.ClassServer); e.Status != 503 {
		t.Fatalf("%+v", e)
	}
	s.SetFaults(sandbox.Faults{ResetRate: 1})
	_, err = cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
	wantClass(t, err, upload.ClassNetwork)
}

func TestNewValidates(t *testing.T) {
	if _, err := rhombus.New(rhombus.Config{}); err == nil || !strings.Contains(err.Error(), "api_key") {
		t.Fatalf("missing api_key: %v", err)
	}
	if _, err := rhombus.New(rhombus.Config{APIKey: "k", AuthScheme: "bearer"}); err == nil || !strings.Contains(err.Error(), "auth_scheme") {
		t.Fatalf("bad scheme: %v", err)
	}
	if _, err := rhombus.New(rhombus.Config{APIKey: "k", BaseURL: "not a url"}); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Fatalf("bad url: %v", err)
	}
	cl, err := rhombus.New(rhombus.Config{APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	l := cl.Limits()
	if l.BatchSize != 100 || l.MaxBytes != 5*1024*1024 || l.Rate.PerSecond() != 10 || l.Burst < 1 {
		t.Fatalf("limits %+v", l)
	}
}

func TestHTTPStatusesAreClassed(t *testing.T) {
	cases := []struct {
		status int
		body   string
		class  upload.Class
		words  string
	}{
		{400, `{"error":true,"errorMsg":"Bad multipart request"}`, upload.ClassRejected, "Bad multipart request"},
		{413, "Request Entity Too Large", upload.ClassTooLarge, "Too Large"},
		{500, `{"message":"Missing parameter"}`, upload.ClassRejected, "Missing parameter"}, // twice, even alone: the photo's fault
		{404, "<html>Not Found</html>", upload.ClassServer, "base_url"},
		{401, `{"message":"echo k-secret-key"}`, upload.ClassAuth, "api_key"},
	}
	for _, c := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(c.status)
			w.Write([]byte(c.body))
		}))
		cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k-secret-key"})
		p := photo(t)
		_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, p)
		srv.Close()
		e := wantClass(t, err, c.class)
		if e.Status != c.status || !strings.Contains(e.Message, c.words) || strings.Contains(err.Error(), "k-secret-key") {
			t.Fatalf("HTTP %d: %v", c.status, err)
		}
		if c.class == upload.ClassTooLarge && e.Size <= int64(len(p.Data)) {
			t.Fatalf("413 size %d, want the request's size", e.Size)
		}
	}
}
