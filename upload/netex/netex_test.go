package netex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
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
	if opts.RateScale == 0 {
		opts.RateScale = 100
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cr := sb.Credentials()["netex"]
	cfg := Defaults()
	cfg.BaseURL, cfg.Token = cr["base_url"], apihttp.Secret(cr["token"])
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

func partsString(ps []upload.PartStatus) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Name + "=" + strconv.Itoa(p.Status) + ";")
	}
	return b.String()
}

func TestUploadSynchronousByEmailIDAndUsername(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	photo := testPhoto(t)
	users := sb.Users()
	keys := []struct {
		key  string
		user sandbox.User
	}{
		{strings.ToUpper(users[1].Email), users[1]},      // email, matched case-insensitively
		{users[2].NetexHexID(), users[2]},                // id (32 hex digits)
		{users[150].Username, users[150]},                // username
		{users[len(users)-1].Email, users[len(users)-1]}, // last user: needs the list paged fully
	}
	for i, k := range keys {
		target, err := c.Resolve(context.Background(), k.key)
		if err != nil {
			t.Fatalf("Resolve %s: %v", k.key, err)
		}
		if target.ID != k.user.NetexHexID() || target.Name != k.user.Name() {
			t.Fatalf("Resolve %s = %+v, want id %s and the name from name/surname", k.key, target, k.user.NetexHexID())
		}
		rc, err := c.Upload(context.Background(), target, photo)
		if err != nil {
			t.Fatalf("Upload %s: %v", k.key, err)
		}
		if got := partsString(rc.Parts); got != "training=200;social=204;play=204;management=204;" {
			t.Fatalf("parts %s", got)
		}
		got := sb.ReceivedBy("netex")
		if len(got) != i+1 {
			t.Fatalf("stored %d photos, want %d", len(got), i+1)
		}
		r := got[i]
		if r.User != k.user.Email || r.Width != 600 || r.Height != 600 || r.Bytes != len(photo.Data) || r.SHA256 != photo.Hash {
			t.Fatalf("stored %+v", r)
		}
	}
}

func TestAsynchronousPartsAreQueued(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	cfg.Synchronization = Asynchronous
	c := newClient(t, cfg)
	target, err := c.Resolve(context.Background(), sb.Users()[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := c.Upload(context.Background(), target, testPhoto(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := partsString(rc.Parts); got != "training=202;social=202;play=204;management=204;" {
		t.Fatalf("parts %s", got)
	}
	for _, p := range rc.Parts {
		if p.Status == 202 && p.Message != "queued" {
			t.Fatalf("202 part %s not marked queued: %q", p.Name, p.Message)
		}
	}
}

func TestOneSubPlatformFailsIsAPartialSuccess(t *testing.T) {
	for _, tc := range []struct {
		part   string
		status int
		msg    string
		want   string
	}{
		{"social", 0, "social storage is full", "social 500 (social storage is full)"},
		{"play", 400, "format refused", "play 400 (format refused)"},
	} {
		sb, cfg := startSandbox(t, sandbox.Options{NetexFailPart: tc.part, NetexFailStatus: tc.status, NetexFailMessage: tc.msg})
		c := newClient(t, cfg)
		target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
		rc, err := c.Upload(context.Background(), target, testPhoto(t))
		if err != nil {
			t.Fatalf("%s: one sub-platform failing is not a total failure: %v", tc.part, err)
		}
		failed := rc.Failed()
		if len(rc.Parts) != 4 || len(failed) != 1 || upload.PartsSummary(failed) != tc.want {
			t.Fatalf("%s: parts %s, failed %q; want %q only", tc.part, partsString(rc.Parts), upload.PartsSummary(failed), tc.want)
		}
	}
}

func TestEverySubPlatformFailingIsAFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":500,"message":"","responsePlatforms":{"training":{"status":500,"message":"down"},` + //nolint:errcheck
			`"social":{"status":503},"play":{"status":500},"management":{"status":500}}}`))
	}))
	defer srv.Close()
	cfg := Defaults()
	cfg.BaseURL, cfg.Token = srv.URL, "tok-s3cret"
	_, err := newClient(t, cfg).Upload(context.Background(), upload.Target{ID: "ff808181556ee70e015572136a250012"}, testPhoto(t))
	e := wantClass(t, err, upload.ClassServer)
	if len(e.Parts) != 4 || !strings.Contains(e.Message, "training 500 (down)") {
		t.Fatalf("got %v parts %v", e, e.Parts)
	}
}

