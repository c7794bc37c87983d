package google_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp/hostile"
	"headshot/upload/google"
)

const (
	leakKeyID       = "KEYID-google-f00dfeed42"
	leakAccessToken = "ACCESSTOKEN-google-b4dc0ffee9"
)

var (
	testKeyOnce sync.Once
	testKeyPEM  string
)

// keyFile writes a service account key whose token_uri is tokenURI.
func keyFile(t *testing.T, tokenURI string) string {
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		der, _ := x509.MarshalPKCS8PrivateKey(k)
		testKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	})
	b, _ := json.Marshal(map[string]string{"type": "service_account", "private_key_id": leakKeyID,
		"private_key": testKeyPEM, "client_email": "sa@p.iam.gserviceaccount.com", "token_uri": tokenURI})
	return writeKey(t, b)
}

func goodTokenServer(t *testing.T, token string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"`+token+`","expires_in":3599,"token_type":"Bearer"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A server echoing credentials (as the API or as the token endpoint) never
// makes the client quote them; nothing is forwarded to another host.
func TestCredentialsNeverLeak(t *testing.T) {
	secrets := []string{leakKeyID, leakAccessToken}
	for _, tokenToo := range []bool{false, true} {
		hostile.Leaks(t, fmt.Sprintf("token-endpoint-hostile=%v/", tokenToo), secrets, nil, nil, func(t *testing.T, ctx context.Context, base string, check hostile.Check) {
			tokenURI := goodTokenServer(t, leakAccessToken).URL + "/token"
			if tokenToo {
				tokenURI = base + "/token"
			}
			c := google.Defaults()
			c.BaseURL, c.AdminEmail, c.CredentialsFile = base, "admin@example.com", keyFile(t, tokenURI)
			c.Timeout = 5 * time.Second
			hostile.Calls(t, ctx, newClient(t, c), check, jane, upload.Target{Person: jane, ID: "u1"}, photo(t))
		})
	}
}

func garbageClient(t *testing.T, base string) *google.Client {
	c := google.Defaults()
	c.BaseURL, c.AdminEmail = base, "admin@example.com"
	c.CredentialsFile = keyFile(t, goodTokenServer(t, "tok-123456").URL)
	c.Timeout = 5 * time.Second
	return newClient(t, c)
}

// 2xx answers that make no sense are clear *upload.Errors, never a panic.
func TestGarbageAnswersAreClearErrors(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		hostile.GarbageRefused(t, ctx, garbageClient(t, base), jane, upload.Target{Person: jane, ID: "u1"}, photo(t))
	})
}

// A token endpoint answering garbage or nothing is a clear error too.
func TestGarbageTokenEndpoint(t *testing.T) {
	hostile.Garbage(t, nil, nil, func(t *testing.T, ctx context.Context, _ hostile.Mode, base string) {
		c := google.Defaults()
		c.BaseURL, c.AdminEmail, c.CredentialsFile = "https://admin.invalid", "a@example.com", keyFile(t, base+"/token")
		c.Timeout = 5 * time.Second
		hostile.WantError(t, "Check", newClient(t, c).Check(ctx))
	})
	c := google.Defaults()
	c.AdminEmail, c.CredentialsFile, c.Timeout = "a@example.com", keyFile(t, hostile.Hanging(t).URL), 300*time.Millisecond
	err := newClient(t, c).Check(context.Background())
	if e, ok := upload.AsError(err); !ok || e.Class != upload.ClassNetwork {
		t.Errorf("hanging token endpoint: %v, want a network error", err)
	}
}

// A secret pasted into base_url, or a key file whose token_uri holds
// one, is never repeated by New.
func TestNewNeverEchoesABadURL(t *testing.T) {
	hostile.NewRefusesURLs(t, "base_url", hostile.BadURLs("admin.googleapis.com"), func(raw string) google.Config {
		return google.Config{BaseURL: raw, AdminEmail: "a@example.com", CredentialsFile: keyFile(t, "https://oauth2.googleapis.com/token")}
	}, google.New)
	hostile.NewRefusesURLs(t, "token_uri", hostile.BadURLs("oauth2.googleapis.com"), func(raw string) google.Config {
		return google.Config{AdminEmail: "a@example.com", CredentialsFile: keyFile(t, raw)}
	}, google.New)
}

func TestDotSegmentsRefusedLocally(t *testing.T) {
	h := hostile.New(t, hostile.Echo500, nil, nil, nil)
	hostile.DotSegmentsRefused(t, garbageClient(t, h.URL), photo(t))
}

func TestClientPrintsNoSecret(t *testing.T) {
	hostile.PrintsNoSecret(t, garbageClient(t, "https://admin.example"), leakKeyID, "PRIVATE KEY", "tok-123456")
}
