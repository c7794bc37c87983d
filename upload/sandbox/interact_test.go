package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestInteractProbeChecksKeyThenAnswers405(t *testing.T) {
	sb := New(Options{RateScale: 1000})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		key  string
		want int
	}{{InteractAPIKey, http.StatusMethodNotAllowed}, {"wrong", http.StatusUnauthorized}} {
		req, _ := http.NewRequest("GET", srv.URL+"/interact/api/umi/"+InteractDomainID+"/upload", nil)
		req.Header.Set("X-ApiKey", tc.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Message string }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || err != nil || body.Message == "" {
			t.Fatalf("key %q: status %d body %+v err %v, want %d with an ASP.NET Message", tc.key, resp.StatusCode, body, err, tc.want)
		}
	}
}
