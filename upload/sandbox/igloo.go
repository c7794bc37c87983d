package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Igloo emulation under /igloo: session login (the documented v1
// session/create form -> response.sessionKey, and the v2 Session/Create
// JSON -> TokenId, each offered or not per Options.IglooLogin; the key is
// also set as cookie IglooAuth, which clients match case-insensitively),
// member search (q, rows default 10, page), and the three-step upload:
// create an attachment entry (ContentType the image's MIME type; 201 +
// Location ending in a 10-character key), PATCH its bytes in
// Content-Range chunks appended to what is stored (a range not starting at
// the stored length -> 416; `bytes */total` with no body reports what is
// stored), then associate it with a member as ProfilePhoto.
//
// Faults for the resume tests: Options.IglooCutAfter cuts a PATCH after that
// many body bytes (kept, as a resumable store keeps them), IglooCutTimes
// times; Options.IglooTruncateTo rolls an entry back once after answering,
// so the client's next range is misaligned (416). Sessions expire after
// Options.IglooSessionTTL, or at once with ExpireIglooSessions.

const (
	iglooMaxBytes = 5 * 1024 * 1024
	iglooAPI2     = "/igloo/.api2/api"
	iglooCookie   = "IglooAuth" // clients must match iglooauth case-insensitively
)

// iglooTypes are the Content-Types the PATCH step documents.
var iglooTypes = map[string]bool{"image/jpg": true, "image/png": true, "image/gif": true}

// iglooMIMETypes are the attachment step's ContentType values: "the
// MimeType of the content" of the types the PATCH step takes.
var iglooMIMETypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true}

// iglooSearchRows is the member search's page size when rows is absent.
const iglooSearchRows = 10

type iglooAttachment struct {
	key, name, contentType string
	total                  int64
	data                   []byte
}

type iglooState struct {
	s       *Sandbox
	lim     *rate.Limiter
	lookLim *rate.Limiter // the member search and list (same as lim unless IglooLookupRate)

	mu          sync.Mutex
	sessions    map[string]time.Time // token -> expiry
	logins      int
	attachments map[string]*iglooAttachment
	patchBytes  int64 // PATCH body bytes read off the wire
	queries     int   // `bytes */total` queries answered
	misaligned  int   // PATCHes refused with 416
	cutsLeft    int
	truncated   bool
	searches    int         // member searches past the session and rate checks
	listPages   int         // member list pages past the session and rate checks
	lookupTimes []time.Time // arrival of every search and list request
}

func init() {
	register(Emulator{Platform: "igloo", Mount: mountIgloo, Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/igloo"}, {"community_key", IglooCommunityKey}, {"app_id", IglooAppID},
			{"app_password", IglooAppPassword}, {"username", IglooUsername}, {"password", IglooPassword}}
	}})
}

func mountIgloo(s *Sandbox) {
	st := &iglooState{s: s, lim: s.newLimiter(5, 5), sessions: map[string]time.Time{},
		attachments: map[string]*iglooAttachment{}}
	st.lookLim = st.lim
	if s.opts.IglooLookupRate > 0 {
		st.lookLim = s.newLimiter(s.opts.IglooLookupRate, 1)
	}
	if s.opts.IglooCutAfter > 0 {
		st.cutsLeft = s.opts.IglooCutTimes
		if st.cutsLeft <= 0 {
			st.cutsLeft = 1
		}
	}
	s.igloo = st
	v1, v2 := st.notOffered, st.notOffered
	switch s.opts.IglooLogin {
	case "", "v1":
		v1 = st.loginV1
	case "v2":
		v2 = st.login
	default: // both
		v1, v2 = st.loginV1, st.login
	}
	s.mux.HandleFunc("POST /igloo/.api/api.svc/session/create", v1)
	s.mux.HandleFunc("POST "+iglooAPI2+"/Session/Create", v2)
	s.mux.HandleFunc("GET /igloo/.api/api.svc/search/members", st.search)
	s.mux.HandleFunc("GET /igloo/.api/api.svc/community/members/viewsmall", st.members)
	s.mux.HandleFunc("POST "+iglooAPI2+"/v1/communities/{ck}/attachments", st.create)
	s.mux.HandleFunc("PATCH "+iglooAPI2+"/v1/communities/{ck}/attachments/uploads/{key}", st.patch)
	s.mux.HandleFunc("POST "+iglooAPI2+"/v1/communities/{ck}/attachments/{key}/association/{guid}", st.associate)
}

