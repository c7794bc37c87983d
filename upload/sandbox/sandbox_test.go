package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"headshot/upload"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
)

var (
	sbPhotoOnce sync.Once
	sbPhotoData []byte
)

// sbPhoto is a 600x600 JPEG, encoded once.
func sbPhoto() []byte {
	sbPhotoOnce.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 600, 600))
		for y := 0; y < 600; y += 2 {
			for x := 0; x < 600; x++ {
				img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 50, 255})
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, nil); err != nil {
			panic(err)
		}
		sbPhotoData = buf.Bytes()
	})
	return sbPhotoData
}

// sbServe serves a sandbox for one test.
func sbServe(t *testing.T, opts Options) (*Sandbox, *httptest.Server) {
	t.Helper()
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s, srv
}

// sbMultipart builds a body with one file part per (field, filename, data).
func sbMultipart(t *testing.T, files ...[3]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files {
		w, err := mw.CreateFormFile(f[0], f[1])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[2]))
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// sbZoomToken gets an access token from the sandbox.
func sbZoomToken(t *testing.T, s *Sandbox) string {
	t.Helper()
	c := s.Credentials()["zoom"]
	req, _ := http.NewRequest("POST", c["token_url"]+"?grant_type=account_credentials&account_id="+c["account_id"], nil)
	req.SetBasicAuth(c["client_id"], c["client_secret"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 200 || a.AccessToken == "" || a.ExpiresIn != 3600 {
		t.Fatalf("token: %d %+v %v", resp.StatusCode, a, err)
	}
	return a.AccessToken
}

// sbZoomUpload posts a picture and returns the answer.
func sbZoomUpload(t *testing.T, s *Sandbox, tok, user, data string) (*http.Response, map[string]any) {
	t.Helper()
	body, ctype := sbMultipart(t, [3]string{"pic_file", "p.jpg", data})
	req, _ := http.NewRequest("POST", s.Credentials()["zoom"]["base_url"]+"/users/"+user+"/picture", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(resp.Body)
	json.Unmarshal(raw, &m)
	return resp, m
}

// sbRhombus posts to a Rhombus path with the given key.
func sbRhombus(t *testing.T, s *Sandbox, path, key string, body io.Reader, ctype string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.Credentials()["rhombus"]["base_url"]+path, body)
	req.Header.Set("Content-Type", ctype)
	if key != "" {
		req.Header.Set("x-auth-apikey", key)
		req.Header.Set("x-auth-scheme", "api-token")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

func TestNewLimiterAppliesRateScale(t *testing.T) {
	s := New(Options{RateScale: 10})
	lim := s.newLimiter(2, 3)
	if float64(lim.Limit()) != 20 || lim.Burst() != 3 {
		t.Fatalf("limit %v burst %d, want 20 and 3", lim.Limit(), lim.Burst())
	}
	if b := s.newLimiter(1, 0).Burst(); b != 1 {
		t.Fatalf("burst 0 became %d, want 1", b)
	}
	lim = New(Options{}).newLimiter(1, 2)
	for i := 0; i < 2; i++ {
		if ok, _ := take(lim); !ok {
			t.Fatalf("token %d of a full bucket refused", i+1)
		}
	}
	ok, wait := take(lim)
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("empty bucket: ok %v wait %v", ok, wait)
	}
	if retryAfterSeconds(10*time.Millisecond) != 1 || retryAfterSeconds(1500*time.Millisecond) != 2 {
		t.Fatal("Retry-After is not whole seconds >= 1")
	}
}

func TestZoomWrongCredentials(t *testing.T) {
	s, _ := sbServe(t, Options{})
	c := s.Credentials()["zoom"]
	for name, set := range map[string]func(*http.Request){
		"wrong secret": func(r *http.Request) { r.SetBasicAuth(c["client_id"], "nope") },
		"wrong id":     func(r *http.Request) { r.SetBasicAuth("nope", c["client_secret"]) },
		"no auth":      func(r *http.Request) {},
	} {
		req, _ := http.NewRequest("POST", c["token_url"]+"?grant_type=account_credentials&account_id="+c["account_id"], nil)
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 400 || body["error"] != "invalid_client" || body["reason"] != "Invalid client_id or client_secret" {
			t.Fatalf("%s: %d %v", name, resp.StatusCode, body)
		}
	}
	resp, body := sbZoomUpload(t, s, "not-a-token", "jane.doe@example.com", string(sbPhoto()))
	if resp.StatusCode != 401 || body["code"] != float64(124) {
		t.Fatalf("bad bearer: %d %v", resp.StatusCode, body)
	}
	tok := sbZoomToken(t, s)
	s.ExpireZoomTokens()
	resp, body = sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto()))
	if resp.StatusCode != 401 || body["code"] != float64(124) || !strings.Contains(body["message"].(string), "expired") {
		t.Fatalf("expired token: %d %v", resp.StatusCode, body)
	}
	if n := s.ZoomTokenRequests(); n != 4 {
		t.Fatalf("token requests counted %d, want 4", n)
	}
}

func TestZoomPictureChecks(t *testing.T) {
	s, _ := sbServe(t, Options{Faults: Faults{ZoomRejects: []string{"Omar.Haddad@example.com"}}})
	tok := sbZoomToken(t, s)
	cases := []struct {
		user, data string
		status     int
		code       float64
	}{
		{"jane.doe@example.com", "GIF89a not allowed", 400, 300},
		{"jane.doe@example.com", "\xff\xd8\xff" + strings.Repeat("x", 2*1024*1024), 413, 413},
		{"nobody@example.com", string(sbPhoto()), 404, 1001},
		{"omar.haddad@example.com", string(sbPhoto()), 400, 300},
	}
	for _, c := range cases {
		resp, body := sbZoomUpload(t, s, tok, c.user, c.data)
		if resp.StatusCode != c.status || body["code"] != c.code || body["message"] == "" {
			t.Fatalf("%s (%d bytes): %d %v, want %d code %v", c.user, len(c.data), resp.StatusCode, body, c.status, c.code)
		}
	}
	if n := len(s.Received()); n != 0 {
		t.Fatalf("%d refused photos stored", n)
	}
	resp, _ := sbZoomUpload(t, s, tok, s.Users()[0].UUID, string(sbPhoto()))
	if resp.StatusCode != 201 || resp.Header.Get("Content-Location") == "" {
		t.Fatalf("upload by id: %d", resp.StatusCode)
	}
	got := s.Received()
	if len(got) != 1 || got[0].Platform != "zoom" || got[0].User != s.Users()[0].Email || got[0].Width != 600 || got[0].Format != "jpeg" {
		t.Fatalf("received %+v", got)
	}
}

func TestZoomListUsersPages(t *testing.T) {
	s, _ := sbServe(t, Options{Users: Roster(3)})
	tok := sbZoomToken(t, s)
	seen := map[string]bool{}
	next := ""
	for pages := 0; pages < 10; pages++ {
		req, _ := http.NewRequest("GET", s.Credentials()["zoom"]["base_url"]+"/users?page_size=4&next_page_token="+next, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Total int    `json:"total_records"`
			Next  string `json:"next_page_token"`
			Users []struct {
				ID, Email string
			} `json:"users"`
		}
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		for _, u := range page.Users {
			seen[u.Email] = true
		}
		if page.Total != 15 {
			t.Fatalf("total %d, want 15", page.Total)
		}
		if next = page.Next; next == "" {
			break
		}
	}
	if len(seen) != 15 {
		t.Fatalf("paging saw %d distinct users, want 15", len(seen))
	}
}

func TestZoomRateLimitBurstThen429(t *testing.T) {
	for _, noRA := range []bool{false, true} {
		s, _ := sbServe(t, Options{ZoomRate: 1, ZoomBurst: 3, Faults: Faults{No429RetryAfter: noRA}})
		tok := sbZoomToken(t, s)
		for i := 0; i < 3; i++ {
			if resp, body := sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto())); resp.StatusCode != 201 {
				t.Fatalf("upload %d of the burst: %d %v", i+1, resp.StatusCode, body)
			}
		}
		resp, body := sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto()))
		h := resp.Header
		if resp.StatusCode != 429 || body["code"] != float64(429) || h.Get("X-RateLimit-Type") != "QPS" ||
			h.Get("X-RateLimit-Category") != "Medium" || h.Get("X-RateLimit-Limit") != "1" || h.Get("X-RateLimit-Remaining") != "0" {
			t.Fatalf("after the burst: %d %v %v", resp.StatusCode, body, h)
		}
		if ra := h.Get("Retry-After"); (ra == "1") == noRA || (noRA && ra != "") {
			t.Fatalf("no429RetryAfter=%v: Retry-After %q", noRA, ra)
		}
	}
}

