package sandbox

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is the SHA-1 thumbprint by definition
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Microsoft 365 emulation, written from the Microsoft Graph and Microsoft
// identity platform documents (docs/fidelity.md lists them):
//
//   - POST /m365/{tenant}/oauth2/v2.0/token: the client credentials grant,
//     with client_secret or a certificate's client_assertion (RS256 JWT,
//     aud = the token endpoint, iss = sub = client id, x5t thumbprint), scope
//     https://graph.microsoft.com/.default; Entra's {"error",
//     "error_description":"AADSTSnnn: ...","error_codes"} refusals.
//   - /m365/v1.0/users (GET, $top, $select, $filter=mail eq '...') and
//     /m365/v1.0/users/{id | userPrincipalName}: users whose UPN is
//     name@sandbox.onmicrosoft.com while their mail is the roster email,
//     so a lookup by email needs the $filter.
//   - PUT or PATCH /m365/v1.0/users/{id | UPN}/photo/$value: image/jpeg
//     binary, at most 4 MB (413, or 400 when M365TooLargeStatus says so),
//     200 OK on success.
//   - Graph's {"error":{"code","message","innerError"}} bodies; 401
//     InvalidAuthenticationToken for a missing, unknown or expired token;
//     photo writes beyond the rate answered 429 TooManyRequests (503 or
//     504 when M365ThrottleStatus says so) with Retry-After.

// Demo values the Microsoft 365 emulator accepts.
const (
	M365TenantID     = "5a1db0c5-0000-4000-8000-0000000365aa"
	M365ClientID     = "5a1db0c5-0000-4000-8000-00000000c11e"
	M365ClientSecret = "sandbox-m365-client-secret"
	m365Domain       = "sandbox.onmicrosoft.com"
	m365Scope        = "https://graph.microsoft.com/.default"
)

type m365API struct {
	s        *Sandbox
	lim      *rate.Limiter
	ttl      time.Duration
	maxBytes int64

	mu            sync.Mutex
	tokens        map[string]time.Time
	tokenRequests int
	photos        map[string][]byte // user id -> stored photo
}

func init() {
	register(Emulator{Platform: "m365", Mount: mountM365, Rate: 10, RateUnit: "s", Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/m365/v1.0"}, {"token_url", url + "/m365/" + M365TenantID + "/oauth2/v2.0/token"},
			{"tenant_id", M365TenantID}, {"client_id", M365ClientID}, {"client_secret", M365ClientSecret}}
	}})
}

func mountM365(s *Sandbox) {
	a := &m365API{s: s, ttl: s.opts.M365TokenTTL, maxBytes: s.opts.M365MaxBytes,
		tokens: map[string]time.Time{}, photos: map[string][]byte{}}
	if a.ttl <= 0 {
		a.ttl = time.Hour
	}
	if a.maxBytes <= 0 {
		a.maxBytes = 4 * 1024 * 1024
	}
	r := s.opts.M365Rate
	if r <= 0 {
		r = 10
	}
	a.lim = s.newLimiter(r, int(math.Ceil(r)))
	s.m365 = a
	s.mux.HandleFunc("POST /m365/{tenant}/oauth2/v2.0/token", a.token)
	s.mux.HandleFunc("GET /m365/v1.0/users", a.authed(a.listUsers))
	s.mux.HandleFunc("GET /m365/v1.0/users/{id}", a.authed(a.getUser))
	s.mux.HandleFunc("PUT /m365/v1.0/users/{id}/photo/{value}", a.authed(a.putPhoto))
	s.mux.HandleFunc("PATCH /m365/v1.0/users/{id}/photo/{value}", a.authed(a.putPhoto))
	s.mux.HandleFunc("GET /m365/v1.0/users/{id}/photo/{value}", a.authed(a.getPhoto))
	// The key-in-parentheses form, /users('{id | userPrincipalName}'),
	// which a UPN beginning with "$" needs (Get user).
	s.mux.HandleFunc("GET /m365/v1.0/{keyed}", a.authed(a.keyed(a.getUser)))
	s.mux.HandleFunc("PUT /m365/v1.0/{keyed}/photo/{value}", a.authed(a.keyed(a.putPhoto)))
	s.mux.HandleFunc("PATCH /m365/v1.0/{keyed}/photo/{value}", a.authed(a.keyed(a.putPhoto)))
}

