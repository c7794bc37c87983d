package sandbox

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/time/rate"
)

// Google Workspace emulation, written from the Admin SDK Directory API and
// Google OAuth 2.0 service-account documents (docs/fidelity.md lists them):
//
//   - POST /google/token: the JWT bearer grant
//     (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer) with an
//     RS256 assertion signed by the service account key GoogleKeyJSON
//     hands out (its token_uri points here): iss the service account, aud
//     the token_uri, scope admin.directory.user, sub an administrator
//     (domain-wide delegation). Google's OAuth refusals: invalid_grant,
//     unauthorized_client.
//   - GET /google/admin/directory/v1/users/{userKey}: primary email, alias
//     ({username}@alias.example.com) or unique id.
//   - PUT (or PATCH) /google/admin/directory/v1/users/{userKey}/photos/thumbnail:
//     the UserPhoto JSON, photoData in web-safe base64 (padding as "=",
//     "*" or "." or none), mimeType JPEG, PNG, GIF, BMP or TIFF; answered
//     with the UserPhoto resource.
//   - Google's {"error":{"code","message","errors":[{"message","domain",
//     "reason"}],"status"}} bodies; every API query counts against one
//     per-minute quota (2,400 a minute by default), beyond which the
//     answer is 403 userRateLimitExceeded without Retry-After (the
//     document says: exponential backoff).

// Demo values the Google Workspace emulator accepts.
const (
	GoogleAdminEmail     = "jane.doe@example.com"
	GoogleServiceAccount = "headshot@sandbox-project.iam.gserviceaccount.com"
	googleKeyID          = "5a1db0c5000000000000000000000000000000ff"
	googleAliasDomain    = "alias.example.com"
	googleScope          = "https://www.googleapis.com/auth/admin.directory.user"
)

type googleAPI struct {
	s        *Sandbox
	lim      *rate.Limiter
	ttl      time.Duration
	maxBytes int64

	mu            sync.Mutex
	tokens        map[string]googleToken
	tokenRequests int
	gets          int // users.get answered
	listPages     int // users.list pages answered
}

// googleToken is an issued access token: its expiry and whether its
// subject is an administrator.
type googleToken struct {
	exp   time.Time
	admin bool
}

func init() {
	register(Emulator{Platform: "google", Mount: mountGoogle, Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/google"}, {"admin_email", GoogleAdminEmail}}
	}, Files: func(s *Sandbox) map[string]string {
		return map[string]string{"credentials_file": s.GoogleKeyFile()}
	}})
}

func mountGoogle(s *Sandbox) {
	a := &googleAPI{s: s, ttl: s.opts.GoogleTokenTTL, maxBytes: s.opts.GoogleMaxBytes, tokens: map[string]googleToken{}}
	if a.ttl <= 0 {
		a.ttl = time.Hour
	}
	if a.maxBytes <= 0 {
		a.maxBytes = 2 * 1024 * 1024
	}
	r := s.opts.GoogleRate
	if r <= 0 {
		r = 40 // 2,400 queries a minute per user
	}
	a.lim = s.newLimiter(r, int(math.Ceil(r)))
	s.google = a
	s.mux.HandleFunc("POST /google/token", a.token)
	s.mux.HandleFunc("GET /google/admin/directory/v1/users", a.authed(a.listUsers))
	s.mux.HandleFunc("GET /google/admin/directory/v1/users/{userKey}", a.authed(a.getUser))
	s.mux.HandleFunc("PUT /google/admin/directory/v1/users/{userKey}/photos/thumbnail", a.authed(a.putPhoto))
	s.mux.HandleFunc("PATCH /google/admin/directory/v1/users/{userKey}/photos/thumbnail", a.authed(a.putPhoto))
}

// The service account key is made once per process, on first use (an RSA
// key takes a moment) and shared by every sandbox: it is a demo key that
// works nowhere else.
var (
	googleKeyOnce sync.Once
	googleKey     *rsa.PrivateKey
)

// privateKey is the emulated service account's key.
func (a *googleAPI) privateKey() *rsa.PrivateKey {
	googleKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic("sandbox: cannot make an RSA key: " + err.Error())
		}
		googleKey = k
	})
	return googleKey
}

// GoogleKeyJSON is a service account JSON key for the emulator: its
// token_uri is this sandbox's token endpoint. It is a sandbox-only key.
func (s *Sandbox) GoogleKeyJSON() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(s.google.privateKey())
	if err != nil {
		panic("sandbox: cannot encode the RSA key: " + err.Error())
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	b, _ := json.MarshalIndent(map[string]string{
		"type": "service_account", "project_id": "sandbox-project", "private_key_id": googleKeyID,
		"private_key": string(pemKey), "client_email": GoogleServiceAccount, "client_id": "100000000000000000365",
		"auth_uri": s.URL + "/google/auth", "token_uri": s.URL + "/google/token",
	}, "", "  ")
	return b
}

