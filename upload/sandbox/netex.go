package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Netex learningCloud emulation under /netex + the REST prefix: token in
// X-Cloud-Auth-Token, users by id (32 hex digits)/username/externalId/
// commonId, the paged user list (count <= 500) as a bare JSON array of
// users with name and surname (Options.NetexListObject wraps it in an
// object), and the image POST answered with the documented
// envelope: synchronous -> sub-platforms 200/204, asynchronous -> training
// and social 202 (queued), as in the vendor's example; envelope status 204.
//
// Errors use the same envelope with an error status: 401 (bad token) and
// 404 on GET /users/{id} as that HTTP status; on the image POST, 400/404
// come inside an HTTP 200 envelope, as the vendor page describes every
// answer of that call as "200: OK" with a generic status
// (Options.NetexHTTPErrors answers them with that HTTP status instead).
// Options.NetexFailPart makes one sub-platform fail with its message.

const (
	netexPrefix   = "/netex/integration/ws/management/rest"
	netexMaxBytes = 5 * 1024 * 1024
	netexMaxCount = 500
)

// netexParts are the documented sub-platforms, in order.
var netexParts = []string{"training", "social", "play", "management"}

type netexAPI struct {
	s   *Sandbox
	lim *rate.Limiter

	mu      sync.Mutex
	lookups []time.Time // arrival of every user list page and user lookup
}

func init() {
	register(Emulator{Platform: "netex", Mount: mountNetex, Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/netex"}, {"token", NetexToken}}
	}})
}

func mountNetex(s *Sandbox) {
	api := &netexAPI{s: s, lim: s.newLimiter(10, 10)}
	s.netex = api
	s.mux.HandleFunc("GET "+netexPrefix+"/users", api.list)
	s.mux.HandleFunc("GET "+netexPrefix+"/users/{key}", api.get)
	s.mux.HandleFunc("POST "+netexPrefix+"/users/{key}/image", api.image)
}

type netexPart struct {
	Status   int     `json:"status"`
	Location *string `json:"location"`
	Message  *string `json:"message"`
}

type netexEnvelope struct {
	Status            int                  `json:"status"`
	Location          *string              `json:"location"`
	Message           string               `json:"message"`
	ResponsePlatforms map[string]netexPart `json:"responsePlatforms"`
}

// netexUser is a user as the list and the lookup return it: a 32-hex-digit
// id, name and surname.
type netexUser struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	Email      string `json:"email"`
	Name       string `json:"name"`
	Surname    string `json:"surname"`
	ExternalID string `json:"externalId"`
	CommonID   string `json:"commonId"`
}

func netexUserOf(u User) netexUser {
	return netexUser{ID: u.NetexHexID(), Username: u.Username, Email: u.Email, Name: u.First,
		Surname: u.Last, ExternalID: u.UUID, CommonID: u.UMIID}
}

func netexJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// imageFail answers an error of the image POST: the envelope with the
// error status, inside an HTTP 200 as the vendor page describes every
// answer of that call, or with that HTTP status (Options.NetexHTTPErrors):
// the page leaves it open, so the client reads both.
func (a *netexAPI) imageFail(w http.ResponseWriter, status int, msg string) {
	httpStatus := http.StatusOK
	if a.s.opts.NetexHTTPErrors {
		httpStatus = status
	}
	netexFail(w, httpStatus, status, msg)
}

// netexFail answers the error envelope with HTTP status httpStatus.
func netexFail(w http.ResponseWriter, httpStatus, status int, msg string) {
	netexJSON(w, httpStatus, netexEnvelope{Status: status, Message: msg})
}

// gate checks the token and the rate; false when it answered.
func (a *netexAPI) gate(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("X-Cloud-Auth-Token") != NetexToken {
		netexFail(w, http.StatusUnauthorized, http.StatusUnauthorized, "Invalid or missing authentication token")
		return false
	}
	if ok, wait := take(a.lim); !ok {
		a.s.setRetryAfter(w, wait)
		netexFail(w, http.StatusTooManyRequests, http.StatusTooManyRequests, "Too many requests")
		return false
	}
	return true
}

func (a *netexAPI) find(key string) (User, bool) {
	return a.s.userBy(func(u User) bool {
		return strings.EqualFold(u.NetexHexID(), key) || strings.EqualFold(u.Username, key) || u.UUID == key || u.UMIID == key
	})
}

// NetexLookups is when each user list page and user lookup arrived.
func (s *Sandbox) NetexLookups() []time.Time {
	s.netex.mu.Lock()
	defer s.netex.mu.Unlock()
	return append([]time.Time(nil), s.netex.lookups...)
}

func (a *netexAPI) noteLookup() {
	a.mu.Lock()
	a.lookups = append(a.lookups, time.Now())
	a.mu.Unlock()
}