func TestUserListShapes(t *testing.T) {
	for _, object := range []bool{false, true} { // the documented bare array, and an object holding it
		sb, cfg := startSandbox(t, sandbox.Options{NetexListObject: object})
		cfg.PageSize = 60 // several pages
		c := newClient(t, cfg)
		if err := c.Check(context.Background()); err != nil {
			t.Fatalf("object=%v: Check: %v", object, err)
		}
		u := sb.Users()[len(sb.Users())-1]
		target, err := c.Resolve(context.Background(), u.Email)
		if err != nil || target.ID != u.NetexHexID() || len(target.ID) != 32 || target.Name != u.Name() {
			t.Fatalf("object=%v: Resolve = %+v, %v; want the 32-hex id %s and %q", object, target, err, u.NetexHexID(), u.Name())
		}
	}
}

func TestUnknownUser(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	_, err := c.Resolve(context.Background(), "nobody@example.com")
	e := wantClass(t, err, upload.ClassNotFound)
	if !strings.Contains(e.Message, "nobody@example.com") {
		t.Fatalf("message %q", e.Message)
	}
	_, err = c.Resolve(context.Background(), "no.such.user")
	e = wantClass(t, err, upload.ClassNotFound)
	if e.Status != 404 || !strings.Contains(e.Message, "no.such.user") {
		t.Fatalf("got %v", e)
	}
	// An upload for an id that no longer exists: the 404 comes inside an HTTP 200 envelope.
	_, err = c.Upload(context.Background(), upload.Target{Person: "gone@example.com", ID: "999999"}, testPhoto(t))
	e = wantClass(t, err, upload.ClassNotFound)
	if e.Status != 404 || !strings.Contains(e.Message, "gone@example.com") || !strings.Contains(e.Message, "User not found") {
		t.Fatalf("got %v", e)
	}
	if len(sb.ReceivedBy("netex")) != 0 {
		t.Fatal("stored a photo for nobody")
	}
}

func TestBadImageIsRejected400(t *testing.T) {
	sb, cfg := startSandbox(t, sandbox.Options{})
	c := newClient(t, cfg)
	target, _ := c.Resolve(context.Background(), sb.Users()[0].Email)
	_, err := c.Upload(context.Background(), target, upload.NewPhoto([]byte("not an image"), "image/jpeg", 600, 600))
	e := wantClass(t, err, upload.ClassRejected)
	if e.Status != 400 || !strings.Contains(e.Message, "not an image") {
		t.Fatalf("got %v", e)
	}
	// The JPEG labelled PNG: the mimeType check.
	p := testPhoto(t)
	p.MIME = "image/png"
	_, err = c.Upload(context.Background(), target, p)
	e = wantClass(t, err, upload.ClassRejected)
	if !strings.Contains(e.Message, "mimeType") {
		t.Fatalf("got %v", e)
	}
}

