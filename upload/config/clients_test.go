package config

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/sandbox"
)

// TestSandboxClientsCheck builds every client this build has from
// FromSandbox and proves each one authenticates against the emulator.
func TestSandboxClientsCheck(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	c := FromSandbox(sb.Credentials())
	if got := len(c.Platforms()); got != 5 {
		t.Fatalf("FromSandbox configures %d platforms", got)
	}
	if m := c.Missing(); len(m) != 0 {
		t.Fatalf("FromSandbox leaves %v missing", m)
	}
	for _, p := range c.Platforms() {
		if _, ok := builders[p]; !ok {
			continue // client package not in this build yet
		}
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
	c := FromSandbox(sb.Credentials())
	if err := c.Set("zoom", "rate", "7/s"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("zoom", "max_bytes", "1000000"); err != nil {
		t.Fatal(err)
	}
	if _, ok := builders[upload.Zoom]; !ok {
		t.Skip("no zoom client in this build")
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
	c := FromSandbox(sb.Credentials())
	c.Zoom.ClientSecret = "wrong-secret-value"
	if _, ok := builders[upload.Zoom]; !ok {
		t.Skip("no zoom client in this build")
	}
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