// GoogleTokenRequests counts the token requests received (granted or not).
func (s *Sandbox) GoogleTokenRequests() int {
	s.google.mu.Lock()
	defer s.google.mu.Unlock()
	return s.google.tokenRequests
}

// ExpireGoogleTokens makes every token issued so far expired: the next
// API call with one gets 401 authError.
func (s *Sandbox) ExpireGoogleTokens() {
	s.google.mu.Lock()
	defer s.google.mu.Unlock()
	for t, info := range s.google.tokens {
		info.exp = time.Now().Add(-time.Second)
		s.google.tokens[t] = info
	}
}

// GoogleAlias is the alias address the emulator gives a roster user.
func GoogleAlias(u User) string { return u.Username + "@" + googleAliasDomain }

// googleOAuthError writes Google's token endpoint refusal.
func googleOAuthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// googleErr writes the Directory API's error body.
func googleErr(w http.ResponseWriter, status int, reason, domain, statusName, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": status, "message": msg, "status": statusName,
		"errors": []map[string]string{{"message": msg, "domain": domain, "reason": reason}},
	}})
}

// token is the JWT bearer grant.
func (a *googleAPI) token(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.tokenRequests++
	a.mu.Unlock()
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		googleOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+r.PostForm.Get("grant_type"))
		return
	}
	var claims struct {
		Iss, Scope, Aud, Sub string
		Exp, Iat             int64
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	if len(parts) != 3 {
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT: not a JWT.")
		return
	}
	var head struct{ Alg, Kid string }
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &head) != nil || json.Unmarshal(cb, &claims) != nil {
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT: unreadable.")
		return
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	now := time.Now().Unix()
	aud := "http://" + r.Host + r.URL.Path
	switch {
	case head.Alg != "RS256" || rsa.VerifyPKCS1v15(&a.privateKey().PublicKey, crypto.SHA256, sum[:], sig) != nil:
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
	case claims.Iss != GoogleServiceAccount:
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
	case claims.Aud != aud:
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT: Failed audience check.")
	case claims.Exp < now || claims.Iat > now+300 || claims.Exp-claims.Iat > 3600:
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.")
	case !strings.EqualFold(claims.Sub, GoogleAdminEmail):
		if _, ok := a.s.userByEmail(claims.Sub); ok && claims.Sub != "" {
			// A real user who is not an administrator: delegation works,
			// the API calls will be 403.
			a.grant(w, false)
			return
		}
		googleOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid email or User ID")
	case a.s.opts.GoogleNoDelegation || claims.Scope != googleScope:
		googleOAuthError(w, http.StatusUnauthorized, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.")
	default:
		a.grant(w, true)
	}
}

// grant issues a token.
func (a *googleAPI) grant(w http.ResponseWriter, admin bool) {
	tok := newAccessToken("ya29.sbx.")
	a.mu.Lock()
	a.tokens[tok] = googleToken{exp: time.Now().Add(a.ttl), admin: admin}
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "expires_in": int(math.Ceil(a.ttl.Seconds())), "token_type": "Bearer"})
}

// authed checks the bearer token and the quota before h runs.
func (a *googleAPI) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		a.mu.Lock()
		info, known := a.tokens[tok]
		a.mu.Unlock()
		if !ok || !known || time.Now().After(info.exp) {
			drainBody(r)
			googleErr(w, http.StatusUnauthorized, "authError", "global", "UNAUTHENTICATED",
				"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
			return
		}
		if !info.admin {
			drainBody(r)
			googleErr(w, http.StatusForbidden, "forbidden", "global", "PERMISSION_DENIED", "Not Authorized to access this resource/api")
			return
		}
		if ok, _ := take(a.lim); !ok {
			drainBody(r)
			reason := a.s.opts.GoogleQuotaReason
			if reason == "" {
				reason = "userRateLimitExceeded"
			}
			googleErr(w, http.StatusForbidden, reason, "usageLimits", "PERMISSION_DENIED",
				"Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.")
			return
		}
		h(w, r)
	}
}

// user finds a roster user by primary email, alias or id.
func (a *googleAPI) user(key string) (User, bool) {
	return a.s.userBy(func(u User) bool {
		return strings.EqualFold(u.Email, key) || strings.EqualFold(GoogleAlias(u), key) || googleID(u) == key
	})
}

// googleID is the emulator's numeric-looking unique user id.
func googleID(u User) string { return fmt.Sprintf("1%020d", u.PersonID) }

