package config

import (
	"reflect"

	"context"
	"headshot/upload/apihttp"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

// TestSandboxClientsCheck builds every client this build has from
// FromValues and proves each one authenticates against the emulator.
func TestSandboxClientsCheck(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	c := FromValues(sb.Credentials())
	if got := len(c.Platforms()); got != len(upload.Platforms()) || got != 7 {
		t.Fatalf("FromValues configures %d platforms", got)
	}
	if m := c.Missing(); len(m) != 0 {
		t.Fatalf("FromValues leaves %v missing", m)
	}
	for _, p := range c.Platforms() {
		cl, err := c.Client(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if cl.Platform() != p {
			t.Fatalf("%s client says %s", p, cl.Platform())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = cl.Check(ctx)
		cancel()
		if err != nil {
			t.Fatalf("%s Check: %v", p, err)
		}
	}
}

// TestSettingsReachClients proves a file's rate and limits reach the client.
func TestSettingsReachClients(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	sb.URL = "http://127.0.0.1:9"
	c := FromValues(sb.Credentials())
	if err := c.Set("zoom", "rate", "7/s"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("zoom", "max_bytes", "1000000"); err != nil {
		t.Fatal(err)
	}
	cl, err := c.Client(upload.Zoom)
	if err != nil {
		t.Fatal(err)
	}
	l := cl.Limits()
	if l.Rate.String() != "7/s" || l.MaxBytes != 1000000 || l.Concurrency != 4 {
		t.Fatalf("limits %+v", l)
	}
}

// TestWrongSecretIsAuth: a wrong secret fails Check as ClassAuth, and the
// error does not contain the secret.
func TestWrongSecretIsAuth(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	c := FromValues(sb.Credentials())
	Settings[zoom.Config](c, upload.Zoom).ClientSecret = "wrong-secret-value"
	cl, err := c.Client(upload.Zoom)
	if err != nil {
		t.Fatal(err)
	}
	err = cl.Check(context.Background())
	if upload.ClassOf(err) != upload.ClassAuth {
		t.Fatalf("wrong secret: %v (class %v)", err, upload.ClassOf(err))
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatal("secret in error")
	}
}

// Every platform's descriptor is whole: setup's keys exist in its table, and
// its defaults pass the checks a file's values get.
func TestDescriptorsAreConsistent(t *testing.T) {
	if len(upload.Platforms()) < 5 {
		t.Fatalf("registered platforms %v", upload.Platforms())
	}
	for _, p := range upload.Platforms() {
		d, _ := upload.Lookup(p)
		if len(d.Fields) == 0 || d.Summary == "" || d.Console == "" || d.CredentialHint == "" {
			t.Errorf("%s: descriptor lacks setup text: %+v", p, d)
		}
		for _, h := range d.Fields {
			if _, ok := FieldOf(string(p), h.Key); !ok || h.Help == "" {
				t.Errorf("%s: setup shows %q, which is not a key with help", p, h.Key)
			}
		}
		for _, f := range Fields(string(p)) {
			if err := f.Check(f.Default); err != nil {
				t.Errorf("[%s] %s: default %q: %v", p, f.Key, f.Default, err)
			}
			typ := reflect.TypeOf(d.Defaults()).FieldByIndex(f.index).Type
			if f.Secret() && typ != reflect.TypeOf(apihttp.Secret("")) {
				t.Errorf("[%s] %s is a secret held as %s, which printing a Config would show (want apihttp.Secret)", p, f.Key, typ)
			}
		}
	}
}
