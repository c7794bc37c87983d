package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/time/rate"
)

// Interact emulation: the three picture-upload routes of a General Profile
// Source (domain InteractDomainID), API key in X-ApiKey, 5 MB -> 413, more
// than 6 requests a minute (times RateScale) -> 429, ASP.NET error bodies.
// Usernames are the emails' local parts, or the whole emails with
// Options.InteractUsernames "email".
//
// GET /api/umi/{domainId}/upload is the harmless request the client's Check
// sends ([A]: Interact documents no read endpoint): the sandbox checks the
// key first (401) and then answers 405 Method Not Allowed.

const (
	interactMaxBytes  = 5 * 1024 * 1024
	interactKeyHeader = "X-ApiKey"
)

type interactAPI struct {
	s   *Sandbox
	lim *rate.Limiter
}

func init() {
	register(Emulator{Platform: "interact", Mount: mountInteract, Rate: 6, RateUnit: "min", Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/interact"}, {"domain_id", InteractDomainID}, {"api_key", InteractAPIKey}}
	}})
}

func mountInteract(s *Sandbox) {
	api := &interactAPI{s: s, lim: s.newLimiter(6.0/60.0, 6)}
	s.mux.HandleFunc("/interact/api/umi/{domain}/upload", api.probe)
	s.mux.HandleFunc("POST /interact/api/umi/{domain}/upload/{person}/picture", func(w http.ResponseWriter, r *http.Request) {
		api.upload(w, r, "person", r.PathValue("person"))
	})
	s.mux.HandleFunc("POST /interact/api/umi/{domain}/upload/username/{username}/picture", func(w http.ResponseWriter, r *http.Request) {
		api.upload(w, r, "username", r.PathValue("username"))
	})
	s.mux.HandleFunc("POST /interact/api/umi/{domain}/upload/umiid/{umiid}/picture", func(w http.ResponseWriter, r *http.Request) {
		api.upload(w, r, "umiid", r.PathValue("umiid"))
	})
}

// fail writes ASP.NET Web API's error shape, or with
// Options.InteractPlainAnswers the message as plain text (nothing public
// shows Interact's error bodies).
func (a *interactAPI) fail(w http.ResponseWriter, status int, msg string, modelState map[string][]string) {
	if a.s.opts.InteractPlainAnswers {
		for _, f := range slices.Sorted(maps.Keys(modelState)) {
			msg += " " + f + ": " + strings.Join(modelState[f], " ")
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, msg)
		return
	}
	body := map[string]any{"Message": msg}
	if modelState != nil {
		body["ModelState"] = modelState
	}
	interactJSON(w, status, body)
}

// interactJSON answers status with v as JSON.
func interactJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// gate checks the key, the profile source and the rate; false when it answered.
func (a *interactAPI) gate(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get(interactKeyHeader) != InteractAPIKey {
		a.fail(w, http.StatusUnauthorized, "Authorization has been denied for this request.", nil)
		return false
	}
	if r.PathValue("domain") != InteractDomainID {
		a.fail(w, http.StatusNotFound, fmt.Sprintf("No profile source with id %s.", r.PathValue("domain")), nil)
		return false
	}
	if ok, wait := take(a.lim); !ok {
		a.s.setRetryAfter(w, wait)
		a.fail(w, http.StatusTooManyRequests, "More than 6 requests per minute are not permitted.", nil)
		return false
	}
	return true
}

func (a *interactAPI) probe(w http.ResponseWriter, r *http.Request) {
	if !a.gate(w, r) {
		return
	}
	w.Header().Set("Allow", http.MethodPost)
	a.fail(w, http.StatusMethodNotAllowed, "The requested resource does not support http method '"+r.Method+"'.", nil)
}

func (a *interactAPI) upload(w http.ResponseWriter, r *http.Request, route, key string) {
	if !a.gate(w, r) {
		return
	}
	if a.s.injectFaults(w, r) {
		return
	}
	u, ok := a.person(route, key)
	if !ok {
		a.fail(w, http.StatusNotFound, fmt.Sprintf("No person found with %s '%s'.", route, key), nil)
		return
	}
	if r.ContentLength > interactMaxBytes+64*1024 {
		a.fail(w, http.StatusRequestEntityTooLarge, "Images larger than 5MB are not permitted.", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, interactMaxBytes+64*1024)
	mr, err := r.MultipartReader()
	if err != nil {
		a.fail(w, http.StatusUnsupportedMediaType, "The request entity's media type is not supported; send multipart/form-data.", nil)
		return
	}
	var data []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			a.readFailed(w, err)
			return
		}
		if part.FormName() != "file" {
			continue
		}
		data, err = io.ReadAll(io.LimitReader(part, interactMaxBytes+1))
		if err != nil {
			a.readFailed(w, err)
			return
		}
		break
	}
	switch {
	case data == nil:
		a.fail(w, http.StatusBadRequest, "The request is invalid.", map[string][]string{"file": {"No image was attached (multipart part \"file\")."}})
		return
	case len(data) > interactMaxBytes:
		a.fail(w, http.StatusRequestEntityTooLarge, "Images larger than 5MB are not permitted.", nil)
		return
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		a.fail(w, http.StatusBadRequest, "The request is invalid.", map[string][]string{"file": {"The file is not an image."}})
		return
	}
	a.s.record("interact", u.Email, data)
	if a.s.opts.InteractPlainAnswers {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	interactJSON(w, http.StatusOK, map[string]any{"Success": true})
}

func (a *interactAPI) readFailed(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		a.fail(w, http.StatusRequestEntityTooLarge, "Images larger than 5MB are not permitted.", nil)
		return
	}
	a.fail(w, http.StatusBadRequest, "The request body could not be read.", nil)
}

func (a *interactAPI) person(route, key string) (User, bool) {
	switch route {
	case "person":
		id, err := strconv.Atoi(key)
		if err != nil {
			return User{}, false
		}
		return a.s.userBy(func(u User) bool { return u.PersonID == id })
	case "umiid":
		return a.s.userBy(func(u User) bool { return u.UMIID == key })
	}
	if a.s.opts.InteractUsernames == "email" {
		return a.s.userBy(func(u User) bool { return strings.EqualFold(u.Email, key) })
	}
	return a.s.userBy(func(u User) bool { return strings.EqualFold(u.Username, key) })
}
