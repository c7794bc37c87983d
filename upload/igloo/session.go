package igloo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// cookieName is the session cookie Igloo expects ([C]); a Set-Cookie from
// Session/Create is matched case-insensitively and its spelling kept.
const cookieName = "iglooauth"

// session is the shared login: one Session/Create at a time, reused by
// every request until the server answers 401.
type session struct {
	lock   chan struct{} // held while logging in
	token  string
	cookie string // the cookie name as the server spells it
}

// current returns a token, logging in if there is none.
func (c *Client) current(ctx context.Context) (token, cookie string, err error) {
	return c.relogin(ctx, "")
}

// relogin returns a session newer than stale: when another caller has
// already replaced stale, its token is reused instead of logging in again.
// With stale == "" it only logs in when there is no session yet.
func (c *Client) relogin(ctx context.Context, stale string) (token, cookie string, err error) {
	select {
	case c.sess.lock <- struct{}{}:
	case <-ctx.Done():
		return "", "", apihttp.TransportError(ctx, upload.Igloo, ctx.Err())
	}
	defer func() { <-c.sess.lock }()
	if c.sess.token != "" && c.sess.token != stale {
		return c.sess.token, c.sess.cookie, nil
	}
	c.sess.token = ""
	token, cookie, err = c.login(ctx)
	if err != nil {
		return "", "", err
	}
	c.sess.token, c.sess.cookie = token, cookie
	return token, cookie, nil
}

// login opens a session with the configured login (v1 by default). Any
// failure is a login failure: ClassAuth with "login failed" (the platform
// pauses; no person is blamed), or ClassServer/ClassNetwork when the
// server failed or could not be reached.
func (c *Client) login(ctx context.Context) (token, cookie string, err error) {
	var req *http.Request
	if c.cfg.Login == LoginV2 {
		req, err = c.loginV2Request()
	} else {
		req, err = c.loginV1Request()
	}
	if err != nil {
		return "", "", c.localErr("building the login request failed")
	}
	if err := c.wait(ctx); err != nil {
		return "", "", err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(ctx, req)
	if err != nil {
		if e, ok := upload.AsError(err); ok && e.Class != upload.ClassCanceled {
			e.Message = "login failed: " + e.Message
		}
		return "", "", err
	}
	if resp.Status < 200 || resp.Status >= 300 {
		return "", "", c.loginError(resp)
	}
	token = c.loginToken(resp.Body)
	cookie = cookieName
	for _, sc := range (&http.Response{Header: resp.Header}).Cookies() {
		if strings.EqualFold(sc.Name, cookieName) && sc.Value != "" {
			cookie = sc.Name
			if token == "" {
				token = sc.Value
			}
		}
	}
	if token == "" || strings.ContainsAny(token, "\r\n;") {
		if _, msg := errorWords(resp.Body); msg != "" {
			return "", "", &upload.Error{Platform: upload.Igloo, Class: upload.ClassAuth, Status: resp.Status,
				Message: c.redact("login failed for username " + c.cfg.Username + " (check app_id, app_password, username, password): Igloo says: " + msg)}
		}
		what := "the v1 login answered without a sessionKey"
		if c.cfg.Login == LoginV2 {
			what = "the v2 login answered without a TokenId"
		}
		g := apihttp.Garbage(upload.Igloo, &apihttp.Response{Status: resp.Status, Body: []byte("(" + what + ")")}, "login failed")
		return "", "", g
	}
	return token, cookie, nil
}

// loginV1Request is the documented login, which every community with SAML
// sign-on must use: POST /.api/api.svc/session/create with a form body.
func (c *Client) loginV1Request() (*http.Request, error) {
	form := url.Values{
		"appId": {c.cfg.AppID}, "appPass": {string(c.cfg.AppPassword)},
		"username": {c.cfg.Username}, "password": {string(c.cfg.Password)},
		"community": {c.cfg.CommunityAddress}, "apiversion": {"1"},
	}
	req, err := http.NewRequest(http.MethodPost, c.cfg.BaseURL+"/.api/api.svc/session/create", strings.NewReader(form.Encode()))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, err
}

// loginV2Request is POST /.api2/api/Session/Create with a JSON body
// (seen in public client code; the setting login = "v2").
func (c *Client) loginV2Request() (*http.Request, error) {
	body, err := json.Marshal(map[string]any{
		"AppId": c.cfg.AppID, "AppPassword": string(c.cfg.AppPassword),
		"UserName": c.cfg.Username, "UserPassword": string(c.cfg.Password),
		"instance": 0, "version": 1,
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, c.cfg.BaseURL+"/.api2/api/Session/Create", bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

// loginToken is the session key in a login answer: response.sessionKey
// (v1) or TokenId (v2); "" when absent.
func (c *Client) loginToken(body []byte) string {
	var out struct {
		TokenID  string `json:"TokenId"`
		Response *struct {
			SessionKey string `json:"sessionKey"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &out) != nil {
		return ""
	}
	if c.cfg.Login == LoginV2 {
		return strings.TrimSpace(out.TokenID)
	}
	if out.Response == nil {
		return ""
	}
	return strings.TrimSpace(out.Response.SessionKey)
}

// loginError is a refused login. Whatever the status, it is never "not
// found": a 404 means this workplace does not offer the configured login,
// so it says which other login to try.
func (c *Client) loginError(resp *apihttp.Response) *upload.Error {
	e := c.statusError(resp)
	switch e.Class {
	case upload.ClassServer, upload.ClassThrottled:
		e.Message = "login failed: " + e.Message
		return e
	}
	e.Class = upload.ClassAuth
	if resp.Status == http.StatusNotFound || resp.Status == http.StatusMethodNotAllowed {
		other := LoginV2
		if c.cfg.Login == LoginV2 {
			other = LoginV1
		}
		e.Message = fmt.Sprintf("login failed: this workplace does not offer the %s login (HTTP %d); set login = %q", c.cfg.Login, resp.Status, other)
		return e
	}
	e.Message = "login failed for username " + c.cfg.Username + " (check app_id, app_password, username, password): " + e.Message
	return e
}
