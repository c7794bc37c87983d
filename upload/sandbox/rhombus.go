package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// Rhombus emulation under /rhombus: API-key headers checked exactly,
// getUsersInOrg, the bulk profile-photo upload with per-file results and
// application errors as HTTP 200 {"error":true}, and one token bucket per
// organisation with Rhombus's text/plain 429.

// RhombusPartnerOrg is the client organisation uuid the sandbox accepts in
// x-auth-org with the partner schemes (a demo value, not a secret).
const RhombusPartnerOrg = "7a3e0c1d-5a4b-4c2d-9e8f-000000000001"

func init() {
	register(Emulator{Platform: "rhombus", Mount: mountRhombus, Rate: 10, RateUnit: "s", Demo: func(url string) [][2]string {
		return [][2]string{{"base_url", url + "/rhombus"}, {"api_key", RhombusAPIKey}, {"auth_scheme", "api-token"}}
	}})
}

// rhombusState is the emulated Rhombus organisation.
type rhombusState struct {
	maxFiles int
	maxBytes int64
	limiter  *rate.Limiter

	mu        sync.Mutex
	listCalls int
}

func mountRhombus(s *Sandbox) {
	st := &rhombusState{maxFiles: s.opts.RhombusMaxFiles, maxBytes: s.opts.RhombusMaxBytes}
	if st.maxFiles <= 0 {
		st.maxFiles = 100
	}
	if st.maxBytes <= 0 {
		st.maxBytes = 5 * 1024 * 1024
	}
	perSec := s.opts.RhombusRate
	if perSec <= 0 {
		perSec = 10
	}
	burst := s.opts.RhombusBurst
	if burst <= 0 {
		burst = int(10 * perSec)
	}
	st.limiter = s.newLimiter(perSec, burst)
	s.rhombus = st
	s.mux.HandleFunc("POST /rhombus/api/user/getUsersInOrg", s.rhombusAuthed(s.rhombusUsers))
	s.mux.HandleFunc("POST /rhombus/api/upload/bulkUploadUserProfilePhotos", s.rhombusAuthed(s.rhombusBulkUpload))
}

// RhombusUserListCalls counts getUsersInOrg requests that were answered.
func (s *Sandbox) RhombusUserListCalls() int {
	s.rhombus.mu.Lock()
	defer s.rhombus.mu.Unlock()
	return s.rhombus.listCalls
}

// rhombusJSON writes a JSON answer.
func rhombusJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// rhombusHTTPError is the framework's error body for 4xx answers.
func rhombusHTTPError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	rhombusJSON(w, status, map[string]any{
		"status": status, "error": http.StatusText(status), "message": msg, "path": r.URL.Path,
	})
}

// rhombusAuthed checks x-auth-scheme, x-auth-apikey (and x-auth-org for the
// partner schemes), then the organisation's token bucket, before h runs.
func (s *Sandbox) rhombusAuthed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme := r.Header.Get("x-auth-scheme")
		key := r.Header.Get("x-auth-apikey")
		partner := scheme == "partner-api-token" || scheme == "partner-api"
		switch {
		case key == "" || scheme == "":
			drainBody(r)
			rhombusHTTPError(w, r, http.StatusUnauthorized, "Missing authentication headers x-auth-apikey and x-auth-scheme")
			return
		case scheme != "api-token" && scheme != "api" && !partner:
			drainBody(r)
			rhombusHTTPError(w, r, http.StatusUnauthorized, "Unknown x-auth-scheme")
			return
		case key != RhombusAPIKey:
			drainBody(r)
			rhombusHTTPError(w, r, http.StatusForbidden, "Invalid API key")
			return
		case partner && r.Header.Get("x-auth-org") != RhombusPartnerOrg:
			drainBody(r)
			rhombusHTTPError(w, r, http.StatusForbidden, "Partner key has no access to the organisation in x-auth-org")
			return
		}
		if ok, wait := take(s.rhombus.limiter); !ok {
			drainBody(r)
			s.throttled(w, wait, "Too many api requests. Enhance your calm.")
			return
		}
		h(w, r)
	}
}

// rhombusUsers is POST /api/user/getUsersInOrg {}.
func (s *Sandbox) rhombusUsers(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body); err != nil {
		rhombusHTTPError(w, r, http.StatusBadRequest, "Request body must be a JSON object")
		return
	}
	s.rhombus.mu.Lock()
	s.rhombus.listCalls++
	s.rhombus.mu.Unlock()
	users := make([]map[string]any, 0, len(s.users)+1)
	for i, u := range s.users {
		if i == 0 {
			// The first user's earlier account, removed but still listed
			// (as Rhombus lists deleted users): same email, another uuid.
			users = append(users, map[string]any{
				"uuid": rhombusDeletedTwin(u), "email": u.Email, "firstName": u.First, "lastName": u.Last,
				"name": u.Name(), "status": "ACTIVE", "deleted": true,
			})
		}
		users = append(users, map[string]any{
			"uuid": u.RhombusID(), "email": u.Email, "firstName": u.First, "lastName": u.Last,
			"name": u.Name(), "status": "ACTIVE", "deleted": false,
		})
	}
	rhombusJSON(w, http.StatusOK, map[string]any{"users": users})
}

