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
	code, out := netexDo(t, srv, "GET", "/users?startIndex=10&count=500", "")
	if users, _ := out["users"].([]any); code != 200 || len(users) != len(sb.Users())-10 {
		t.Fatalf("page: %d, %d users", code, len(users))
	}
	code, out = netexDo(t, srv, "POST", "/users/5001/image", `{"image":{"base64Image":"@@@not base64","mimeType":"image/jpeg"}}`)
	if code != 200 || out["status"] != float64(400) || !strings.Contains(out["message"].(string), "base64") {
		t.Fatalf("bad base64: %d %v", code, out)
	}
	code, out = netexDo(t, srv, "POST", "/users/5001/image", `{}`)
	if code != 200 || out["status"] != float64(400) {
		t.Fatalf("missing image: %d %v", code, out)
	}
	if len(sb.Received()) != 0 {
		t.Fatal("stored a refused image")
	}
}
