package apihttp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"headshot/upload"
)

// A certificate this machine does not trust is named, with what fixes it,
// and marked Stop (the engine does not retry it).
func TestTLSFailuresNamedAndFinal(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer tlsSrv.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	cases := []struct {
		url  string
		want []string
	}{
		{tlsSrv.URL, []string{"certificate signed by an unknown authority", "SSL_CERT_FILE", "HTTPS_PROXY", "NO_PROXY"}},
		{strings.Replace(plain.URL, "http://", "https://", 1), []string{"did not answer in TLS", "HTTPS_PROXY"}},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("GET", c.url+"/v2/users/x?api_key=S3cretValue", nil)
		_, err := NewClient(upload.Zoom, 0, upload.Limits{}, nil).Do(t.Context(), req)
		ue, ok := upload.AsError(err)
		if !ok {
			t.Fatalf("%s: %v", c.url, err)
		}
		if !ue.Stop || ue.Class != upload.ClassNetwork {
			t.Errorf("%s: Stop %v class %v, want a final network error", c.url, ue.Stop, ue.Class)
		}
		for _, w := range c.want {
			if !strings.Contains(ue.Error(), w) {
				t.Errorf("%s: %q lacks %q", c.url, ue.Error(), w)
			}
		}
		if strings.Contains(ue.Error(), "cannot reach") || strings.Contains(ue.Error(), "S3cretValue") {
			t.Errorf("%s: %q", c.url, ue.Error())
		}
	}
}

func TestRedirectRefusalIsFinal(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/steal", http.StatusFound)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	_, err := NewClient(upload.Zoom, 0, upload.Limits{}, nil).Do(t.Context(), req)
	ue, ok := upload.AsError(err)
	if !ok || !ue.Stop || !strings.Contains(ue.Message, "does not follow") {
		t.Fatalf("redirect refusal: %v (stop %v)", err, ok && ue.Stop)
	}
}
