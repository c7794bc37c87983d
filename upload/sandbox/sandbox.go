// Package sandbox emulates the profile-photo APIs of every platform on
// loopback, faithfully enough that headshot's clients, engine, tests and demo
// can run with no account anywhere: the same paths, auth, limits, error
// shapes and rate limiting as the documented services (../shared/platforms.md,
// docs/fidelity.md), plus fault injection. Each platform is mounted under its
// own path prefix (/zoom, /rhombus, /igloo, /interact, /netex, /m365,
// /google) of one listener.
package sandbox

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/gif"  // register for DecodeConfig of received photos
	_ "image/jpeg" // register for DecodeConfig of received photos
	_ "image/png"  // register for DecodeConfig of received photos
	"math/rand"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// User is one person of the demo roster, addressable the way each platform
// addresses people.
type User struct {
	UUID     string // Zoom user id; the Rhombus uuid is RhombusID
	Email    string
	Username string // Interact username, Igloo namespace, Netex username
	First    string
	Last     string
	GUID     string // Igloo member GUID
	PersonID int    // Interact person id
	UMIID    string // Interact UMI id
	NetexID  int    // Netex user number; the API's id is NetexHexID
}

// RhombusID is the user's Rhombus uuid: 22 base64url characters (the
// 16 bytes of UUID), as Rhombus writes ids.
func (u User) RhombusID() string {
	b, err := hex.DecodeString(strings.ReplaceAll(u.UUID, "-", ""))
	if err != nil || len(b) != 16 {
		sum := sha256.Sum256([]byte(u.UUID + u.Email))
		b = sum[:16]
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NetexHexID is the user's learningCloud id: 32 hex digits, as the vendor
// documents (e.g. ff808181556ee70e015572136a250012).
func (u User) NetexHexID() string { return fmt.Sprintf("ff808181%024x", u.NetexID) }

// Name is the user's display name.
func (u User) Name() string { return strings.TrimSpace(u.First + " " + u.Last) }

// Faults are what the sandbox does wrong on purpose.
type Faults struct {
	FailureRate float64 // fraction of uploads answered with a 5xx
	ResetRate   float64 // fraction of uploads whose connection is cut mid-request
	// DropRate is the fraction of successful answers to uploads that are
	// lost: the photo is stored, then the connection is cut instead of
	// answering (the client cannot tell it was delivered).
	DropRate        float64
	Latency         time.Duration // added to every request
	No429RetryAfter bool          // 429 answers omit Retry-After
	ZoomRejects     []string      // emails whose Zoom upload is refused 400 code 300
	Seed            int64         // for the random draws (0: time-based)
}

// Options configure a sandbox.
type Options struct {
	Listen    string  // host:port, default 127.0.0.1:0
	RateScale float64 // multiplies every rate limit (10: ten times faster); default 1
	Users     []User  // default DemoRoster()
	Faults    Faults

	// OnReceive, when set, is called with every photo a platform stores
	// (the `headshot sandbox` command logs them).
	OnReceive func(Received)

	// Zoom
	ZoomTokenTTL   time.Duration // lifetime of issued access tokens; default 1h
	ZoomRate       float64       // picture uploads per second (scaled); default 20 (Pro, "Medium")
	ZoomBurst      int           // uploads allowed back to back; default ZoomRate
	ZoomLookupRate float64       // Get a user requests per second (scaled); default 30 (Pro, "Light"); List users counts as Medium, with the uploads
	ZoomMaxBytes   int64         // largest picture; default 2 MB
	ZoomDailyLimit int           // uploads per UTC day before 429 Daily-limit (ISO-8601 Retry-After); 0: none
	// ZoomScopes are the scopes the app was given (nil: every scope
	// headshot needs). A call whose scope is missing answers HTTP 400 code
	// 4711, as Zoom does.
	ZoomScopes []string

	// Rhombus
	RhombusRate     float64 // token refill per second (scaled); default 10
	RhombusBurst    int     // bucket size; default 10x RhombusRate
	RhombusMaxFiles int     // photos per bulk request; default 100
	RhombusMaxBytes int64   // bytes per photo; default 5 MB
	// The bulk upload's request and answer are not documented publicly:
	// RhombusPartName is the multipart field of the photos (default
	// "files"), RhombusMatch what names each file, "email" (default) or
	// "uuid", RhombusResultsField the answer's results array (default
	// "fileUploadResults").
	RhombusPartName     string
	RhombusMatch        string
	RhombusResultsField string
	// RhombusBadFile makes any bulk request holding a file of this name
	// answer HTTP 500, as Rhombus does for a bad parameter.
	RhombusBadFile string

	// Igloo
	// IglooLogin is which session logins the workplace offers: "v1" (the
	// default: the documented login, the only one on SAML communities; v2
	// answers 404), "v2" (v1 answers 404) or "both".
	IglooLogin string
	// IglooRelativeLocation makes the attachment step answer a Location
	// relative to the host instead of an absolute URL (the form is [A]).
	IglooRelativeLocation bool
	IglooSessionTTL       time.Duration // lifetime of a session key; default 1h
	IglooCutAfter         int64         // >0: a PATCH carrying more body bytes is cut after this many (they are kept)
	IglooCutTimes         int           // how many PATCHes IglooCutAfter cuts; default 1
	IglooTruncateTo       int64         // >0: after the first PATCH that stores more, the entry is cut back to this many bytes (forces a 416)
	// The member list (community/members/viewsmall) is in Igloo's API
	// reference, but whether an API session may read it, and whether it
	// shows every address, depends on the workplace: IglooNoMemberList
	// answers it 404, IglooHideEmails leaves out every other member's
	// email (as a privacy setting does).
	IglooNoMemberList bool
	IglooHideEmails   bool
	// IglooListMax, when above 0, is the most members the list answers a
	// page, whatever maxcount asks (no maximum is documented: a workplace
	// may cap it); 0: as many as asked.
	IglooListMax int
	// IglooLookupRate, when above 0, gives the member search and list
	// their own bucket of this many requests a second (scaled); 0: one
	// bucket (5/s) for every request. Nothing documents either.
	IglooLookupRate float64

	// Interact
	// InteractUsernames is what the tenant's usernames are: "local" (the
	// default: the email's local part, jane.doe) or "email" (the whole
	// email). Nothing public says which; tenants differ.
	InteractUsernames string
	// InteractPlainAnswers answers a stored photo with 204 and no body and
	// errors with their message as plain text, instead of ASP.NET's JSON
	// ({"Success":true}, {"Message","ModelState"}).
	InteractPlainAnswers bool

	// Netex
	// NetexListObject wraps the user list in {"users":[...],"totalResults"}
	// instead of the documented bare array.
	NetexListObject bool
	// NetexHTTPErrors answers the image POST's errors (400, 404, 413) with
	// that HTTP status instead of inside an HTTP 200 envelope.
	NetexHTTPErrors  bool
	NetexFailPart    string // sub-platform (training, social, play, management) whose image step fails
	NetexFailStatus  int    // its status; default 500
	NetexFailMessage string // its message; default names the fault

	// Microsoft 365
	M365TokenTTL       time.Duration // lifetime of issued access tokens; default 1h
	M365Rate           float64       // photo writes per second (scaled); default 10
	M365MaxBytes       int64         // largest photo; default 4 MB
	M365TooLargeStatus int           // status of an over-size photo: 413 (default) or 400
	// M365ThrottleStatus is the status of a throttled photo write when
	// set: 429 (the default), 503 or 504, always with Retry-After (Graph's
	// SDK retry handler honours Retry-After on all three).
	M365ThrottleStatus int
	M365Certificate    *x509.Certificate // the app's registered certificate (client assertions)
	// M365NoMailbox are emails of users without an Exchange Online mailbox:
	// their photo writes answer 404 ErrorNonExistentMailbox (Graph's
	// known issues: photos need a mailbox).
	M365NoMailbox []string
	// M365PhotoStatus is the status of a stored photo: 200 (the default,
	// as the update page shows) or 204 (what a write with no body may
	// answer; the page does not rule it out).
	M365PhotoStatus int

	// Google Workspace
	GoogleTokenTTL       time.Duration // lifetime of issued access tokens; default 1h
	GoogleRate           float64       // Directory API queries per second (scaled); default 40 (2,400/min)
	GoogleMaxBytes       int64         // largest decoded photo; default 2 MB (undocumented: a setting)
	GoogleTooLargeStatus int           // status of an over-size photo: 413 (default) or 400
	GoogleQuotaReason    string        // reason of the 403 when over the rate; default userRateLimitExceeded
	GoogleNoDelegation   bool          // the service account has no domain-wide delegation (unauthorized_client)
	// GooglePadding is the one spelling of photoData's base64 padding the
	// emulator reads, as a server with one decoder would: "equals",
	// "asterisk", "period" or "none". "" (the default) reads any of them,
	// as Google's own clients' "=" and the UserPhoto page's "*" and "."
	// suggest Google does.
	GooglePadding string
}

// Received is one photo a platform accepted and stored.
type Received struct {
	Platform string
	User     string // the user's email
	Bytes    int
	Width    int
	Height   int
	Format   string // "jpeg", "png", "gif", or "" if undecodable
	SHA256   string
	At       time.Time
}

// Sandbox is a running emulator of every platform.
type Sandbox struct {
	URL string // http://host:port, without a trailing slash

	opts  Options
	users []User
	mux   *http.ServeMux
	srv   *http.Server
	ln    net.Listener

	// stop is closed by Close: handlers waiting (injected latency) give up,
	// so no goroutine outlives the sandbox.
	stop     chan struct{}
	stopOnce sync.Once

	mu       sync.Mutex
	faults   Faults
	rng      *rand.Rand
	received []Received
	uploads  int // upload requests seen (UploadRequests)

	// per-platform emulator state, set by each platform's mount
	zoom    *zoomState
	rhombus *rhombusState
	igloo   *iglooState
	netex   *netexAPI
	m365    *m365API
	google  *googleAPI
}

// New builds a sandbox without listening (use Handler with httptest, or Start).
func New(opts Options) *Sandbox {
	if opts.RateScale <= 0 {
		opts.RateScale = 1
	}
	if opts.Users == nil {
		opts.Users = DemoRoster()
	}
	s := &Sandbox{opts: opts, users: opts.Users, mux: http.NewServeMux(), stop: make(chan struct{})}
	s.SetFaults(opts.Faults)
	for _, e := range emulators {
		e.Mount(s)
	}
	return s
}

// Start builds a sandbox and serves it on opts.Listen.
func Start(opts Options) (*Sandbox, error) {
	s := New(opts)
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

// Handler serves every platform (for httptest.NewServer); set URL to the
// server's URL before asking for Credentials.
func (s *Sandbox) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// serve is the mux, with DropRate applied to upload answers.
func (s *Sandbox) serve(w http.ResponseWriter, r *http.Request) {
	f := s.Faults()
	if f.DropRate <= 0 || r.Method == http.MethodGet || isAuthPath(r.URL.Path) {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &heldAnswer{header: http.Header{}}
	s.mux.ServeHTTP(rec, r)
	if rec.status < 300 && s.chance(f.DropRate) {
		cutConnection(w)
		return
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// isAuthPath: token and session requests are not uploads.
func isAuthPath(p string) bool {
	p = strings.ToLower(p)
	return strings.Contains(p, "token") || strings.Contains(p, "oauth") || strings.Contains(p, "session")
}

// heldAnswer keeps a handler's answer until serve decides to send it.
type heldAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldAnswer) Header() http.Header { return h.header }
func (h *heldAnswer) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}
func (h *heldAnswer) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}

// UploadRequests is how many upload requests reached a platform's upload
// handler (before any injected fault).
func (s *Sandbox) UploadRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploads
}

// Close stops serving and ends every request still waiting on injected
// latency. (With Handler and httptest, call it before closing the test
// server so that waiting handlers return.)
func (s *Sandbox) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	removeKeyFile(s.URL)
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

// Users is the roster.
func (s *Sandbox) Users() []User { return s.users }

// SetFaults changes the injected faults while running.
func (s *Sandbox) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	seed := f.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	s.rng = rand.New(rand.NewSource(seed))
}

// Faults returns the faults in force.
func (s *Sandbox) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Received lists every photo stored so far, oldest first.
func (s *Sandbox) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// ReceivedBy lists the photos one platform stored.
func (s *Sandbox) ReceivedBy(platform string) []Received {
	var out []Received
	for _, r := range s.Received() {
		if r.Platform == platform {
			out = append(out, r)
		}
	}
	return out
}

// record stores a received photo.
func (s *Sandbox) record(platform, email string, data []byte) Received {
	sum := sha256.Sum256(data)
	rec := Received{Platform: platform, User: email, Bytes: len(data), SHA256: hex.EncodeToString(sum[:]), At: time.Now()}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		rec.Width, rec.Height, rec.Format = cfg.Width, cfg.Height, format
	}
	s.mu.Lock()
	s.received = append(s.received, rec)
	s.mu.Unlock()
	if s.opts.OnReceive != nil {
		s.opts.OnReceive(rec)
	}
	return rec
}

