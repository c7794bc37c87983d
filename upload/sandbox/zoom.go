package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Zoom emulation: Server-to-Server OAuth token endpoint under
// /zoom/oauth/token, the v2 API under /zoom/v2 (users and pictures), Zoom's
// {"code","message"} errors, a per-second bucket on picture uploads with
// Zoom's 429 headers.

func init() {
	register(Emulator{Platform: "zoom", Mount: mountZoom, Rate: 20, RateUnit: "s", Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/zoom/v2"}, {"token_url", url + "/zoom/oauth/token"},
			{"account_id", ZoomAccountID}, {"client_id", ZoomClientID}, {"client_secret", ZoomClientSecret}}
	}})
}

// ZoomScopes are the granular scopes headshot needs: the lookup, the
// upload and (setup's connection test) the user list.
var ZoomScopes = []string{"user:read:user:admin", "user:write:profile_picture:admin", "user:read:list_users:admin"}

// zoomState is the emulated Zoom account.
type zoomState struct {
	ttl      time.Duration
	maxBytes int64
	rate     float64
	limiter  *rate.Limiter // Medium APIs: the picture upload, List users
	lookups  *rate.Limiter // Light APIs: Get a user
	lookRate float64
	daily    int

	mu            sync.Mutex
	tokens        map[string]time.Time // access token -> expiry
	scopes        map[string]bool      // granted to the app
	tokenRequests int
	day           string // UTC date the daily count is for
	dayCount      int
	gets          int         // Get a user requests
	listPages     int         // List users requests
	lookupTimes   []time.Time // arrival of every Get a user and List users request
}

func mountZoom(s *Sandbox) {
	z := &zoomState{ttl: s.opts.ZoomTokenTTL, maxBytes: s.opts.ZoomMaxBytes, rate: s.opts.ZoomRate,
		daily: s.opts.ZoomDailyLimit, tokens: map[string]time.Time{}}
	if z.ttl <= 0 {
		z.ttl = time.Hour
	}
	if z.maxBytes <= 0 {
		z.maxBytes = 2 * 1024 * 1024
	}
	if z.rate <= 0 {
		z.rate = 20
	}
	burst := s.opts.ZoomBurst
	if burst <= 0 {
		burst = int(math.Ceil(z.rate))
	}
	z.limiter = s.newLimiter(z.rate, burst)
	z.lookRate = s.opts.ZoomLookupRate
	if z.lookRate <= 0 {
		z.lookRate = 30
	}
	z.lookups = s.newLimiter(z.lookRate, int(math.Ceil(z.lookRate)))
	granted := s.opts.ZoomScopes
	if granted == nil {
		granted = ZoomScopes
	}
	z.scopes = map[string]bool{}
	for _, sc := range granted {
		z.scopes[strings.TrimSpace(sc)] = true
	}
	s.zoom = z
	s.mux.HandleFunc("POST /zoom/oauth/token", s.zoomToken)
	s.mux.HandleFunc("GET /zoom/v2/users", s.zoomAuthed(s.zoomListUsers, "user:read:list_users:admin", "user:read:admin"))
	s.mux.HandleFunc("GET /zoom/v2/users/{userId}", s.zoomAuthed(s.zoomGetUser, "user:read:user:admin", "user:read:admin"))
	s.mux.HandleFunc("POST /zoom/v2/users/{userId}/picture", s.zoomAuthed(s.zoomPicture, "user:write:profile_picture:admin", "user:write:admin"))
}

// ZoomTokenRequests counts the token requests received (granted or not).
func (s *Sandbox) ZoomTokenRequests() int {
	s.zoom.mu.Lock()
	defer s.zoom.mu.Unlock()
	return s.zoom.tokenRequests
}

// ZoomLookups is how many Get a user and List users requests the Zoom
// emulator let past its rate buckets, and when every one arrived
// (refused ones too).
func (s *Sandbox) ZoomLookups() (gets, listPages int, arrivals []time.Time) {
	s.zoom.mu.Lock()
	defer s.zoom.mu.Unlock()
	return s.zoom.gets, s.zoom.listPages, append([]time.Time(nil), s.zoom.lookupTimes...)
}

// zoomLookup records a lookup's arrival and spends from its bucket: Get a
// user from the Light one, List users from the Medium one (shared with the
// uploads). It answers 429 and reports true when the bucket is empty.
func (s *Sandbox) zoomLookup(w http.ResponseWriter, list bool) bool {
	z := s.zoom
	z.mu.Lock()
	z.lookupTimes = append(z.lookupTimes, time.Now())
	z.mu.Unlock()
	lim, limit, category := z.lookups, z.lookRate, "Light"
	if list {
		lim, limit, category = z.limiter, z.rate, "Medium"
	}
	if ok, wait := take(lim); !ok {
		s.zoom429(w, wait, category, "QPS", int(math.Ceil(limit)),
			"You have reached the maximum per-second rate limit for this API. Try again later.")
		return true
	}
	z.mu.Lock()
	if list {
		z.listPages++
	} else {
		z.gets++
	}
	z.mu.Unlock()
	return false
}