// IglooLogins is how many sessions Session/Create has issued.
func (s *Sandbox) IglooLogins() int {
	s.igloo.mu.Lock()
	defer s.igloo.mu.Unlock()
	return s.igloo.logins
}

// IglooPatchBytes is the number of PATCH body bytes the Igloo emulator has
// read off the wire (resent bytes count again).
func (s *Sandbox) IglooPatchBytes() int64 {
	s.igloo.mu.Lock()
	defer s.igloo.mu.Unlock()
	return s.igloo.patchBytes
}

// IglooQueries is how many stored-length queries (`bytes */total`) the
// Igloo emulator answered, and IglooMisaligned how many PATCHes it refused
// with 416.
func (s *Sandbox) IglooQueries() (queries, misaligned int) {
	s.igloo.mu.Lock()
	defer s.igloo.mu.Unlock()
	return s.igloo.queries, s.igloo.misaligned
}

// IglooLookups is how many member searches and member list pages the
// Igloo emulator answered (past the session and rate checks), and when
// every one arrived (refused ones too).
func (s *Sandbox) IglooLookups() (searches, listPages int, arrivals []time.Time) {
	s.igloo.mu.Lock()
	defer s.igloo.mu.Unlock()
	return s.igloo.searches, s.igloo.listPages, append([]time.Time(nil), s.igloo.lookupTimes...)
}

// ExpireIglooSessions ends every Igloo session now (the next call gets 401).
func (s *Sandbox) ExpireIglooSessions() {
	s.igloo.mu.Lock()
	defer s.igloo.mu.Unlock()
	for k := range s.igloo.sessions {
		s.igloo.sessions[k] = time.Time{}
	}
}

func iglooJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func iglooError(w http.ResponseWriter, status int, code, msg string) {
	iglooJSON(w, status, map[string]any{"code": code, "message": msg})
}

func randomKey(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// notOffered is a login this workplace does not offer.
func (st *iglooState) notOffered(w http.ResponseWriter, r *http.Request) {
	iglooError(w, http.StatusNotFound, "NotFound", "this workplace does not offer this login")
}

// loginV1 is the documented POST /.api/api.svc/session/create: form fields
// appId, appPass, username, password, community (the workplace's address:
// its URL or bare host) and apiversion=1.
func (st *iglooState) loginV1(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64*1024)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		iglooError(w, http.StatusBadRequest, "BadRequest", "session/create takes a form body")
		return
	}
	f := r.PostForm
	if f.Get("apiversion") != "1" || !st.isCommunity(f.Get("community"), r) {
		iglooError(w, http.StatusBadRequest, "BadRequest", "apiversion must be 1 and community this workplace's address")
		return
	}
	if f.Get("appId") != IglooAppID || f.Get("appPass") != IglooAppPassword ||
		!strings.EqualFold(f.Get("username"), IglooUsername) || f.Get("password") != IglooPassword {
		iglooError(w, http.StatusUnauthorized, "InvalidCredentials", "the application or user credentials are not valid")
		return
	}
	token := st.newSession()
	http.SetCookie(w, &http.Cookie{Name: iglooCookie, Value: token, Path: "/", HttpOnly: true})
	iglooJSON(w, http.StatusOK, map[string]any{"minRequestPeriod": 0, "dictionary": nil,
		"response": map[string]any{"__type": "Session:http://schemas.iglooplatform.com/Igloo.Old.Common",
			"sessionKey": token, "userId": st.s.users[0].GUID, "communityId": IglooCommunityKey}})
}

// isCommunity accepts the workplace's address as a URL or a bare host.
func (st *iglooState) isCommunity(v string, r *http.Request) bool {
	v = strings.TrimRight(strings.TrimSpace(v), "/")
	if v == "" {
		return false
	}
	if u, err := url.Parse(v); err == nil && u.Host != "" {
		v = u.Host
	}
	host := r.Host
	if st.s.URL != "" {
		if u, err := url.Parse(st.s.URL); err == nil {
			host = u.Host
		}
	}
	return strings.EqualFold(strings.TrimSuffix(v, "/igloo"), host) || strings.EqualFold(v, r.Host)
}

// newSession issues a session key.
func (st *iglooState) newSession() string {
	ttl := st.s.opts.IglooSessionTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	st.mu.Lock()
	st.sessions[token] = time.Now().Add(ttl)
	st.logins++
	st.mu.Unlock()
	return token
}

