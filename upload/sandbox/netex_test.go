package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func netexDo(t *testing.T, srv *httptest.Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+netexPrefix+path, strings.NewReader(body))
	req.Header.Set("X-Cloud-Auth-Token", NetexToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
	}
	return resp.StatusCode, out
}

func TestNetexListBoundsAndBadBase64(t *testing.T) {
	sb := New(Options{RateScale: 1000})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	if code, out := netexDo(t, srv, "GET", "/users?startIndex=0&count=501", ""); code != 400 || out["status"] != float64(400) {
		t.Fatalf("count 501: %d %v", code, out)
	}
	// The documented list: a bare array of users, 32-hex ids, name and surname.
	req, _ := http.NewRequest("GET", srv.URL+netexPrefix+"/users?startIndex=10&count=500", nil)
	req.Header.Set("X-Cloud-Auth-Token", NetexToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var users []map[string]any
	err = json.NewDecoder(resp.Body).Decode(&users)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(users) != len(sb.Users())-10 {
		t.Fatalf("page: %d, %d users, %v", resp.StatusCode, len(users), err)
	}
	u := sb.Users()[10]
	if id, _ := users[0]["id"].(string); len(id) != 32 || id != u.NetexHexID() || users[0]["name"] != u.First || users[0]["surname"] != u.Last {
		t.Fatalf("first user %v, want id %s, name %q, surname %q", users[0], u.NetexHexID(), u.First, u.Last)
	}
	code, out := netexDo(t, srv, "POST", "/users/"+sb.Users()[0].NetexHexID()+"/image", `{"image":{"base64Image":"@@@not base64","mimeType":"image/jpeg"}}`)
	if code != 200 || out["status"] != float64(400) || !strings.Contains(out["message"].(string), "base64") {
		t.Fatalf("bad base64: %d %v", code, out)
	}
	code, out = netexDo(t, srv, "POST", "/users/"+sb.Users()[0].NetexHexID()+"/image", `{}`)
	if code != 200 || out["status"] != float64(400) {
		t.Fatalf("missing image: %d %v", code, out)
	}
	if len(sb.Received()) != 0 {
		t.Fatal("stored a refused image")
	}
}