// rhombusDeletedTwin is the uuid of a user's deleted earlier account.
func rhombusDeletedTwin(u User) string {
	id := []byte(u.RhombusID())
	id[0] = 'Z'
	if id[1] == 'Z' {
		id[1] = 'Y'
	}
	return string(id)
}

// rhombusFileResult is one entry of fileUploadResults.
type rhombusFileResult struct {
	FileName string `json:"fileName"`
	Success  bool   `json:"success"`
	Message  string `json:"message"`
}

// rhombusBulkUpload is POST /api/upload/bulkUploadUserProfilePhotos: file
// parts named "files" (Options.RhombusPartName), each matched to a user by
// its file name stem (email, case-insensitive, or 22-character uuid; uuid
// only with Options.RhombusMatch "uuid"); a deleted account matches
// nothing. The per-file results are in "fileUploadResults"
// (Options.RhombusResultsField). These details are not documented publicly.
func (s *Sandbox) rhombusBulkUpload(w http.ResponseWriter, r *http.Request) {
	if s.injectFaults(w, r) {
		return
	}
	defer drainBody(r)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		rhombusHTTPError(w, r, http.StatusBadRequest, "Content-Type must be multipart/form-data")
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		rhombusHTTPError(w, r, http.StatusBadRequest, "Unreadable multipart body")
		return
	}
	type file struct {
		name    string
		data    []byte
		tooBig  bool
		badPart bool
	}
	var files []file
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			rhombusHTTPError(w, r, http.StatusBadRequest, "Unreadable multipart body")
			return
		}
		if part.FormName() != s.rhombusPartName() || part.FileName() == "" {
			continue
		}
		if len(files) == s.rhombus.maxFiles {
			rhombusHTTPError(w, r, http.StatusBadRequest,
				fmt.Sprintf("Too many files: at most %d photos per request", s.rhombus.maxFiles))
			return
		}
		var buf bytes.Buffer
		n, err := io.Copy(&buf, io.LimitReader(part, s.rhombus.maxBytes+1))
		f := file{name: part.FileName(), data: buf.Bytes(), badPart: err != nil}
		if n > s.rhombus.maxBytes {
			f.tooBig, f.data = true, nil
			_, _ = io.Copy(io.Discard, part)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		rhombusJSON(w, http.StatusOK, map[string]any{"error": true, "errorMsg": "No files were found in the request", "warningMsg": nil})
		return
	}
	if bad := s.opts.RhombusBadFile; bad != "" {
		for _, f := range files {
			if strings.EqualFold(f.name, bad) {
				rhombusHTTPError(w, r, http.StatusInternalServerError, "Missing or invalid parameter")
				return
			}
		}
	}
	results := make([]rhombusFileResult, 0, len(files))
	for _, f := range files {
		res := rhombusFileResult{FileName: f.name}
		stem := strings.TrimSuffix(f.name, path.Ext(f.name))
		var u User
		known := false
		if s.opts.RhombusMatch != "uuid" {
			u, known = s.userByEmail(stem)
		}
		if !known {
			u, known = s.userBy(func(u User) bool { return u.RhombusID() == stem })
		}
		switch {
		case f.badPart:
			res.Message = "File could not be read"
		case f.tooBig:
			res.Message = fmt.Sprintf("File exceeds the maximum size of %d bytes", s.rhombus.maxBytes)
		case !isJPEGData(f.data) && !isPNGData(f.data):
			res.Message = "Unsupported image format: use JPEG or PNG"
		case !known:
			res.Message = "No user matches the file name " + f.name
		default:
			s.record("rhombus", u.Email, f.data)
			res.Success = true
		}
		results = append(results, res)
	}
	tx := make([]byte, 8)
	_, _ = rand.Read(tx)
	field := s.opts.RhombusResultsField
	if field == "" {
		field = "fileUploadResults"
	}
	rhombusJSON(w, http.StatusOK, map[string]any{field: results, "transactionId": hex.EncodeToString(tx)})
}

// rhombusPartName is the multipart field the bulk upload reads.
func (s *Sandbox) rhombusPartName() string {
	if s.opts.RhombusPartName != "" {
		return s.opts.RhombusPartName
	}
	return "files"
}