// login is the v2 POST /.api2/api/Session/Create (JSON).
func (st *iglooState) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AppID        string `json:"AppId"`
		AppPassword  string `json:"AppPassword"`
		UserName     string `json:"UserName"`
		UserPassword string `json:"UserPassword"`
		Instance     *int   `json:"instance"`
		Version      *int   `json:"version"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64*1024)).Decode(&req); err != nil {
		iglooError(w, http.StatusBadRequest, "BadRequest", "the body is not a Session/Create request")
		return
	}
	if req.AppID != IglooAppID || req.AppPassword != IglooAppPassword ||
		!strings.EqualFold(req.UserName, IglooUsername) || req.UserPassword != IglooPassword {
		iglooError(w, http.StatusUnauthorized, "InvalidCredentials", "the application or user credentials are not valid")
		return
	}
	token := st.newSession()
	http.SetCookie(w, &http.Cookie{Name: iglooCookie, Value: token, Path: "/", HttpOnly: true})
	iglooJSON(w, http.StatusOK, map[string]any{"TokenId": token, "instance": 0, "version": 1})
}

// gate checks the session cookie and the rate; false when it answered.
func (st *iglooState) gate(w http.ResponseWriter, r *http.Request) bool {
	return st.gateOn(w, r, st.lim)
}

// lookupGate is gate for the member search and list: it records the
// arrival and spends from the lookup bucket.
func (st *iglooState) lookupGate(w http.ResponseWriter, r *http.Request, list bool) bool {
	st.mu.Lock()
	st.lookupTimes = append(st.lookupTimes, time.Now())
	st.mu.Unlock()
	if !st.gateOn(w, r, st.lookLim) {
		return false
	}
	st.mu.Lock()
	if list {
		st.listPages++
	} else {
		st.searches++
	}
	st.mu.Unlock()
	return true
}

// gateOn is gate spending from lim.
func (st *iglooState) gateOn(w http.ResponseWriter, r *http.Request, lim *rate.Limiter) bool {
	token := ""
	for _, c := range r.Cookies() {
		if strings.EqualFold(c.Name, "iglooauth") {
			token = c.Value
		}
	}
	st.mu.Lock()
	exp, ok := st.sessions[token]
	st.mu.Unlock()
	if token == "" || !ok || time.Now().After(exp) {
		iglooError(w, http.StatusUnauthorized, "SessionExpired", "the session is not valid or has expired")
		return false
	}
	if ok, wait := take(lim); !ok {
		st.s.setRetryAfter(w, wait)
		iglooError(w, http.StatusTooManyRequests, "TooManyRequests", "too many requests; slow down")
		return false
	}
	return true
}

func (st *iglooState) community(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("ck") != IglooCommunityKey {
		iglooError(w, http.StatusNotFound, "NotFound", "no community "+r.PathValue("ck"))
		return false
	}
	return true
}

func (st *iglooState) search(w http.ResponseWriter, r *http.Request) {
	if !st.lookupGate(w, r, false) {
		return
	}
	query := r.URL.Query()
	q := strings.ToLower(strings.TrimSpace(query.Get("q")))
	rows, page := iglooSearchRows, 1
	if v := query.Get("rows"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			iglooError(w, http.StatusBadRequest, "BadRequest", "rows must be a positive number")
			return
		}
		rows = n
	}
	if v := query.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			iglooError(w, http.StatusBadRequest, "BadRequest", "page must be a positive number")
			return
		}
		page = n
	}
	// Every member whose address, username or name contains the query, in
	// roster order: an exact match can sit past the first page.
	var all []map[string]any
	if q != "" {
		for _, u := range st.s.Users() {
			if strings.Contains(strings.ToLower(u.Email), q) || strings.Contains(strings.ToLower(u.Username), q) ||
				strings.Contains(strings.ToLower(u.Name()), q) {
				all = append(all, map[string]any{"id": u.GUID, "email": u.Email, "namespace": u.Username,
					"name": map[string]string{"fullName": u.Name()}})
			}
		}
	}
	from := min((page-1)*rows, len(all))
	hits := all[from:min(from+rows, len(all))]
	if hits == nil {
		hits = []map[string]any{}
	}
	iglooJSON(w, http.StatusOK, map[string]any{"response": map[string]any{"value": map[string]any{"hit": hits, "count": len(all)}},
		"minRequestPeriod": st.minRequestPeriod()})
}

// minRequestPeriod is the v1 answers' hint in milliseconds: the lookup
// bucket's interval (5/s: 200 ms), scaled like the buckets.
func (st *iglooState) minRequestPeriod() float64 {
	perSecond := 5.0
	if st.s.opts.IglooLookupRate > 0 {
		perSecond = st.s.opts.IglooLookupRate
	}
	return 1000 / (perSecond * st.s.opts.RateScale)
}

// members is GET /.api/api.svc/community/members/viewsmall?maxcount=
// &startindex=&orderby=: the community's members in pages, as
// {"response":{"items":[...],"totalCount":N}} (roster order), at most
// IglooListMax a page when set.
func (st *iglooState) members(w http.ResponseWriter, r *http.Request) {
	if !st.lookupGate(w, r, true) {
		return
	}
	if st.s.opts.IglooNoMemberList {
		iglooError(w, http.StatusNotFound, "NotFound", "this workplace does not offer the member list")
		return
	}
	query := r.URL.Query()
	count, start := 10, 0
	for _, p := range []struct {
		name string
		v    *int
		min  int
	}{{"maxcount", &count, 1}, {"startindex", &start, 0}} {
		if v := query.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min {
				iglooError(w, http.StatusBadRequest, "BadRequest", p.name+" must be a whole number")
				return
			}
			*p.v = n
		}
	}
	if limit := st.s.opts.IglooListMax; limit > 0 {
		count = min(count, limit)
	}
	users := st.s.Users()
	from := min(start, len(users))
	to := min(from+count, len(users))
	items := make([]map[string]any, 0, to-from)
	for i, u := range users[from:to] {
		m := map[string]any{"id": u.GUID, "namespace": u.Username, "name": map[string]string{"fullName": u.Name()},
			"isEnabled": true, "hasPhoto": false}
		if !st.s.opts.IglooHideEmails || (from+i)%2 == 0 {
			m["email"] = u.Email
		}
		items = append(items, m)
	}
	iglooJSON(w, http.StatusOK, map[string]any{"response": map[string]any{"items": items, "totalCount": len(users)},
		"minRequestPeriod": st.minRequestPeriod()})
}

func (st *iglooState) create(w http.ResponseWriter, r *http.Request) {
	if !st.gate(w, r) || !st.community(w, r) {
		return
	}
	if st.s.injectFaults(w, r) {
		return
	}
	var req struct {
		ContentLength int64  `json:"ContentLength"`
		ContentType   string `json:"ContentType"`
		Name          string `json:"Name"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64*1024)).Decode(&req); err != nil {
		iglooError(w, http.StatusBadRequest, "BadRequest", "the body is not an attachment request")
		return
	}
	switch {
	case req.ContentLength <= 0 || strings.TrimSpace(req.Name) == "":
		iglooError(w, http.StatusBadRequest, "BadRequest", "ContentLength, ContentType and Name are required")
	case !iglooMIMETypes[req.ContentType]:
		iglooError(w, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "ContentType must be the MIME type of a JPEG, PNG or GIF image")
	case req.ContentLength > iglooMaxBytes:
		iglooError(w, http.StatusRequestEntityTooLarge, "TooLarge", fmt.Sprintf("the file is larger than %d bytes", iglooMaxBytes))
	default:
		att := &iglooAttachment{key: randomKey(10), name: req.Name, contentType: req.ContentType, total: req.ContentLength}
		st.mu.Lock()
		st.attachments[att.key] = att
		st.mu.Unlock()
		loc := iglooAPI2 + "/v1/communities/" + IglooCommunityKey + "/attachments/" + att.key
		if !st.s.opts.IglooRelativeLocation {
			loc = st.s.URL + loc
		}
		w.Header().Set("Location", loc)
		iglooJSON(w, http.StatusCreated, st.view(att, 0))
	}
}