// chance draws against p with the sandbox's seeded generator.
func (s *Sandbox) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < p
}

// injectFaults applies latency, resets and 5xx to an upload request. It
// reports true when it has answered (or cut) the request itself.
func (s *Sandbox) injectFaults(w http.ResponseWriter, r *http.Request) bool {
	f := s.Faults()
	s.mu.Lock()
	s.uploads++
	s.mu.Unlock()
	if f.Latency > 0 {
		select {
		case <-time.After(f.Latency):
		case <-r.Context().Done():
			return true
		case <-s.stop:
			cutConnection(w)
			return true
		}
	}
	if s.chance(f.ResetRate) {
		cutConnection(w)
		return true
	}
	if s.chance(f.FailureRate) {
		http.Error(w, "503 Service Unavailable (sandbox fault injection)", http.StatusServiceUnavailable)
		return true
	}
	return false
}

// cutConnection closes the client's connection without an answer.
func cutConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) //nolint:errcheck // best effort RST
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// userBy finds a user by a predicate.
func (s *Sandbox) userBy(match func(User) bool) (User, bool) {
	for _, u := range s.users {
		if match(u) {
			return u, true
		}
	}
	return User{}, false
}

// userByEmail matches case-insensitively.
func (s *Sandbox) userByEmail(email string) (User, bool) {
	return s.userBy(func(u User) bool { return strings.EqualFold(u.Email, email) })
}
