// Package upload defines the seam between headshot and the SaaS platforms it
// sends profile photos to: the Client interface every platform package
// implements, the prepared Photo it sends, the Limits it declares, and the
// one Error type every failure is turned into so the engine and the UI can
// act on its Class without knowing which platform spoke.
//
// Platform clients live in sub-packages (upload/zoom, upload/rhombus, ...),
// each registering its Descriptor; upload/all imports them all. The local
// emulators of their APIs live in upload/sandbox; the engine that drives
// them in upload/engine.
package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Version is sent in every request's User-Agent (headshot/<Version>).
var Version = "0.1.0"

// UserAgent is the User-Agent header value every client sends.
func UserAgent() string { return "headshot/" + Version }

// Platform names one target platform; the values are the config table names.
type Platform string

// The platforms whose packages predate the registry; a new platform
// declares its name in its own package (see Descriptor).
const (
	Zoom     Platform = "zoom"
	Rhombus  Platform = "rhombus"
	Igloo    Platform = "igloo"
	Interact Platform = "interact"
	Netex    Platform = "netex"
)

// Photo is one prepared image, ready to send.
type Photo struct {
	Data   []byte
	MIME   string // "image/jpeg" or "image/png"
	Width  int
	Height int
	// Hash is the hex SHA-256 of Data; NewPhoto fills it.
	Hash string
}

// NewPhoto wraps prepared bytes, computing the hash.
func NewPhoto(data []byte, mime string, w, h int) Photo {
	sum := sha256.Sum256(data)
	return Photo{Data: data, MIME: mime, Width: w, Height: h, Hash: hex.EncodeToString(sum[:])}
}

// Ext is the file extension (with dot) matching MIME.
func (p Photo) Ext() string {
	switch p.MIME {
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	}
	return ".jpg"
}

// Target is a person resolved on one platform.
type Target struct {
	// Person is the key as headshot knows it (file stem or mapping), e.g.
	// an email, a username or an id.
	Person string
	// ID is what the platform's upload endpoint needs (Zoom email or id,
	// Igloo member GUID, Interact username/person id/UMI id, ...).
	ID string
	// Name is the display name when the platform returned one.
	Name string
	// Unverified says the platform offers no lookup (Interact): the ID was
	// derived locally, and whether the person exists is known only when
	// the photo is sent. A dry run reports "cannot check before sending".
	Unverified bool
}

// Limits are what a platform accepts and how fast.
type Limits struct {
	MaxBytes    int64    // largest photo accepted
	MIMETypes   []string // accepted types
	Rate        Rate     // steady request rate that never crosses the platform's limit
	Burst       int      // requests allowed back to back (>= 1)
	Concurrency int      // requests in flight at once (>= 1)
	BatchSize   int      // photos per request (1 unless the client is a BatchClient)
	// PeopleTTL is how long a person this platform resolved is reused by
	// later runs (the people cache beside the journal; 0: its default).
	PeopleTTL time.Duration
}

// Accepts reports whether the type is one the platform takes.
func (l Limits) Accepts(mime string) bool {
	for _, m := range l.MIMETypes {
		if m == mime {
			return true
		}
	}
	return false
}

// Validate checks a photo against the limits before anything is sent; the
// error is a *Error of ClassRejected (type) or ClassTooLarge (bytes).
func (l Limits) Validate(p Platform, ph Photo) error {
	if len(l.MIMETypes) > 0 && !l.Accepts(ph.MIME) {
		return &Error{Platform: p, Class: ClassRejected, Local: true, Code: "type",
			Message: fmt.Sprintf("%s does not accept %s (accepts %s)", p.Title(), ph.MIME, strings.Join(l.MIMETypes, ", "))}
	}
	if l.MaxBytes > 0 && int64(len(ph.Data)) > l.MaxBytes {
		return &Error{Platform: p, Class: ClassTooLarge, Local: true, Size: int64(len(ph.Data)), Limit: l.MaxBytes,
			Message: fmt.Sprintf("photo is %d bytes, %s takes at most %d", len(ph.Data), p.Title(), l.MaxBytes)}
	}
	return nil
}

// Receipt is what a successful upload returned.
type Receipt struct {
	Status int    // HTTP status of the final request
	Detail string // e.g. Igloo attachment key, Zoom Content-Location
	// Parts holds per-sub-system outcomes where the platform reports them
	// (Netex sub-platforms training/social/play/management; 202 = queued).
	Parts []PartStatus
}