func googleNotFound(w http.ResponseWriter) {
	googleErr(w, http.StatusNotFound, "notFound", "global", "NOT_FOUND", "Resource Not Found: userKey")
}

// GoogleLookups is how many users.list pages and users.get requests the
// Google emulator answered (past the token and quota checks).
func (s *Sandbox) GoogleLookups() (gets, listPages int) {
	s.google.mu.Lock()
	defer s.google.mu.Unlock()
	return s.google.gets, s.google.listPages
}

// googleUserJSON is the User resource the emulator returns.
func googleUserJSON(u User) map[string]any {
	return map[string]any{
		"kind": "admin#directory#user", "id": googleID(u), "primaryEmail": u.Email,
		"name":    map[string]string{"givenName": u.First, "familyName": u.Last, "fullName": u.Name()},
		"aliases": []string{GoogleAlias(u)}, "isAdmin": strings.EqualFold(u.Email, GoogleAdminEmail),
	}
}

// listUsers is users.list: GET /users?customer=my_customer&maxResults=
// (1-500, default 100)&pageToken= -> {"users":[...],"nextPageToken"}.
func (a *googleAPI) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("customer") == "" && q.Get("domain") == "" {
		googleErr(w, http.StatusBadRequest, "badRequest", "global", "INVALID_ARGUMENT", "Bad Request")
		return
	}
	size := 100
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			googleErr(w, http.StatusBadRequest, "invalid", "global", "INVALID_ARGUMENT", "Invalid value for maxResults")
			return
		}
		size = n
	}
	start := 0
	if v := q.Get("pageToken"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			googleErr(w, http.StatusBadRequest, "invalid", "global", "INVALID_ARGUMENT", "Invalid page token")
			return
		}
		start = n
	}
	a.mu.Lock()
	a.listPages++
	a.mu.Unlock()
	users := a.s.Users()
	from := min(start, len(users))
	to := min(from+size, len(users))
	page := make([]map[string]any, 0, to-from)
	for _, u := range users[from:to] {
		page = append(page, googleUserJSON(u))
	}
	out := map[string]any{"kind": "admin#directory#users", "users": page}
	if to < len(users) {
		out["nextPageToken"] = strconv.Itoa(to)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *googleAPI) getUser(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.gets++
	a.mu.Unlock()
	u, ok := a.user(r.PathValue("userKey"))
	if !ok {
		googleNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, googleUserJSON(u))
}

// googleMIME are the mimeType values the UserPhoto resource allows.
var googleMIME = map[string]bool{"JPEG": true, "PNG": true, "GIF": true, "BMP": true, "TIFF": true,
	"IMAGE/JPEG": true, "IMAGE/PNG": true, "IMAGE/GIF": true, "IMAGE/BMP": true, "IMAGE/TIFF": true}

// decodeWebSafe reads Google's web-safe base64: "-" and "_" for "+" and
// "/", padding written "=", "*" or "." (the page names both), or none.
func decodeWebSafe(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=*.")
	return base64.RawURLEncoding.DecodeString(s)
}

// decodePadded reads web-safe base64 whose padding is spelt only one way
// (GooglePadding): with "equals", "asterisk" or "period" the padding must
// be there, in that character; with "none" it must be absent.
func decodePadded(s, padding string) ([]byte, error) {
	pad := map[string]string{"equals": "=", "asterisk": "*", "period": "."}[padding]
	if padding == "none" {
		return base64.RawURLEncoding.DecodeString(s)
	}
	if strings.ContainsAny(s, strings.ReplaceAll("=*.", pad, "")) {
		return nil, fmt.Errorf("padding is not %q", pad)
	}
	return base64.URLEncoding.DecodeString(strings.ReplaceAll(s, pad, "="))
}

