package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

type iglooRaw struct {
	t      *testing.T
	srv    *httptest.Server
	cookie string
}

func (c *iglooRaw) do(method, path string, hdr map[string]string, body string) (int, http.Header, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "iglooauth", Value: c.cookie})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, resp.Header, out
}

func TestIglooRangesTypesAndAuth(t *testing.T) {
	sb := New(Options{RateScale: 1e6}) // 5/s x 1e6: the test's back-to-back requests never meet the burst of 5
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	c := &iglooRaw{t: t, srv: srv}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	login := func(password string) url.Values {
		return url.Values{"appId": {IglooAppID}, "appPass": {IglooAppPassword}, "username": {IglooUsername},
			"password": {password}, "community": {srv.URL + "/igloo"}, "apiversion": {"1"}}
	}
	if code, _, out := c.do("POST", "/igloo/.api/api.svc/session/create", form, login("nope").Encode()); code != 401 || out["message"] == nil {
		t.Fatalf("bad password: %d %v", code, out)
	}
	code, hdr, out := c.do("POST", "/igloo/.api/api.svc/session/create", form, login(IglooPassword).Encode())
	resp, _ := out["response"].(map[string]any)
	if code != 200 || resp["sessionKey"] == nil || !strings.Contains(hdr.Get("Set-Cookie"), "IglooAuth=") {
		t.Fatalf("login: %d %v %v", code, out, hdr)
	}
	c.cookie = resp["sessionKey"].(string)

	base := "/igloo/.api2/api/v1/communities/" + IglooCommunityKey + "/attachments"
	for _, ct := range []string{"image/bmp", "image/jpg"} { // the entry takes the MIME type, not the PATCH step's image/jpg
		if code, _, _ := c.do("POST", base, nil, `{"ContentLength":10,"ContentType":"`+ct+`","Name":"x"}`); code != 415 {
			t.Fatalf("%s entry: %d", ct, code)
		}
	}
	code, hdr, _ = c.do("POST", base, nil, `{"ContentLength":10,"ContentType":"image/png","Name":"x.png"}`)
	loc := hdr.Get("Location")
	key := loc[strings.LastIndex(loc, "/")+1:]
	if code != 201 || len(key) != 10 {
		t.Fatalf("create: %d location %q", code, loc)
	}
	up := base + "/uploads/" + key
	png := map[string]string{"Content-Type": "image/png"}
	if code, _, _ := c.do("PATCH", up, map[string]string{"Content-Type": "image/jpeg", "Content-Range": "bytes 0-3/10"}, "abcd"); code != 415 {
		t.Fatalf("image/jpeg PATCH: %d, want 415 (documented types are image/jpg, png, gif)", code)
	}
	png["Content-Range"] = "bytes 0-3/10"
	if code, _, out := c.do("PATCH", up, png, "abcd"); code != 200 || out["contentLength"] != float64(4) {
		t.Fatalf("first range: %d %v", code, out)
	}
	png["Content-Range"] = "bytes 6-9/10"
	if code, hdr, _ := c.do("PATCH", up, png, "ghij"); code != 416 || hdr.Get("Content-Range") != "bytes */4" {
		t.Fatalf("misaligned range: %d %v", code, hdr)
	}
	png["Content-Range"] = "bytes */10"
	if code, _, out := c.do("PATCH", up, png, ""); code != 200 || out["contentLength"] != float64(4) {
		t.Fatalf("query: %d %v", code, out)
	}
	if code, _, _ := c.do("POST", base+"/nosuchkey0/association/"+sb.Users()[0].GUID+"?type=ProfilePhoto", nil, ""); code != 404 {
		t.Fatalf("unknown key: %d", code)
	}
	if code, _, _ := c.do("POST", base+"/"+key+"/association/00000000-0000-0000-0000-000000000000?type=ProfilePhoto", nil, ""); code != 404 {
		t.Fatalf("unknown member: %d", code)
	}
	if code, _, _ := c.do("POST", base+"/"+key+"/association/"+sb.Users()[0].GUID+"?type=ProfilePhoto", nil, ""); code != 400 {
		t.Fatalf("incomplete upload associated: %d", code)
	}
	sb.ExpireIglooSessions()
	if code, _, _ := c.do("PATCH", up, png, ""); code != 401 {
		t.Fatalf("expired session: %d", code)
	}
}

