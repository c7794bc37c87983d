package igloo

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
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

// login is POST /.api2/api/Session/Create.
func (c *Client) login(ctx context.Context) (token, cookie string, err error) {
	body, err := json.Marshal(map[string]any{
		"AppId": c.cfg.AppID, "AppPassword": c.cfg.AppPassword,
		"UserName": c.cfg.Username, "UserPassword": c.cfg.Password,
		"instance": 0, "version": 1,
	})
	if err != nil {
		return "", "", c.localErr("encoding the login failed")
	}
	if err := c.wait(ctx); err != nil {
		return "", "", err
	}
	req, err := http.NewRequest(http.MethodPost, c.cfg.BaseURL+"/.api2/api/Session/Create", bytes.NewReader(body))
	if err != nil {
		return "", "", c.localErr("building the login request failed")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(ctx, req)
	if err != nil {
		return "", "", err
	}
	if resp.Status < 200 || resp.Status >= 300 {
		e := c.statusError(resp)
		if e.Class == upload.ClassAuth {
			e.Message = "login refused for username " + c.cfg.Username + " (check app_id, app_password, username, password): " + e.Message
		}
		return "", "", e
	}
	var out struct {
		TokenID string `json:"TokenId"`
	}
	_ = json.Unmarshal(resp.Body, &out)
	token, cookie = strings.TrimSpace(out.TokenID), cookieName
	for _, sc := range (&http.Response{Header: resp.Header}).Cookies() {
		if strings.EqualFold(sc.Name, cookieName) && sc.Value != "" {
			cookie = sc.Name
			if token == "" {
				token = sc.Value
			}
		}
	}
	if token == "" || strings.ContainsAny(token, "\r\n;") {
		return "", "", apihttp.Garbage(upload.Igloo, &apihttp.Response{Status: resp.Status, Body: []byte("(login answer without a TokenId)")}, "Session/Create")
	}
	return token, cookie, nil
}
