package apihttp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// testCA is a certificate authority made for one test, and the pool that
// trusts it.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "headshot test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return testCA{cert: cert, key: key, pool: pool}
}

// leaf issues a server certificate for the given names and validity.
func (ca testCA) leaf(t *testing.T, ips []net.IP, dns []string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "headshot test server"},
		NotBefore: notBefore, NotAfter: notAfter, IPAddresses: ips, DNSNames: dns,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// An expired certificate and one for another host, from an authority the
// client trusts, are each named with their own cause, marked Stop (the
// engine does not retry them) and tried once: one handshake, no request.
func TestTLSExpiredAndWrongHostNamedAndFinal(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	local := []net.IP{net.ParseIP("127.0.0.1")}
	cases := []struct {
		name    string
		cert    tls.Certificate
		want    []string
		notWant []string
	}{
		{"expired", ca.leaf(t, local, nil, now.Add(-48*time.Hour), now.Add(-24*time.Hour)),
			[]string{"certificate has expired or is not valid yet", "check this machine's clock", "HTTPS_PROXY", "NO_PROXY"},
			[]string{"unknown authority", "another host"}},
		{"not valid yet", ca.leaf(t, local, nil, now.Add(24*time.Hour), now.Add(48*time.Hour)),
			[]string{"certificate has expired or is not valid yet", "check this machine's clock"},
			[]string{"unknown authority", "another host"}},
		{"wrong host", ca.leaf(t, nil, []string{"intranet.example.com"}, now.Add(-time.Hour), now.Add(time.Hour)),
			[]string{"certificate is for another host", "127.0.0.1 is not in it", "check base_url", "HTTPS_PROXY", "NO_PROXY"},
			[]string{"unknown authority", "expired"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var handshakes, requests atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{c.cert},
				GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
					handshakes.Add(1)
					return nil, nil // the server's own config
				}}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
			srv.StartTLS()
			defer srv.Close()

			cl := NewClient(upload.Zoom, 0, upload.Limits{}, nil)
			cl.UseRootCAs(ca.pool)
			req, _ := http.NewRequest("GET", srv.URL+"/v2/users/x?api_key=S3cretValue", nil)
			_, err := cl.Do(t.Context(), req)
			ue, ok := upload.AsError(err)
			if !ok {
				t.Fatalf("want an *upload.Error, got %v", err)
			}
			if !ue.Stop || ue.Class != upload.ClassNetwork {
				t.Errorf("Stop %v class %v, want a final network error", ue.Stop, ue.Class)
			}
			msg := ue.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			for _, w := range append(c.notWant, "cannot reach", "S3cretValue") {
				if strings.Contains(msg, w) {
					t.Errorf("%q names %q", msg, w)
				}
			}
			if h, r := handshakes.Load(), requests.Load(); h != 1 || r != 0 {
				t.Errorf("%d handshakes and %d requests reached the server, want 1 and 0 (not retried)", h, r)
			}
		})
	}
}