func TestWrongTokenIsAuthWithoutSecret(t *testing.T) {
	_, cfg := startSandbox(t, sandbox.Options{})
	cfg.Token = "wrong-token-s3cr3t"
	c := newClient(t, cfg)
	for name, err := range map[string]error{
		"check":   c.Check(context.Background()),
		"resolve": func() error { _, err := c.Resolve(context.Background(), "jane.doe@example.com"); return err }(),
		"upload": func() error {
			_, err := c.Upload(context.Background(), upload.Target{ID: "5001"}, testPhoto(t))
			return err
		}(),
	} {
		e := wantClass(t, err, upload.ClassAuth)
		if e.Status != 401 || strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestCheck(t *testing.T) {
	_, cfg := startSandbox(t, sandbox.Options{})
	if err := newClient(t, cfg).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg.PathPrefix = "/wrong/prefix"
	wantClass(t, newClient(t, cfg).Check(context.Background()), upload.ClassNotFound)
}

func TestResolveSharesOneCachedListFetch(t *testing.T) {
	sb := sandbox.New(sandbox.Options{RateScale: 100})
	var lists atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/users") {
			lists.Add(1)
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	sb.URL = srv.URL
	cfg := Defaults()
	cfg.BaseURL, cfg.Token, cfg.PageSize = sb.Credentials()["netex"]["base_url"], apihttp.Secret(sb.Credentials()["netex"]["token"]), 100
	c := newClient(t, cfg)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := c.Resolve(context.Background(), sb.Users()[i*20].Email)
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
	pages := (len(sb.Users()) + 99) / 100
	if got := int(lists.Load()); got != pages {
		t.Fatalf("listed %d pages for 8 concurrent resolves, want one pass of %d", got, pages)
	}
}

func TestGarbageAnswersAreServerErrors(t *testing.T) {
	for name, body := range map[string]string{
		"html":        "<html><body>Tenant login</body></html>",
		"bad json":    `{"status": 204, "responsePlatforms": {`,
		"wrong shape": `{"hello": "world"}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(body)) //nolint:errcheck
			}))
			defer srv.Close()
			cfg := Defaults()
			cfg.BaseURL, cfg.Token = srv.URL, "t"
			c := newClient(t, cfg)
			_, err := c.Upload(context.Background(), upload.Target{ID: "1"}, testPhoto(t))
			wantClass(t, err, upload.ClassServer)
			wantClass(t, c.Check(context.Background()), upload.ClassServer)
			_, err = c.Resolve(context.Background(), "jane@example.com")
			wantClass(t, err, upload.ClassServer)
			_, err = c.Resolve(context.Background(), "jane")
			wantClass(t, err, upload.ClassServer)
		})
	}
}

func TestHTTPErrorStatusWithEnvelope(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "4")
		w.WriteHeader(http.StatusTooManyRequests)
		json.NewEncoder(w).Encode(map[string]any{"status": 429, "message": "slow down"}) //nolint:errcheck
	}))
	defer srv.Close()
	cfg := Defaults()
	cfg.BaseURL, cfg.Token = srv.URL, "t"
	_, err := newClient(t, cfg).Upload(context.Background(), upload.Target{ID: "1"}, testPhoto(t))
	e := wantClass(t, err, upload.ClassThrottled)
	if e.RetryAfter != 4*time.Second || e.Message != "slow down" {
		t.Fatalf("got %+v", e)
	}
}

func TestHangingServerTimesOut(t *testing.T) {
	srv := hostile.Hanging(t)
	cfg := Defaults()
	cfg.BaseURL, cfg.Token, cfg.Timeout = srv.URL, "t", 150*time.Millisecond
	_, err := newClient(t, cfg).Upload(context.Background(), upload.Target{ID: "1"}, testPhoto(t))
	wantClass(t, err, upload.ClassNetwork)
}

func TestNewValidatesConfig(t *testing.T) {
	good := Defaults()
	good.BaseURL, good.Token = "https://acme.learningcloud.me/", "top-secret-token"
	if _, err := New(good); err != nil {
		t.Fatal(err)
	}
	hostile.NewRefusesConfigs(t, good, "top-secret-token", New, map[string]hostile.ConfigCase[Config]{
		"no base":  {Mut: func(c *Config) { c.BaseURL = "" }, Want: "base_url"},
		"bad base": {Mut: func(c *Config) { c.BaseURL = "acme" }, Want: "base_url"},
		"prefix":   {Mut: func(c *Config) { c.PathPrefix = "rest" }, Want: "path_prefix"},
		"no token": {Mut: func(c *Config) { c.Token = " " }, Want: "token"},
		"sync":     {Mut: func(c *Config) { c.Synchronization = "later" }, Want: "synchronization"},
	})
}

func TestUserListPageLargerThanAskedIsRefused(t *testing.T) {
	var pages int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages++
		var users []map[string]any
		for i := 0; i < 20; i++ { // asked for 5
			users = append(users, map[string]any{"id": pages*100 + i, "email": fmt.Sprintf("u%d@example.com", pages*100+i)})
		}
		json.NewEncoder(w).Encode(users) //nolint:errcheck
	}))
	defer srv.Close()
	cfg := Defaults()
	cfg.BaseURL, cfg.Token, cfg.PageSize = srv.URL, "t", 5
	c := newClient(t, cfg)
	_, err := c.Resolve(context.Background(), "nobody@example.com")
	wantClass(t, err, upload.ClassServer)
	if pages != 1 {
		t.Fatalf("kept paging (%d pages) through a list that ignores count", pages)
	}
}

// The image POST's errors come inside an HTTP 200 envelope (as the vendor
// page shows every answer of that call) or with their own HTTP status
// (the page leaves it open): the client reads the same class either way.
func TestImageErrorsInsideOrOutsideTheEnvelope(t *testing.T) {
	for _, httpErrors := range []bool{false, true} {
		sb, cfg := startSandbox(t, sandbox.Options{NetexHTTPErrors: httpErrors})
		c := newClient(t, cfg)
		_, err := c.Upload(context.Background(), upload.Target{Person: "gone@example.com", ID: "999999"}, testPhoto(t))
		if e := wantClass(t, err, upload.ClassNotFound); e.Status != 404 || !strings.Contains(e.Message, "User not found") {
			t.Fatalf("http errors %v: unknown id: %v", httpErrors, e)
		}
		target, err := c.Resolve(context.Background(), sb.Users()[0].Email)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Upload(context.Background(), target, upload.NewPhoto([]byte("not an image"), "image/jpeg", 600, 600))
		if e := wantClass(t, err, upload.ClassRejected); e.Status != 400 || !strings.Contains(e.Message, "not an image") {
			t.Fatalf("http errors %v: bad image: %v", httpErrors, e)
		}
		if n := len(sb.ReceivedBy("netex")); n != 0 {
			t.Fatalf("http errors %v: %d photos stored", httpErrors, n)
		}
		// And a good photo still lands.
		if _, err := c.Upload(context.Background(), target, testPhoto(t)); err != nil {
			t.Fatalf("http errors %v: good photo: %v", httpErrors, err)
		}
	}
}