func TestIglooLoginsOfferedPerOption(t *testing.T) {
	v1 := url.Values{"appId": {IglooAppID}, "appPass": {IglooAppPassword}, "username": {IglooUsername},
		"password": {IglooPassword}, "apiversion": {"1"}}
	v2 := `{"AppId":"` + IglooAppID + `","AppPassword":"` + IglooAppPassword + `","UserName":"` + IglooUsername +
		`","UserPassword":"` + IglooPassword + `","instance":0,"version":1}`
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for _, tc := range []struct {
		option           string
		wantV1, wantV2   int
		community        string // "" = the host
		wantBadCommunity bool
	}{
		{option: "", wantV1: 200, wantV2: 404},
		{option: "v1", wantV1: 200, wantV2: 404, community: "url"},
		{option: "v2", wantV1: 404, wantV2: 200},
		{option: "both", wantV1: 200, wantV2: 200},
		{option: "v1", wantV1: 400, wantV2: 404, community: "elsewhere.example.com"},
	} {
		sb := New(Options{RateScale: 1000, IglooLogin: tc.option})
		srv := httptest.NewServer(sb.Handler())
		sb.URL = srv.URL
		c := &iglooRaw{t: t, srv: srv}
		f := url.Values{}
		for k, v := range v1 {
			f[k] = v
		}
		switch tc.community {
		case "":
			f.Set("community", strings.TrimPrefix(srv.URL, "http://"))
		case "url":
			f.Set("community", srv.URL+"/igloo/")
		default:
			f.Set("community", tc.community)
		}
		name := fmt.Sprintf("IglooLogin %q, community %q", tc.option, tc.community)
		if code, _, out := c.do("POST", "/igloo/.api/api.svc/session/create", form, f.Encode()); code != tc.wantV1 {
			t.Errorf("%s: v1 login %d %v, want %d", name, code, out, tc.wantV1)
		}
		if code, _, out := c.do("POST", "/igloo/.api2/api/Session/Create", nil, v2); code != tc.wantV2 {
			t.Errorf("%s: v2 login %d %v, want %d", name, code, out, tc.wantV2)
		}
		srv.Close()
	}
}

func TestIglooSearchPagesByRows(t *testing.T) {
	users := Roster(0)
	for i := 0; i < 25; i++ {
		users = append(users, User{Email: fmt.Sprintf("x%02d.jane@example.com", i), Username: fmt.Sprintf("x%02d", i),
			GUID: fmt.Sprintf("a1f00000-9c3e-4d2b-b7a1-%012d", i)})
	}
	sb := New(Options{RateScale: 1e6, Users: users})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	c := &iglooRaw{t: t, srv: srv}
	_, _, out := c.do("POST", "/igloo/.api/api.svc/session/create", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		url.Values{"appId": {IglooAppID}, "appPass": {IglooAppPassword}, "username": {IglooUsername},
			"password": {IglooPassword}, "apiversion": {"1"}, "community": {srv.URL}}.Encode())
	c.cookie = out["response"].(map[string]any)["sessionKey"].(string)
	hits := func(query string) int {
		_, _, out := c.do("GET", "/igloo/.api/api.svc/search/members?"+query, nil, "")
		v := out["response"].(map[string]any)["value"].(map[string]any)
		if v["count"] != float64(25) {
			t.Errorf("%s: count %v, want 25", query, v["count"])
		}
		return len(v["hit"].([]any))
	}
	for query, want := range map[string]int{"q=jane%40example.com": 10, "q=jane%40example.com&rows=20": 20,
		"q=jane%40example.com&rows=20&page=2": 5, "q=jane%40example.com&rows=10&page=4": 0} {
		if got := hits(query); got != want {
			t.Errorf("%s: %d hits, want %d", query, got, want)
		}
	}
}
