package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The tenant's token endpoint refuses like the identity platform: the
// error code, an AADSTS description and error_codes.
func TestM365TokenRefusalShape(t *testing.T) {
	s, srv := sbServe(t, Options{})
	for _, tc := range []struct {
		path   string
		form   url.Values
		status int
		code   string
		aadsts string
	}{
		{"/m365/" + M365TenantID + "/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {M365ClientID}, "client_secret": {"nope"}, "scope": {m365Scope}}, 401, "invalid_client", "AADSTS7000215"},
		{"/m365/other-tenant/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"}}, 400, "invalid_request", "AADSTS90002"},
		{"/m365/" + M365TenantID + "/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {M365ClientID}, "client_secret": {M365ClientSecret}, "scope": {"User.Read"}}, 400, "invalid_scope", "AADSTS1002012"},
	} {
		resp, err := http.PostForm(srv.URL+tc.path, tc.form)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			ErrorDescription string `json:"error_description"`
			Codes            []int  `json:"error_codes"`
		}
		var raw map[string]any
		b := new(bytes.Buffer)
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		json.Unmarshal(b.Bytes(), &body)
		json.Unmarshal(b.Bytes(), &raw)
		if resp.StatusCode != tc.status || raw["error"] != tc.code || !strings.HasPrefix(body.ErrorDescription, tc.aadsts+":") || len(body.Codes) != 1 {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, b)
		}
	}
	if s.M365TokenRequests() != 3 {
		t.Errorf("token requests %d", s.M365TokenRequests())
	}
}

// The $filter the client sends is read with OData quoting; anything else
// is refused as Graph refuses an unsupported query.
func TestM365MailFilter(t *testing.T) {
	for in, want := range map[string]string{"mail eq 'a@b.c'": "a@b.c", "mail eq 'o''brien@b.c'": "o'brien@b.c"} {
		if got, ok := parseMailFilter(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"startswith(mail,'a')", "mail eq a@b.c", "displayName eq 'x'"} {
		if _, ok := parseMailFilter(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Google's web-safe base64 is read with any of the padding spellings its
// page names, or none.
func TestGoogleWebSafeBase64(t *testing.T) {
	data := []byte{0xFB, 0xFF, 0xBF, 0x01} // "+/" territory, needs padding
	std := base64.URLEncoding.EncodeToString(data)
	for _, enc := range []string{std, strings.ReplaceAll(std, "=", "*"), strings.ReplaceAll(std, "=", "."), strings.TrimRight(std, "=")} {
		got, err := decodeWebSafe(enc)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%q: %x %v", enc, got, err)
		}
	}
	if _, err := decodeWebSafe(base64.StdEncoding.EncodeToString([]byte{0xFB, 0xFF})); err == nil {
		t.Error("standard base64 with + and / accepted as web-safe")
	}
}

// The demo key file is the sandbox's key with its token_uri, readable by
// the user only, and gone after Close.
func TestGoogleKeyFile(t *testing.T) {
	s := New(Options{})
	s.URL = "http://127.0.0.1:1"
	path := s.GoogleKeyFile()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	var key map[string]string
	b, _ := os.ReadFile(path)
	if json.Unmarshal(b, &key) != nil || key["token_uri"] != s.URL+"/google/token" || key["type"] != "service_account" {
		t.Errorf("key %v", key["token_uri"])
	}
	s.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("key file left after Close: %v", err)
	}
}

// Key folders of processes that have ended are swept; a live process's
// folder (this one's) is kept.
func TestGoogleKeyFoldersOfEndedProcessesSwept(t *testing.T) {
	base := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	deadDir := filepath.Join(base, strconv.Itoa(dead.Process.Pid))
	liveDir := filepath.Join(base, strconv.Itoa(os.Getpid()))
	for _, d := range []string{deadDir, liveDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "google-key-x.json"), []byte("{}"), 0o600)
	}
	sweepKeyFolders(base)
	if _, err := os.Stat(deadDir); !os.IsNotExist(err) {
		t.Errorf("the ended process's folder is still there: %v", err)
	}
	if _, err := os.Stat(liveDir); err != nil {
		t.Errorf("this process's folder was removed: %v", err)
	}
}

// Graph's /users('{key}') form is served (a doubled quote read as one); a
// /users/{key} whose key begins with "$" is Graph's 400 (Get user: such a
// UPN must use the parenthesized form).
func TestM365KeyInParentheses(t *testing.T) {
	s, srv := sbServe(t, Options{})
	resp, err := http.PostForm(srv.URL+"/m365/"+M365TenantID+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {M365ClientID}, "client_secret": {M365ClientSecret}, "scope": {m365Scope}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	get := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/m365/v1.0"+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var u struct {
			ID string `json:"id"`
		}
		json.NewDecoder(resp.Body).Decode(&u)
		return resp.StatusCode, u.ID
	}
	upn := M365UPN(s.Users()[0])
	if st, id := get("/users('" + upn + "')"); st != 200 || id != s.Users()[0].UUID {
		t.Errorf("/users('upn'): %d %q", st, id)
	}
	if st, _ := get("/users/$" + upn); st != 400 {
		t.Errorf("/users/$...: %d, want 400", st)
	}
	if st, _ := get("/users('$o''neil@x.com')"); st != 404 {
		t.Errorf("/users('$o''neil'): %d, want 404", st)
	}
	if st, _ := get("/groups(%27x%27)"); st != 400 {
		t.Errorf("/groups('x'): %d, want 400", st)
	}
}