// ExpireZoomTokens makes every access token issued so far expired, as if
// their hour had passed: the next API call with one gets 401 code 124.
func (s *Sandbox) ExpireZoomTokens() {
	s.zoom.mu.Lock()
	defer s.zoom.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for t := range s.zoom.tokens {
		s.zoom.tokens[t] = past
	}
}

// zoomJSON writes a JSON answer.
func zoomJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// zoomError writes Zoom's error body.
func zoomError(w http.ResponseWriter, status, code int, msg string) {
	zoomJSON(w, status, map[string]any{"code": code, "message": msg})
}

// zoomToken is POST /zoom/oauth/token?grant_type=account_credentials&account_id=.
func (s *Sandbox) zoomToken(w http.ResponseWriter, r *http.Request) {
	z := s.zoom
	z.mu.Lock()
	z.tokenRequests++
	z.mu.Unlock()
	id, secret, ok := r.BasicAuth()
	if !ok || id != ZoomClientID || secret != ZoomClientSecret {
		// Zoom answers a wrong client id or secret with 400, not 401.
		zoomJSON(w, http.StatusBadRequest, map[string]string{"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
		return
	}
	q := r.URL.Query()
	if q.Get("grant_type") != "account_credentials" {
		zoomJSON(w, http.StatusBadRequest, map[string]string{"reason": "Unsupported grant type", "error": "unsupported_grant_type"})
		return
	}
	if q.Get("account_id") != ZoomAccountID {
		zoomJSON(w, http.StatusBadRequest, map[string]string{"reason": "Invalid request : Invalid account_id", "error": "invalid_request"})
		return
	}
	buf := make([]byte, 24)
	_, _ = rand.Read(buf)
	tok := "sbx." + base64.RawURLEncoding.EncodeToString(buf)
	z.mu.Lock()
	z.tokens[tok] = time.Now().Add(z.ttl)
	z.mu.Unlock()
	zoomJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer",
		"expires_in": int(math.Ceil(z.ttl.Seconds())), "scope": strings.Join(z.grantedScopes(), " "),
	})
}

// grantedScopes lists the app's scopes in a stable order.
func (z *zoomState) grantedScopes() []string {
	out := make([]string, 0, len(z.scopes))
	for sc := range z.scopes {
		out = append(out, sc)
	}
	sort.Strings(out)
	return out
}

// zoomAuthed checks the bearer token, then that the app holds the granular
// scope (or the classic one) the endpoint needs, before h runs.
func (s *Sandbox) zoomAuthed(h http.HandlerFunc, granular, classic string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		z := s.zoom
		z.mu.Lock()
		exp, known := z.tokens[tok]
		z.mu.Unlock()
		switch {
		case !ok || !known:
			zoomError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		case time.Now().After(exp):
			zoomError(w, http.StatusUnauthorized, 124, "Access token is expired.")
		case !z.scopes[granular] && !z.scopes[classic]:
			zoomError(w, http.StatusBadRequest, 4711, "Invalid access token, does not contain scopes:["+granular+"].")
		default:
			h(w, r)
		}
	}
}

// zoomUser finds a user by Zoom id (the roster UUID) or email.
func (s *Sandbox) zoomUser(key string) (User, bool) {
	if u, ok := s.userByEmail(key); ok {
		return u, true
	}
	return s.userBy(func(u User) bool { return u.UUID == key })
}

// zoomUserJSON is the user object Zoom returns.
func zoomUserJSON(u User) map[string]any {
	return map[string]any{
		"id": u.UUID, "first_name": u.First, "last_name": u.Last, "display_name": u.Name(),
		"email": u.Email, "type": 1, "status": "active",
	}
}

// zoomGetUser is GET /users/{userId}.
func (s *Sandbox) zoomGetUser(w http.ResponseWriter, r *http.Request) {
	if s.zoomLookup(w, false) {
		return
	}
	key := r.PathValue("userId")
	u, ok := s.zoomUser(key)
	if !ok {
		zoomError(w, http.StatusNotFound, 1001, "User does not exist: "+key+".")
		return
	}
	zoomJSON(w, http.StatusOK, zoomUserJSON(u))
}

// zoomListUsers is GET /users?page_size=&page_number= (or next_page_token).
func (s *Sandbox) zoomListUsers(w http.ResponseWriter, r *http.Request) {
	if s.zoomLookup(w, true) {
		return
	}
	q := r.URL.Query()
	size, err := strconv.Atoi(q.Get("page_size"))
	if q.Get("page_size") == "" {
		size, err = 30, nil
	}
	if err != nil || size < 1 || size > 300 {
		zoomError(w, http.StatusBadRequest, 300, "Invalid field: page_size must be between 1 and 300.")
		return
	}
	page := 1
	for _, v := range []string{q.Get("next_page_token"), q.Get("page_number")} {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			page = n
			break
		}
	}
	total := len(s.users)
	pages := (total + size - 1) / size
	from := min((page-1)*size, total)
	to := min(from+size, total)
	users := make([]map[string]any, 0, to-from)
	for _, u := range s.users[from:to] {
		users = append(users, zoomUserJSON(u))
	}
	next := ""
	if page < pages {
		next = strconv.Itoa(page + 1)
	}
	zoomJSON(w, http.StatusOK, map[string]any{
		"page_count": pages, "page_number": page, "page_size": size, "total_records": total,
		"next_page_token": next, "users": users,
	})
}

