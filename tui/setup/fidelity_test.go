package setup

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/interact"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

// A Zoom app without a scope is told so, by the scope's name, instead of
// being sent to re-check credentials that are fine.
func TestConnectionTestNamesAMissingZoomScope(t *testing.T) {
	for _, tc := range []struct {
		granted []string
		want    string
	}{
		{granted: nil, want: "Zoom: connected"},
		{granted: []string{"user:read:user:admin", "user:write:profile_picture:admin"},
			want: "Zoom: the app lacks scope user:read:list_users:admin; add it under Scopes in the Marketplace app"},
		{granted: []string{"user:read:list_users:admin", "user:write:profile_picture:admin"},
			want: "Zoom: signed in, but looking up a person failed: the app lacks scope user:read:user:admin"},
	} {
		sb := sandbox.New(sandbox.Options{ZoomScopes: tc.granted})
		srv := httptest.NewServer(sb.Handler())
		sb.URL = srv.URL
		cr := sb.Credentials()["zoom"]
		c := zoom.Defaults()
		c.BaseURL, c.TokenURL, c.AccountID, c.ClientID, c.ClientSecret = cr["base_url"], cr["token_url"], cr["account_id"], apihttp.Secret(cr["client_id"]), apihttp.Secret(cr["client_secret"])
		cl, err := zoom.New(c)
		if err != nil {
			t.Fatal(err)
		}
		got := Explain(upload.Zoom, TestConnection(context.Background(), cl))
		srv.Close()
		if !strings.HasPrefix(got, tc.want) || strings.Contains(got, "client secret") {
			t.Errorf("scopes %v:\n got %q\nwant it to start %q", tc.granted, got, tc.want)
		}
	}
}

// The Interact connection test says which username form will be sent.
func TestConnectionTestShowsInteractUsernameForm(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	sb.URL = srv.URL
	cr := sb.Credentials()["interact"]
	for form, want := range map[string]string{
		interact.FormAuto:  "else the whole email",
		interact.FormEmail: "the whole email (username_form email)",
		interact.FormLocal: "local part",
	} {
		c := interact.Defaults()
		c.BaseURL, c.DomainID, c.APIKey, c.UsernameForm = cr["base_url"], cr["domain_id"], apihttp.Secret(cr["api_key"]), form
		cl, err := interact.New(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := TestConnection(context.Background(), cl); err != nil {
			t.Fatal(err)
		}
		if note := Describe(cl); !strings.Contains(note, want) {
			t.Errorf("username_form %s: %q, want %q", form, note, want)
		}
	}
}