// M365TokenRequests counts the token requests received (granted or not).
func (s *Sandbox) M365TokenRequests() int {
	s.m365.mu.Lock()
	defer s.m365.mu.Unlock()
	return s.m365.tokenRequests
}

// ExpireM365Tokens makes every token issued so far expired: the next
// Graph call with one gets 401 InvalidAuthenticationToken.
func (s *Sandbox) ExpireM365Tokens() {
	s.m365.mu.Lock()
	defer s.m365.mu.Unlock()
	for t := range s.m365.tokens {
		s.m365.tokens[t] = time.Now().Add(-time.Second)
	}
}

// M365UPN is the user principal name the emulator gives a roster user.
func M365UPN(u User) string { return u.Username + "@" + m365Domain }

// entraError writes the identity platform's token error body.
func entraError(w http.ResponseWriter, status int, code string, aadsts int, msg string) {
	writeJSON(w, status, map[string]any{
		"error": code, "error_description": fmt.Sprintf("AADSTS%d: %s", aadsts, msg),
		"error_codes": []int{aadsts}, "timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id": "00000000-0000-0000-0000-000000000000", "correlation_id": "00000000-0000-0000-0000-000000000000",
	})
}

// graphErr writes Graph's error body.
func graphErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]string{"date": time.Now().UTC().Format("2006-01-02T15:04:05"),
			"request-id": "00000000-0000-0000-0000-000000000000", "client-request-id": "00000000-0000-0000-0000-000000000000"},
	}})
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newAccessToken is an opaque random token.
func newAccessToken(prefix string) string {
	buf := make([]byte, 24)
	_, _ = rand.Read(buf)
	return prefix + base64.RawURLEncoding.EncodeToString(buf)
}

// token is the client credentials grant.
func (a *m365API) token(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.tokenRequests++
	a.mu.Unlock()
	if err := r.ParseForm(); err != nil {
		entraError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return
	}
	f := r.PostForm
	tenant := r.PathValue("tenant")
	switch {
	case tenant != M365TenantID && tenant != m365Domain:
		entraError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant))
	case f.Get("grant_type") != "client_credentials":
		entraError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
	case f.Get("client_id") != M365ClientID:
		entraError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'.", f.Get("client_id"), tenant))
	case f.Get("scope") != m365Scope:
		entraError(w, http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
	case f.Get("client_assertion") != "":
		if msg := a.checkAssertion(f.Get("client_assertion_type"), f.Get("client_assertion"), "http://"+r.Host+r.URL.Path); msg != "" {
			entraError(w, http.StatusUnauthorized, "invalid_client", 700027, msg)
			return
		}
		a.grant(w)
	case f.Get("client_secret") != M365ClientSecret:
		entraError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+M365ClientID+"'.")
	default:
		a.grant(w)
	}
}

// grant issues a token.
func (a *m365API) grant(w http.ResponseWriter) {
	tok := newAccessToken("sbx.m365.")
	a.mu.Lock()
	a.tokens[tok] = time.Now().Add(a.ttl)
	a.mu.Unlock()
	secs := int(math.Ceil(a.ttl.Seconds()))
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok})
}