func TestRateScaleSpeedsTheBucket(t *testing.T) {
	for _, scale := range []float64{1, 100} {
		// 0.5 uploads/s: a token every 2 s unscaled, every 20 ms at x100.
		s, _ := sbServe(t, Options{ZoomRate: 0.5, ZoomBurst: 1, RateScale: scale})
		tok := sbZoomToken(t, s)
		if resp, _ := sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto())); resp.StatusCode != 201 {
			t.Fatalf("scale %v: first upload %d", scale, resp.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
		resp, _ := sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto()))
		if want := map[float64]int{1: 429, 100: 201}[scale]; resp.StatusCode != want {
			t.Fatalf("scale %v: second upload after 100ms got %d, want %d", scale, resp.StatusCode, want)
		}
	}
}

func TestRhombusWrongCredentials(t *testing.T) {
	s, _ := sbServe(t, Options{})
	resp, _ := sbRhombus(t, s, "/api/user/getUsersInOrg", "", strings.NewReader("{}"), "application/json")
	if resp.StatusCode != 401 {
		t.Fatalf("no headers: %d", resp.StatusCode)
	}
	resp, body := sbRhombus(t, s, "/api/user/getUsersInOrg", "wrong", strings.NewReader("{}"), "application/json")
	if resp.StatusCode != 403 || strings.Contains(body, "wrong") {
		t.Fatalf("wrong key: %d %s", resp.StatusCode, body)
	}
	resp, body = sbRhombus(t, s, "/api/user/getUsersInOrg", RhombusAPIKey, strings.NewReader("{}"), "application/json")
	var list struct {
		Users []struct {
			UUID, Email string
			Deleted     bool
		}
	}
	if err := json.Unmarshal([]byte(body), &list); resp.StatusCode != 200 || err != nil || len(list.Users) != len(s.Users())+1 {
		t.Fatalf("right key: %d, %d users, %v", resp.StatusCode, len(list.Users), err)
	}
	deleted := 0
	for _, u := range list.Users {
		if len(u.UUID) != 22 || strings.ContainsAny(u.UUID, "+/=") {
			t.Fatalf("uuid %q: Rhombus ids are 22 base64url characters", u.UUID)
		}
		if u.Deleted {
			deleted++
		}
	}
	if deleted != 1 || !list.Users[0].Deleted || list.Users[0].Email != list.Users[1].Email {
		t.Fatalf("want one deleted earlier account listed before its live twin, got %d deleted", deleted)
	}
}

