package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
	login := `{"AppId":"` + IglooAppID + `","AppPassword":"` + IglooAppPassword + `","UserName":"` + IglooUsername + `","UserPassword":"%s","instance":0,"version":1}`
	if code, _, out := c.do("POST", "/igloo/.api2/api/Session/Create", nil, strings.Replace(login, "%s", "nope", 1)); code != 401 || out["message"] == nil {
		t.Fatalf("bad password: %d %v", code, out)
	}
	code, hdr, out := c.do("POST", "/igloo/.api2/api/Session/Create", nil, strings.Replace(login, "%s", IglooPassword, 1))
	if code != 200 || out["TokenId"] == nil || !strings.Contains(hdr.Get("Set-Cookie"), "IglooAuth=") {
		t.Fatalf("login: %d %v %v", code, out, hdr)
	}
	c.cookie = out["TokenId"].(string)

	base := "/igloo/.api2/api/v1/communities/" + IglooCommunityKey + "/attachments"
	if code, _, _ := c.do("POST", base, nil, `{"ContentLength":10,"ContentType":"image/bmp","Name":"x.bmp"}`); code != 415 {
		t.Fatalf("bmp entry: %d", code)
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