// checkAssertion verifies a client assertion against the registered
// certificate; it returns the refusal, or "" when the assertion is good.
func (a *m365API) checkAssertion(typ, jwt, aud string) string {
	cert := a.s.opts.M365Certificate
	if typ != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer."
	}
	if cert == nil {
		return "Client assertion contains an invalid signature. [Reason - The key was not found.]"
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "Client assertion is not a JWT."
	}
	var head struct {
		Alg string `json:"alg"`
		X5t string `json:"x5t"`
	}
	var claims struct {
		Aud, Iss, Sub, Jti string
		Exp, Nbf           int64
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &head) != nil || json.Unmarshal(cb, &claims) != nil {
		return "Client assertion is not a valid JWT."
	}
	thumb := sha1.Sum(cert.Raw) //nolint:gosec // thumbprint
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	now := time.Now().Unix()
	switch {
	case head.Alg != "RS256":
		return "Client assertion must be signed with RS256."
	case head.X5t != base64.RawURLEncoding.EncodeToString(thumb[:]):
		return "Client assertion contains an invalid signature. [Reason - The key was not found.]"
	case !ok || rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil:
		return "Client assertion contains an invalid signature."
	case claims.Aud != aud:
		return "Client assertion audience claim does not match Realm issuer."
	case claims.Iss != M365ClientID || claims.Sub != M365ClientID:
		return "Client assertion iss and sub must be the client id."
	case claims.Exp < now || claims.Nbf > now+300:
		return "Client assertion is not within its valid time range."
	case claims.Jti == "":
		return "Client assertion must have a jti."
	}
	return ""
}

// authed checks the bearer token before h runs.
func (a *m365API) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		a.mu.Lock()
		exp, known := a.tokens[tok]
		a.mu.Unlock()
		switch {
		case !ok || tok == "":
			drainBody(r)
			graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		case !known:
			drainBody(r)
			graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed.")
		case time.Now().After(exp):
			drainBody(r)
			graphErr(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
		default:
			h(w, r)
		}
	}
}

// keyed serves /users('key') as /users/key: the key is an OData string
// literal (a single quote inside doubled); any other segment is Graph's
// 400 for a segment it does not know.
func (a *m365API) keyed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		seg := r.PathValue("keyed")
		inner, pre := strings.CutPrefix(seg, "users('")
		inner, post := strings.CutSuffix(inner, "')")
		if !pre || !post || inner == "" {
			drainBody(r)
			graphErr(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+seg+"'.")
			return
		}
		r.SetPathValue("id", strings.ReplaceAll(inner, "''", "'"))
		h(w, r)
	}
}

// badKeySegment answers a /users/{key} whose key begins with "$": Graph
// reads it as a system query option, so such a UPN must be sent as
// /users('$...') (Get user). It reports whether it answered.
func badKeySegment(w http.ResponseWriter, r *http.Request, key string) bool {
	if !strings.HasPrefix(key, "$") || r.PathValue("keyed") != "" {
		return false
	}
	drainBody(r)
	graphErr(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+key+"'.")
	return true
}

// user finds a roster user by object id (UUID) or user principal name.
func (a *m365API) user(key string) (User, bool) {
	return a.s.userBy(func(u User) bool { return u.UUID == key || strings.EqualFold(M365UPN(u), key) })
}

// userJSON is the user resource, limited to $select when one is given.
func m365UserJSON(u User) map[string]any {
	return map[string]any{"id": u.UUID, "displayName": u.Name(), "userPrincipalName": M365UPN(u),
		"mail": u.Email, "givenName": u.First, "surname": u.Last}
}

