package rhombus

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// testPKI is a CA with a server certificate for 127.0.0.1 and a client
// certificate, the client's written as PEM files.
type testPKI struct {
	pool                *x509.CertPool
	server              tls.Certificate
	certFile, keyFile   string
	otherCert, otherKey string // a client certificate the CA did not sign
}

func newPKI(t *testing.T) testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, client bool, signer *x509.Certificate, signerKey *ecdsa.PrivateKey) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		if client {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		} else {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		}
		if signer == nil {
			signer, signerKey = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	write := func(name string, der []byte, key *ecdsa.PrivateKey) (string, string) {
		dir := t.TempDir()
		kb, _ := x509.MarshalECPrivateKey(key)
		cf, kf := filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
		os.WriteFile(cf, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)   //nolint:errcheck
		os.WriteFile(kf, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600) //nolint:errcheck
		return cf, kf
	}
	p := testPKI{pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	sDER, sKey := issue(2, false, ca, caKey)
	p.server = tls.Certificate{Certificate: [][]byte{sDER}, PrivateKey: sKey}
	cDER, cKey := issue(3, true, ca, caKey)
	p.certFile, p.keyFile = write("client", cDER, cKey)
	oDER, oKey := issue(4, true, nil, nil) // self-signed
	p.otherCert, p.otherKey = write("other", oDER, oKey)
	return p
}

func TestCertificateSchemeUsesTheClientCertificate(t *testing.T) {
	pki := newPKI(t)
	var schemes []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck
		schemes = append(schemes, r.Header.Get("x-auth-scheme"))
		w.Write([]byte(`{"users":[{"uuid":"AAAAAAAAAAAAAAAAAAAAAA","email":"jane@example.com"}]}`)) //nolint:errcheck
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes below are expected
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pki.pool, Certificates: []tls.Certificate{pki.server}}
	srv.StartTLS()
	defer srv.Close()

	check := func(c Config) error {
		t.Helper()
		cl, err := New(c)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		cl.UseRootCAs(pki.pool)
		return cl.Check(context.Background())
	}
	base := Config{BaseURL: srv.URL, APIKey: "AAAAAAAAAAAAAAAAAAAAAA", Settings: apihttp.Settings{Timeout: 5 * time.Second}}

	withCert := base
	withCert.AuthScheme, withCert.CertFile, withCert.KeyFile = "api", pki.certFile, pki.keyFile
	if err := check(withCert); err != nil {
		t.Fatalf("api scheme with the signed certificate: %v", err)
	}
	if len(schemes) != 1 || schemes[0] != "api" {
		t.Fatalf("x-auth-scheme sent: %v", schemes)
	}

	// The token scheme sends no certificate: this server refuses the
	// handshake, and the error is a network one, not a panic or a leak.
	token := base
	token.AuthScheme = "api-token"
	if e, ok := upload.AsError(check(token)); !ok || e.Class != upload.ClassNetwork || strings.Contains(e.Error(), string(base.APIKey)) {
		t.Fatalf("token scheme against a certificate server: %v", e)
	}
	// A certificate the server does not trust is refused the same way.
	other := withCert
	other.CertFile, other.KeyFile = pki.otherCert, pki.otherKey
	if e, ok := upload.AsError(check(other)); !ok || e.Class != upload.ClassNetwork {
		t.Fatalf("untrusted client certificate: %v", e)
	}
}

func TestCertificateSchemeNeedsCertAndKey(t *testing.T) {
	pki := newPKI(t)
	for name, tc := range map[string]struct {
		scheme, cert, key string
		want              string // "" = accepted
	}{
		"api without files":         {scheme: "api", want: "certificate (mutual TLS)"},
		"partner-api without files": {scheme: "partner-api", want: "cert_file and key_file"},
		"api with a key only":       {scheme: "api", key: pki.keyFile, want: "api-token"},
		"api with mismatched files": {scheme: "api", cert: pki.certFile, key: pki.otherKey, want: "cannot load"},
		"api with both":             {scheme: "api", cert: pki.certFile, key: pki.keyFile},
		"token scheme with files":   {scheme: "api-token", cert: pki.certFile, key: pki.keyFile, want: "not api-token"},
	} {
		c := Config{APIKey: "AAAAAAAAAAAAAAAAAAAAAA", AuthScheme: tc.scheme, Org: "org", CertFile: tc.cert, KeyFile: tc.key}
		_, err := New(c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want an error saying %q", name, err, tc.want)
		case err != nil && strings.Contains(err.Error(), string(c.APIKey)):
			t.Errorf("%s: the key in %v", name, err)
		}
	}
}