// zoomThrottle answers 429 when the bucket (or the daily quota) is empty.
func (s *Sandbox) zoomThrottle(w http.ResponseWriter) bool {
	z := s.zoom
	now := time.Now().UTC()
	if z.daily > 0 {
		z.mu.Lock()
		day := now.Format(time.DateOnly)
		if z.day != day {
			z.day, z.dayCount = day, 0
		}
		over := z.dayCount >= z.daily
		if !over {
			z.dayCount++
		}
		z.mu.Unlock()
		if over {
			midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
			// Zoom documents the daily limit's Retry-After as an ISO-8601
			// time (the next UTC midnight), not seconds.
			w.Header().Set("Retry-After", midnight.Format(time.RFC3339))
			s.zoom429(w, 0, "Medium", "Daily-limit", z.daily,
				"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
			return true
		}
	}
	if ok, wait := take(z.limiter); !ok {
		s.zoom429(w, wait, "Medium", "QPS", int(math.Ceil(z.rate)),
			"You have reached the maximum per-second rate limit for this API. Try again later.")
		return true
	}
	return false
}

// zoom429 writes Zoom's rate-limit answer.
func (s *Sandbox) zoom429(w http.ResponseWriter, wait time.Duration, category, kind string, limit int, msg string) {
	h := w.Header()
	h.Set("X-RateLimit-Category", category)
	h.Set("X-RateLimit-Type", kind)
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", "0")
	if h.Get("Retry-After") == "" {
		s.setRetryAfter(w, wait)
	} else if s.Faults().No429RetryAfter {
		h.Del("Retry-After")
	}
	zoomError(w, http.StatusTooManyRequests, 429, msg)
}

// zoomPicture is POST /users/{userId}/picture with the multipart part pic_file.
func (s *Sandbox) zoomPicture(w http.ResponseWriter, r *http.Request) {
	if s.zoomThrottle(w) || s.injectFaults(w, r) {
		return
	}
	key := r.PathValue("userId")
	u, ok := s.zoomUser(key)
	if !ok {
		drainBody(r)
		zoomError(w, http.StatusNotFound, 1001, "User does not exist: "+key+".")
		return
	}
	data, tooBig, err := s.zoomReadPicture(r)
	switch {
	case tooBig:
		zoomError(w, http.StatusRequestEntityTooLarge, 413,
			fmt.Sprintf("The file size exceeds the limit of %d bytes.", s.zoom.maxBytes))
		return
	case err != nil:
		zoomJSON(w, http.StatusBadRequest, map[string]any{"code": 300, "message": "Validation Failed.",
			"errors": []map[string]string{{"field": "pic_file", "message": err.Error()}}})
		return
	case !isJPEGData(data) && !isPNGData(data):
		zoomError(w, http.StatusBadRequest, 300, "Your request was not accepted because the profile picture contains invalid or explicit content. This API supports .jpeg and .png file formats.")
		return
	}
	for _, e := range s.Faults().ZoomRejects {
		if strings.EqualFold(strings.TrimSpace(e), u.Email) {
			zoomError(w, http.StatusBadRequest, 300, "Your request was not accepted because the profile picture contains invalid or explicit content.")
			return
		}
	}
	rec := s.record("zoom", u.Email, data)
	base := s.URL
	if base == "" {
		base = "http://" + r.Host
	}
	ext := ".jpg"
	if isPNGData(data) {
		ext = ".png"
	}
	sum, _ := hex.DecodeString(rec.SHA256)
	w.Header().Set("Content-Location", fmt.Sprintf("%s/zoom/p/%s/%x%s", base, u.UUID, sum[:6], ext))
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusCreated)
}

// zoomReadPicture reads the pic_file part. tooBig is true when it is over
// the limit (the rest of the body is drained so the client reads the 413).
func (s *Sandbox) zoomReadPicture(r *http.Request) (data []byte, tooBig bool, err error) {
	defer drainBody(r)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, false, fmt.Errorf("Content-Type must be multipart/form-data")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, false, fmt.Errorf("unreadable multipart body")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, false, fmt.Errorf("pic_file is required")
		}
		if err != nil {
			return nil, false, fmt.Errorf("unreadable multipart body")
		}
		if part.FormName() != "pic_file" {
			continue
		}
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(part, s.zoom.maxBytes+1))
		if err != nil {
			return nil, false, fmt.Errorf("unreadable pic_file part")
		}
		if n > s.zoom.maxBytes {
			return nil, true, nil
		}
		return buf.Bytes(), false, nil
	}
}
