package apihttp

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"headshot/upload"
)

// A server echoing the key upper-cased, or base64-encoded alone or inside
// an encoded "header: value" line at any offset, does not leak it.
func TestRedactCaseAndBase64Forms(t *testing.T) {
	const key = "abcd1234-SecretKey-xyz"
	lines := []string{"X-ApiKey: " + key, "Authorization: Bearer " + key, "k=" + key + ";", "ab" + key, key}
	var echoes []string
	echoes = append(echoes, strings.ToUpper(key), strings.ToLower(key), "AbCd1234-sEcReTkEy-XyZ")
	for _, l := range lines {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			echoes = append(echoes, enc.EncodeToString([]byte(l)))
		}
	}
	for _, echo := range echoes {
		got := Redact("the server said: "+echo+" (end)", key)
		if !strings.Contains(got, Redacted) {
			t.Errorf("echo %q not redacted: %q", echo, got)
			continue
		}
		// Nothing decodes back to the key either.
		for _, w := range strings.Fields(got) {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding} {
				if b, err := enc.DecodeString(w); err == nil && strings.Contains(strings.ToLower(string(b)), strings.ToLower(key)) {
					t.Errorf("%q still decodes to the key", w)
				}
			}
		}
		if strings.Contains(strings.ToLower(got), strings.ToLower(key)) {
			t.Errorf("key left in %q", got)
		}
	}
	// Ordinary text and unrelated base64 are left alone.
	plain := "Photo uploaded for jane@example.com; id " + base64.StdEncoding.EncodeToString([]byte("an unrelated value 42"))
	if got := Redact(plain, key); got != plain {
		t.Errorf("unrelated text changed: %q", got)
	}
}

// Through Do: an answer echoing the request's key upper-cased and
// base64-encoded reaches the caller without it.
func TestDoRedactsEchoedKeyInAnyForm(t *testing.T) {
	const key = "Zx9-live-key-0001"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-ApiKey")
		w.Header().Set("X-Debug", base64.StdEncoding.EncodeToString([]byte("X-ApiKey: "+got)))
		w.WriteHeader(400)
		w.Write([]byte(`{"error":"bad key ` + strings.ToUpper(got) + `"}`))
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("X-ApiKey", key)
	r, err := NewClient(upload.Rhombus, 0, upload.Limits{}, nil).Do(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(r.Body)), strings.ToLower(key)) {
		t.Errorf("body leaks the key: %s", r.Body)
	}
	if b, _ := base64.StdEncoding.DecodeString(r.Header.Get("X-Debug")); strings.Contains(string(b), key) {
		t.Errorf("header leaks the key base64-encoded: %s", r.Header.Get("X-Debug"))
	}
}