// PartStatus is one sub-system's outcome within a single upload.
type PartStatus struct {
	Name    string
	Status  int
	Message string
}

// OK reports whether the sub-system took the photo (2xx; 202 = queued).
func (p PartStatus) OK() bool { return p.Status >= 200 && p.Status < 300 }

// String is "social 500 (message)", for journals and screens (the message
// is the platform's: sanitize before display).
func (p PartStatus) String() string {
	s := fmt.Sprintf("%s %d", p.Name, p.Status)
	if p.Message != "" {
		s += " (" + p.Message + ")"
	}
	return s
}

// Failed lists the sub-systems that refused the photo. A receipt with
// failed parts is a partial success: the platform holds the photo, but not
// everywhere (Netex: one of training, social, play, management failed).
func (r Receipt) Failed() []PartStatus {
	var out []PartStatus
	for _, p := range r.Parts {
		if !p.OK() {
			out = append(out, p)
		}
	}
	return out
}

// PartsSummary joins parts as "social 500 (message); play 503".
func PartsSummary(parts []PartStatus) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

// Client is what every platform package implements.
type Client interface {
	Platform() Platform
	Limits() Limits
	// Check authenticates and makes one harmless read, proving the
	// credentials and the base URL work. Errors are *Error.
	Check(ctx context.Context) error
	// Resolve turns a person key into what the upload endpoint needs.
	// Errors are *Error (ClassNotFound when the person is unknown).
	Resolve(ctx context.Context, person string) (Target, error)
	// Upload sends one photo for one resolved person. Errors are *Error.
	Upload(ctx context.Context, t Target, p Photo) (Receipt, error)
}

// PeopleLister is a Client that can resolve people from one listing of
// its platform's users, read in pages once per run and shared by every
// lookup. The engine tells it how many people the run will look up (again
// as more photos are queued), so it lists only when that costs fewer
// requests than looking each person up.
type PeopleLister interface {
	Client
	ExpectPeople(n int)
}

// Item is one photo for one person within a batch.
type Item struct {
	Target Target
	Photo  Photo
}

// Outcome is one item's result within a batch.
type Outcome struct {
	Receipt Receipt
	Err     error // nil on success; else *Error
}

// BatchClient is a Client that can send several photos in one request
// (Rhombus). outcomes has one entry per item, in order, when err is nil; err
// is set when the request as a whole failed (auth, 429, network...).
type BatchClient interface {
	Client
	UploadBatch(ctx context.Context, items []Item) (outcomes []Outcome, err error)
}

// Rate is a request rate: N requests per Per.
type Rate struct {
	N   int
	Per time.Duration
}

// PerSecond is the rate as requests per second.
func (r Rate) PerSecond() float64 {
	if r.N <= 0 || r.Per <= 0 {
		return 0
	}
	return float64(r.N) / r.Per.Seconds()
}

// Interval is the time between requests at this rate.
func (r Rate) Interval() time.Duration {
	if r.N <= 0 {
		return 0
	}
	return r.Per / time.Duration(r.N)
}

func (r Rate) String() string {
	if r.N <= 0 || r.Per <= 0 {
		return "unlimited"
	}
	switch r.Per {
	case time.Second:
		return strconv.Itoa(r.N) + "/s"
	case time.Minute:
		return strconv.Itoa(r.N) + "/min"
	case time.Hour:
		return strconv.Itoa(r.N) + "/h"
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

// ParseRate reads "20/s", "6/min", "100/h", "5/2s" (N per duration).
func ParseRate(s string) (Rate, error) {
	n, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: want N/unit, e.g. 20/s or 6/min", s)
	}
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || count <= 0 {
		return Rate{}, fmt.Errorf("rate %q: %q is not a positive whole number", s, n)
	}
	per = strings.TrimSpace(per)
	var d time.Duration
	switch per {
	case "s", "sec", "second":
		d = time.Second
	case "m", "min", "minute":
		d = time.Minute
	case "h", "hour":
		d = time.Hour
	default:
		d, err = time.ParseDuration(per)
		if err != nil || d <= 0 {
			return Rate{}, fmt.Errorf("rate %q: unit %q: want s, min, h or a duration like 2s", s, per)
		}
	}
	return Rate{N: count, Per: d}, nil
}