func TestRhombusBulkUploadPerFileResults(t *testing.T) {
	s, _ := sbServe(t, Options{RhombusMaxBytes: 1 << 20})
	p := string(sbPhoto())
	body, ctype := sbMultipart(t,
		[3]string{"files", "JANE.DOE@example.com.jpg", p},
		[3]string{"files", "ghost@example.com.jpg", p},
		[3]string{"files", "omar.haddad@example.com.jpg", "\xff\xd8\xff" + strings.Repeat("x", 1<<20)},
		[3]string{"files", "mei.tanaka@example.com.jpg", "not an image"},
		[3]string{"files", s.Users()[3].RhombusID() + ".jpg", p},
		[3]string{"other", "ignored.jpg", p},
	)
	resp, raw := sbRhombus(t, s, "/api/upload/bulkUploadUserProfilePhotos", RhombusAPIKey, body, ctype)
	var ans struct {
		Results []rhombusFileResult `json:"fileUploadResults"`
		Tx      string              `json:"transactionId"`
	}
	if err := json.Unmarshal([]byte(raw), &ans); err != nil || resp.StatusCode != 200 || len(ans.Results) != 5 || ans.Tx == "" {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
	wantOK := []bool{true, false, false, false, true}
	for i, r := range ans.Results {
		if r.Success != wantOK[i] || (!r.Success && r.Message == "") {
			t.Fatalf("file %d: %+v", i, r)
		}
	}
	got := s.ReceivedBy("rhombus")
	if len(got) != 2 || got[0].User != "jane.doe@example.com" || got[1].User != s.Users()[3].Email || got[0].Width != 600 {
		t.Fatalf("received %+v", got)
	}
	// No files at all: an application error with HTTP 200.
	body, ctype = sbMultipart(t)
	resp, raw = sbRhombus(t, s, "/api/upload/bulkUploadUserProfilePhotos", RhombusAPIKey, body, ctype)
	if resp.StatusCode != 200 || !strings.Contains(raw, `"error":true`) || !strings.Contains(raw, "errorMsg") {
		t.Fatalf("empty upload: %d %s", resp.StatusCode, raw)
	}
}

func TestRhombusRateLimitBurstThen429(t *testing.T) {
	s, _ := sbServe(t, Options{RhombusRate: 1, RhombusBurst: 2})
	for i := 0; i < 2; i++ {
		if resp, _ := sbRhombus(t, s, "/api/user/getUsersInOrg", RhombusAPIKey, strings.NewReader("{}"), "application/json"); resp.StatusCode != 200 {
			t.Fatalf("request %d of the burst: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := sbRhombus(t, s, "/api/user/getUsersInOrg", RhombusAPIKey, strings.NewReader("{}"), "application/json")
	if resp.StatusCode != 429 || body != "Too many api requests. Enhance your calm." ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("after the burst: %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

func TestFaultInjection(t *testing.T) {
	s, _ := sbServe(t, Options{Faults: Faults{FailureRate: 1}})
	tok := sbZoomToken(t, s)
	if resp, _ := sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto())); resp.StatusCode != 503 {
		t.Fatalf("failure rate 1: %d", resp.StatusCode)
	}
	s.SetFaults(Faults{ResetRate: 1})
	body, ctype := sbMultipart(t, [3]string{"pic_file", "p.jpg", string(sbPhoto())})
	req, _ := http.NewRequest("POST", s.Credentials()["zoom"]["base_url"]+"/users/jane.doe@example.com/picture", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("reset rate 1: got an answer %d", resp.StatusCode)
	}
	s.SetFaults(Faults{Latency: 150 * time.Millisecond})
	start := time.Now()
	if resp, _ := sbZoomUpload(t, s, tok, "jane.doe@example.com", string(sbPhoto())); resp.StatusCode != 201 {
		t.Fatalf("latency: %d", resp.StatusCode)
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("latency 150ms, answered in %v", el)
	}
	if n := len(s.Received()); n != 1 {
		t.Fatalf("%d photos stored, want only the one after the faults", n)
	}
}

func TestCheckFlags(t *testing.T) {
	o := Options{RateScale: 1, Faults: Faults{ZoomRejects: []string{"a@x.com", " b@x.com", ""}}}
	if err := o.checkFlags(); err != nil || len(o.Faults.ZoomRejects) != 2 || o.Faults.ZoomRejects[1] != "b@x.com" {
		t.Fatalf("%+v %v", o, err)
	}
	for _, set := range []func(*Options){
		func(o *Options) { o.Faults.FailureRate = 2 }, func(o *Options) { o.RateScale = 0 },
		func(o *Options) { o.Faults.ResetRate = -0.1 }, func(o *Options) { o.Faults.Latency = -time.Second },
		func(o *Options) { o.ZoomMaxBytes = -1 }, func(o *Options) { o.NetexFailPart = "kitchen" },
		func(o *Options) { o.IglooCutAfter = -5 }, func(o *Options) { o.IglooLogin = "v3" },
		func(o *Options) { o.InteractUsernames = "upn" }, func(o *Options) { o.RhombusMatch = "name" },
		func(o *Options) { o.ZoomDailyLimit = -1 },
	} {
		bad := Options{RateScale: 1}
		set(&bad)
		if err := bad.checkFlags(); err == nil {
			t.Fatalf("%+v accepted", bad)
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), Options{RateScale: 1, Faults: Faults{FailureRate: 2}}, &out, &errb); code != 2 ||
		!strings.Contains(errb.String(), "--fail-rate 2") {
		t.Fatalf("bad option: %d %q", code, errb.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls buf until re matches (or fails the test after 5 s).
func waitFor(t *testing.T, buf *syncBuffer, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(buf.String()); m != nil {
			return m
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("output never matched %v:\n%s", re, buf.String())
	return nil
}

func TestCommandServesLogsAndStops(t *testing.T) {
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- run(ctx, Options{Listen: "127.0.0.1:0", RateScale: 1}, &stdout, &stderr) }()
	m := waitFor(t, &stdout, regexp.MustCompile(`Rhombus\s+(http://127\.0\.0\.1:\d+/rhombus)`))
	out := stdout.String()
	for _, want := range []string{"sandbox-only", ZoomClientSecret, RhombusAPIKey, "[zoom]", "[netex]", `token_url = "http://127.0.0.1:`} {
		if !strings.Contains(out, want) {
			t.Fatalf("banner lacks %q:\n%s", want, out)
		}
	}
	body, ctype := sbMultipart(t, [3]string{"files", "jane.doe@example.com.jpg", string(sbPhoto())})
	req, _ := http.NewRequest("POST", m[1]+"/api/upload/bulkUploadUserProfilePhotos", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("x-auth-apikey", RhombusAPIKey)
	req.Header.Set("x-auth-scheme", "api-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	line := fmt.Sprintf(`rhombus\s+jane\.doe@example\.com\s+600x600 jpeg, %d bytes`, len(sbPhoto()))
	waitFor(t, &stdout, regexp.MustCompile(line))
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d; stderr %s", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sandbox did not stop when its context ended")
	}
	if !strings.Contains(stdout.String(), "photos received: 1") {
		t.Fatalf("no closing summary:\n%s", stdout.String())
	}
}

func TestConfigSnippetScalesRates(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	s.URL = "http://127.0.0.1:1"
	plain := ConfigSnippet(s.Credentials(), 1)
	if strings.Contains(plain, "rate =") || !strings.Contains(plain, `base_url = "http://127.0.0.1:1/zoom/v2"`) {
		t.Fatalf("unscaled snippet:\n%s", plain)
	}
	var tables map[string]map[string]any
	if err := toml.Unmarshal([]byte(plain), &tables); err != nil {
		t.Fatalf("snippet is not TOML: %v\n%s", err, plain)
	}
	if len(tables) != len(upload.Platforms()) || len(tables) < 5 || tables["zoom"]["client_secret"] != ZoomClientSecret || tables["netex"]["token"] != NetexToken ||
		tables["igloo"]["community_key"] != IglooCommunityKey || tables["rhombus"]["auth_scheme"] != "api-token" {
		t.Fatalf("snippet tables %v", tables)
	}
	fast := ConfigSnippet(s.Credentials(), 10)
	for _, want := range []string{`rate = "200/s"`, `rate = "100/s"`, `rate = "60/min"`} {
		if !strings.Contains(fast, want) {
			t.Fatalf("scaled snippet lacks %s:\n%s", want, fast)
		}
	}
}