func (a *m365API) getUser(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("id")
	if badKeySegment(w, r, key) {
		return
	}
	u, ok := a.user(key)
	if !ok {
		graphErr(w, http.StatusNotFound, "Request_ResourceNotFound",
			fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", key))
		return
	}
	body := m365UserJSON(u)
	body["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
	writeJSON(w, http.StatusOK, body)
}

// listUsers is GET /users with $top and an optional $filter=mail eq '...'
// (the only filter the emulator understands; others are 400 as Graph
// answers an unsupported query).
func (a *m365API) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	top := 100
	if v := q.Get("$top"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &top); err != nil || top < 1 || top > 999 {
			graphErr(w, http.StatusBadRequest, "Request_UnsupportedQuery", "Invalid page size specified: '"+v+"'. Must be between 1 and 999 inclusive.")
			return
		}
	}
	users := a.s.users
	if f := q.Get("$filter"); f != "" {
		mail, ok := parseMailFilter(f)
		if !ok {
			graphErr(w, http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'mail' of resource 'User'.")
			return
		}
		users = nil
		if u, found := a.s.userByEmail(mail); found {
			users = []User{u}
		}
	}
	out := make([]map[string]any, 0, min(top, len(users)))
	for _, u := range users[:min(top, len(users))] {
		out = append(out, m365UserJSON(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": out})
}

// parseMailFilter reads mail eq 'x' (OData: a quote inside is doubled).
func parseMailFilter(f string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(f), "mail eq '")
	if !ok || !strings.HasSuffix(rest, "'") {
		return "", false
	}
	return strings.ReplaceAll(strings.TrimSuffix(rest, "'"), "''", "'"), true
}

// putPhoto is PUT/PATCH /users/{id}/photo/$value.
func (a *m365API) putPhoto(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("value") != "$value" {
		drainBody(r)
		graphErr(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+r.PathValue("value")+"'.")
		return
	}
	if ok, wait := take(a.lim); !ok {
		drainBody(r)
		status := http.StatusTooManyRequests
		if st := a.s.opts.M365ThrottleStatus; st == http.StatusServiceUnavailable || st == http.StatusGatewayTimeout {
			status = st
		}
		a.s.setRetryAfter(w, wait)
		graphErr(w, status, "TooManyRequests", "Too many requests.")
		return
	}
	if a.s.injectFaults(w, r) {
		return
	}
	if badKeySegment(w, r, r.PathValue("id")) {
		return
	}
	u, ok := a.user(r.PathValue("id"))
	if !ok {
		drainBody(r)
		graphErr(w, http.StatusNotFound, "Request_ResourceNotFound",
			fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", r.PathValue("id")))
		return
	}
	if slices.ContainsFunc(a.s.opts.M365NoMailbox, func(e string) bool { return strings.EqualFold(e, u.Email) }) {
		drainBody(r)
		graphErr(w, http.StatusNotFound, "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.")
		return
	}
	if ct := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0])); ct != "image/jpeg" {
		drainBody(r)
		graphErr(w, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "Content-Type must be image/jpeg.")
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, a.maxBytes+1))
	if err != nil {
		graphErr(w, http.StatusBadRequest, "BadRequest", "The request body could not be read.")
		return
	}
	if int64(len(data)) > a.maxBytes {
		drainBody(r)
		status := http.StatusRequestEntityTooLarge
		if a.s.opts.M365TooLargeStatus == http.StatusBadRequest {
			status = http.StatusBadRequest
		}
		graphErr(w, status, "RequestEntityTooLarge", fmt.Sprintf("The photo exceeds the maximum size of %d bytes (4 MB).", a.maxBytes))
		return
	}
	if !isJPEGData(data) {
		graphErr(w, http.StatusBadRequest, "ImageNotValid", "The photo is not a valid image.")
		return
	}
	a.mu.Lock()
	a.photos[u.UUID] = data
	a.mu.Unlock()
	a.s.record("m365", u.Email, data)
	if a.s.opts.M365PhotoStatus == http.StatusNoContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// getPhoto is GET /users/{id}/photo/$value: the stored bytes.
func (a *m365API) getPhoto(w http.ResponseWriter, r *http.Request) {
	u, ok := a.user(r.PathValue("id"))
	a.mu.Lock()
	data := a.photos[u.UUID]
	a.mu.Unlock()
	if !ok || data == nil || r.PathValue("value") != "$value" {
		graphErr(w, http.StatusNotFound, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.")
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(data)
}