func (a *netexAPI) list(w http.ResponseWriter, r *http.Request) {
	a.noteLookup()
	if !a.gate(w, r) {
		return
	}
	q := r.URL.Query()
	start, count := 0, netexMaxCount
	var err error
	if v := q.Get("startIndex"); v != "" {
		if start, err = strconv.Atoi(v); err != nil || start < 0 {
			netexFail(w, http.StatusBadRequest, http.StatusBadRequest, "startIndex must be a whole number >= 0")
			return
		}
	}
	if v := q.Get("count"); v != "" {
		if count, err = strconv.Atoi(v); err != nil || count < 1 || count > netexMaxCount {
			netexFail(w, http.StatusBadRequest, http.StatusBadRequest, fmt.Sprintf("count must be between 1 and %d", netexMaxCount))
			return
		}
	}
	users := a.s.Users()
	page := []netexUser{}
	for i := start; i < len(users) && len(page) < count; i++ {
		page = append(page, netexUserOf(users[i]))
	}
	if a.s.opts.NetexListObject {
		netexJSON(w, http.StatusOK, map[string]any{"status": 200, "startIndex": start, "count": len(page),
			"totalResults": len(users), "users": page})
		return
	}
	netexJSON(w, http.StatusOK, page) // documented: a bare array
}

func (a *netexAPI) get(w http.ResponseWriter, r *http.Request) {
	a.noteLookup()
	if !a.gate(w, r) {
		return
	}
	u, ok := a.find(r.PathValue("key"))
	if !ok {
		netexFail(w, http.StatusNotFound, http.StatusNotFound, "User not found")
		return
	}
	netexJSON(w, http.StatusOK, netexUserOf(u))
}

func (a *netexAPI) image(w http.ResponseWriter, r *http.Request) {
	if !a.gate(w, r) {
		return
	}
	if a.s.injectFaults(w, r) {
		return
	}
	sync := r.Header.Get("X-Cloud-Synchronization")
	if sync == "" {
		sync = "synchronous"
	}
	if sync != "synchronous" && sync != "asynchronous" {
		a.imageFail(w, http.StatusBadRequest, "X-Cloud-Synchronization must be synchronous or asynchronous")
		return
	}
	u, ok := a.find(r.PathValue("key"))
	if !ok {
		a.imageFail(w, http.StatusNotFound, "User not found")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		a.imageFail(w, http.StatusBadRequest, "Content-Type must be application/json")
		return
	}
	var body struct {
		Image *struct {
			Base64Image string `json:"base64Image"`
			MIMEType    string `json:"mimeType"`
		} `json:"image"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, netexMaxBytes*4/3+64*1024)
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		a.imageFail(w, http.StatusBadRequest, "The body is not a valid image request")
		return
	}
	if body.Image == nil || body.Image.Base64Image == "" {
		a.imageFail(w, http.StatusBadRequest, "Missing parameter: image.base64Image")
		return
	}
	data, err := base64.StdEncoding.DecodeString(body.Image.Base64Image)
	if err != nil {
		a.imageFail(w, http.StatusBadRequest, "image.base64Image is not valid base64")
		return
	}
	if len(data) > netexMaxBytes {
		a.imageFail(w, http.StatusRequestEntityTooLarge, "The image exceeds 5 MB")
		return
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		a.imageFail(w, http.StatusBadRequest, "image.base64Image is not an image")
		return
	}
	if want := "image/" + format; body.Image.MIMEType != "" && body.Image.MIMEType != want {
		a.imageFail(w, http.StatusBadRequest,
			fmt.Sprintf("image.mimeType %s does not match the image (%s)", body.Image.MIMEType, want))
		return
	}
	parts := map[string]netexPart{}
	for _, name := range netexParts {
		status := http.StatusNoContent
		switch {
		case name == "training" && sync == "synchronous":
			status = http.StatusOK
		case (name == "training" || name == "social") && sync == "asynchronous":
			status = http.StatusAccepted
		}
		parts[name] = netexPart{Status: status}
	}
	if fail := a.s.opts.NetexFailPart; fail != "" {
		if _, known := parts[fail]; known {
			status, msg := a.s.opts.NetexFailStatus, a.s.opts.NetexFailMessage
			if status == 0 {
				status = http.StatusInternalServerError
			}
			if msg == "" {
				msg = "sandbox fault: " + fail + " could not store the image"
			}
			parts[fail] = netexPart{Status: status, Message: &msg}
		}
	}
	a.s.record("netex", u.Email, data)
	netexJSON(w, http.StatusOK, netexEnvelope{Status: http.StatusNoContent, ResponsePlatforms: parts})
}