func (st *iglooState) view(att *iglooAttachment, stored int) map[string]any {
	return map[string]any{"key": att.key, "contentLength": stored, "contentType": att.contentType,
		"binaryLocation": "/download/" + att.key, "name": att.name, "isProfilePhoto": false}
}

// parseIglooRange reads "bytes start-end/total" or "bytes */total" (start = -1).
func parseIglooRange(h string) (start, end, total int64, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(spec, "/")
	if !found {
		return 0, 0, 0, false
	}
	total, err := strconv.ParseInt(tot, 10, 64)
	if err != nil || total <= 0 {
		return 0, 0, 0, false
	}
	if rng == "*" {
		return -1, -1, total, true
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

func (st *iglooState) patch(w http.ResponseWriter, r *http.Request) {
	if !st.gate(w, r) || !st.community(w, r) {
		return
	}
	st.mu.Lock()
	att := st.attachments[r.PathValue("key")]
	st.mu.Unlock()
	if att == nil {
		iglooError(w, http.StatusNotFound, "NotFound", "no attachment "+r.PathValue("key"))
		return
	}
	if ct := r.Header.Get("Content-Type"); !iglooTypes[ct] {
		iglooError(w, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "Content-Type must be image/jpg, image/png or image/gif")
		return
	}
	start, end, total, ok := parseIglooRange(r.Header.Get("Content-Range"))
	if !ok || total != att.total {
		iglooError(w, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Content-Range must be bytes start-end/%d or bytes */%d", att.total, att.total))
		return
	}
	st.mu.Lock()
	stored := int64(len(att.data))
	st.mu.Unlock()
	if start < 0 { // the query: what is stored so far
		st.mu.Lock()
		st.queries++
		st.mu.Unlock()
		iglooJSON(w, http.StatusOK, st.view(att, int(stored)))
		return
	}
	if start != stored || end >= total {
		st.mu.Lock()
		st.misaligned++
		st.mu.Unlock()
		w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", stored))
		iglooError(w, http.StatusRequestedRangeNotSatisfiable, "RangeNotSatisfiable",
			fmt.Sprintf("range %d-%d does not continue the %d bytes stored", start, end, stored))
		return
	}
	want := end - start + 1
	if r.ContentLength >= 0 && r.ContentLength != want {
		iglooError(w, http.StatusBadRequest, "BadRequest", "Content-Length does not match Content-Range")
		return
	}
	if st.s.injectFaults(w, r) {
		return
	}
	st.mu.Lock()
	cut := st.cutsLeft > 0 && want > st.s.opts.IglooCutAfter
	if cut {
		st.cutsLeft--
	}
	st.mu.Unlock()
	limit := want
	if cut {
		limit = st.s.opts.IglooCutAfter
	}
	buf := make([]byte, limit)
	n, err := io.ReadFull(r.Body, buf)
	st.mu.Lock()
	st.patchBytes += int64(n)
	att.data = append(att.data, buf[:n]...) // a resumable store keeps what arrived
	stored = int64(len(att.data))
	st.mu.Unlock()
	if cut {
		cutConnection(w)
		return
	}
	if err != nil {
		iglooError(w, http.StatusBadRequest, "BadRequest", "the body ended before the range did")
		return
	}
	resp := st.view(att, int(stored))
	st.mu.Lock()
	if to := st.s.opts.IglooTruncateTo; to > 0 && !st.truncated && int64(len(att.data)) > to {
		att.data = att.data[:to] // rolled back after answering: the client's next range is misaligned
		st.truncated = true
	}
	st.mu.Unlock()
	iglooJSON(w, http.StatusOK, resp)
}

func (st *iglooState) associate(w http.ResponseWriter, r *http.Request) {
	if !st.gate(w, r) || !st.community(w, r) {
		return
	}
	if r.URL.Query().Get("type") != "ProfilePhoto" {
		iglooError(w, http.StatusBadRequest, "BadRequest", "type must be ProfilePhoto")
		return
	}
	st.mu.Lock()
	att := st.attachments[r.PathValue("key")]
	var data []byte
	if att != nil {
		data = append([]byte(nil), att.data...)
	}
	st.mu.Unlock()
	if att == nil {
		iglooError(w, http.StatusNotFound, "NotFound", "no attachment "+r.PathValue("key"))
		return
	}
	guid := r.PathValue("guid")
	u, ok := st.s.userBy(func(u User) bool { return strings.EqualFold(u.GUID, guid) })
	if !ok {
		iglooError(w, http.StatusNotFound, "NotFound", "no member "+guid)
		return
	}
	if int64(len(data)) != att.total {
		iglooError(w, http.StatusBadRequest, "IncompleteUpload", fmt.Sprintf("attachment holds %d of %d bytes", len(data), att.total))
		return
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		iglooError(w, http.StatusBadRequest, "InvalidImage", "the attachment is not an image")
		return
	}
	st.s.record("igloo", u.Email, data)
	resp := st.view(att, len(data))
	resp["isProfilePhoto"] = true
	iglooJSON(w, http.StatusOK, resp)
}