func (a *googleAPI) putPhoto(w http.ResponseWriter, r *http.Request) {
	if a.s.injectFaults(w, r) {
		return
	}
	u, ok := a.user(r.PathValue("userKey"))
	if !ok {
		drainBody(r)
		googleNotFound(w)
		return
	}
	// Base64 makes the body 4/3 of the photo; allow the JSON around it.
	raw, err := io.ReadAll(io.LimitReader(r.Body, a.maxBytes*4/3+64<<10))
	drainBody(r)
	if err != nil {
		googleErr(w, http.StatusBadRequest, "invalid", "global", "INVALID_ARGUMENT", "Invalid request body.")
		return
	}
	var body struct {
		PhotoData string `json:"photoData"`
		MimeType  string `json:"mimeType"`
		Width     int    `json:"width"`
		Height    int    `json:"height"`
	}
	if json.Unmarshal(raw, &body) != nil {
		if int64(len(raw)) > a.maxBytes*4/3 {
			a.tooLarge(w)
			return
		}
		googleErr(w, http.StatusBadRequest, "parseError", "global", "INVALID_ARGUMENT", "Invalid JSON payload received.")
		return
	}
	var data []byte
	if p := a.s.opts.GooglePadding; p != "" && p != "any" {
		data, err = decodePadded(body.PhotoData, p)
	} else {
		data, err = decodeWebSafe(body.PhotoData)
	}
	switch {
	case body.PhotoData == "":
		googleErr(w, http.StatusBadRequest, "required", "global", "INVALID_ARGUMENT", "Required field photoData missing.")
	case err != nil:
		googleErr(w, http.StatusBadRequest, "invalid", "global", "INVALID_ARGUMENT", "Invalid value for ByteString: photoData is not web-safe base64.")
	case body.MimeType != "" && !googleMIME[strings.ToUpper(body.MimeType)]:
		googleErr(w, http.StatusBadRequest, "invalid", "global", "INVALID_ARGUMENT", "Invalid mimeType: "+body.MimeType)
	case int64(len(data)) > a.maxBytes:
		a.tooLarge(w)
	case !isJPEGData(data) && !isPNGData(data):
		googleErr(w, http.StatusBadRequest, "invalid", "global", "INVALID_ARGUMENT", "Invalid Input: photoData is not an image.")
	default:
		a.s.record("google", u.Email, data)
		sum := sha256.Sum256(data)
		writeJSON(w, http.StatusOK, map[string]any{
			"kind": "admin#directory#user#photo", "id": googleID(u), "primaryEmail": u.Email,
			"etag": fmt.Sprintf("%q", base64.RawURLEncoding.EncodeToString(sum[:12])), "mimeType": "image/jpeg",
			"width": 96, "height": 96,
		})
	}
}

// tooLarge answers an over-size photo (413, or 400 when configured).
func (a *googleAPI) tooLarge(w http.ResponseWriter) {
	status := http.StatusRequestEntityTooLarge
	if a.s.opts.GoogleTooLargeStatus == http.StatusBadRequest {
		status = http.StatusBadRequest
	}
	googleErr(w, status, "invalid", "global", "INVALID_ARGUMENT",
		fmt.Sprintf("Photo size exceeds the limit of %d bytes.", a.maxBytes))
}

// keyFiles are the key files GoogleKeyFile wrote, by sandbox URL, so that
// Close removes them and a second call reuses the file.
var (
	keyFilesMu sync.Mutex
	keyFiles   = map[string]string{}
	sweepOnce  sync.Once
)

// GoogleKeyFile writes the sandbox's service account key (token_uri under
// its URL) to a file only the user can read and returns its path: a
// config's credentials_file must name a file. The file is in a folder of
// this process (headshot-sandbox-UID/PID under the system's temporary
// directory); Close removes it, and folders of processes that have ended
// (a test that never called Close, a killed sandbox) are removed the first
// time a later process writes one. On a write failure the path is
// returned anyway and headshot's own check of the file says what is wrong.
func (s *Sandbox) GoogleKeyFile() string {
	keyFilesMu.Lock()
	defer keyFilesMu.Unlock()
	if path, ok := keyFiles[s.URL]; ok {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	base := filepath.Join(os.TempDir(), fmt.Sprintf("headshot-sandbox-%d", os.Getuid()))
	sweepOnce.Do(func() { sweepKeyFolders(base) })
	dir := filepath.Join(base, strconv.Itoa(os.Getpid()))
	sum := sha256.Sum256([]byte(s.URL))
	path := filepath.Join(dir, fmt.Sprintf("google-key-%x.json", sum[:6]))
	if err := os.MkdirAll(dir, 0o700); err == nil {
		_ = os.Chmod(base, 0o700)
		_ = writePrivate(path, s.GoogleKeyJSON())
	}
	keyFiles[s.URL] = path
	return path
}

// sweepKeyFolders removes the key folders under base whose process has
// ended, and key files an older version wrote straight into base.
func sweepKeyFolders(base string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() {
			if strings.HasPrefix(name, "google-key-") && strings.HasSuffix(name, ".json") {
				if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
					_ = os.Remove(filepath.Join(base, name))
				}
			}
			continue
		}
		pid, err := strconv.Atoi(name)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(filepath.Join(base, name))
	}
}

// processAlive reports whether process pid still runs (signal 0). Where
// that cannot be told, it says yes: nothing is removed.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || !(errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH))
}

// writePrivate writes data to path with mode 0600 (replacing a file there).
func writePrivate(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// removeKeyFile deletes the key file written for url, if any.
func removeKeyFile(url string) {
	keyFilesMu.Lock()
	path, ok := keyFiles[url]
	delete(keyFiles, url)
	keyFilesMu.Unlock()
	if ok {
		_ = os.Remove(path)
	}
}
