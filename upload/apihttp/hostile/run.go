package hostile

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"headshot/upload"
)

// Check asserts that no secret reached what one client call returned
// (see NoSecret); call names the call in a failure.
type Check func(call string, err error, results ...any)

// Leaks runs one subtest per Mode, named prefix+mode, against a New
// server (pass and next as for New). run builds a client for the server's
// base URL and makes its calls, handing each one's error and results to
// check. Afterwards no secret and no credential header may have reached
// the other host.
func Leaks(t *testing.T, prefix string, secrets []string, pass func(*http.Request) bool, next http.Handler,
	run func(t *testing.T, ctx context.Context, baseURL string, check Check)) {
	t.Helper()
	for _, m := range Modes() {
		t.Run(prefix+string(m), func(t *testing.T) {
			h := New(t, m, secrets, pass, next)
			run(t, context.Background(), h.URL, func(call string, err error, results ...any) {
				t.Helper()
				NoSecret(t, call, secrets, err, results...)
			})
			if f := h.Forwarded(); len(f) > 0 {
				t.Errorf("credentials forwarded to another host: %v", f)
			}
		})
	}
}

// Garbage runs one subtest per GarbageModes mode against a New server
// (no secrets; pass and next as for New); run builds a client for the
// server's base URL and asserts with WantError and MayFail.
func Garbage(t *testing.T, pass func(*http.Request) bool, next http.Handler,
	run func(t *testing.T, ctx context.Context, m Mode, baseURL string)) {
	t.Helper()
	for _, m := range GarbageModes() {
		t.Run(string(m), func(t *testing.T) {
			h := New(t, m, nil, pass, next)
			run(t, context.Background(), m, h.URL)
		})
	}
}

// IsUploadError reports whether err is an *upload.Error.
func IsUploadError(err error) bool { _, ok := upload.AsError(err); return ok }

// WantError is WantClientError with IsUploadError: err must be a
// non-nil, one-line *upload.Error.
func WantError(t testing.TB, context string, err error) {
	t.Helper()
	WantClientError(t, context, err, IsUploadError)
}

// MayFail fails t when err is neither nil nor an *upload.Error.
func MayFail(t testing.TB, context string, err error) {
	t.Helper()
	if err != nil && !IsUploadError(err) {
		t.Errorf("%s: %T %v", context, err, err)
	}
}

// URLSecret stands for a secret pasted into a URL field of the config.
const URLSecret = "S3CRET-in-the-wrong-field"

// BadURLs are URL values holding URLSecret: the bare secret, as userinfo
// of host, in a query, and behind an unsupported scheme.
func BadURLs(host string) []string {
	return []string{URLSecret, "https://u:" + URLSecret + "@" + host, "https://h/?k=" + URLSecret, "gopher://" + URLSecret}
}

// NewRefusesURLs fails t unless, for each of raws, the client's newFn
// refuses config(raw) (a config with raw in its field key) with an error
// that names key and does not repeat URLSecret.
func NewRefusesURLs[C, K any](t testing.TB, key string, raws []string, config func(raw string) C, newFn func(C) (K, error)) {
	t.Helper()
	for _, raw := range raws {
		if _, err := newFn(config(raw)); err == nil || !strings.Contains(err.Error(), key) || strings.Contains(err.Error(), URLSecret) {
			t.Errorf("%s %q: %v", key, raw, err)
		}
	}
}

// PrintsNoSecret fails t when printing v (%v, %+v, %#v, %s, as a
// debugging line might) shows any of secrets.
func PrintsNoSecret(t testing.TB, v any, secrets ...string) {
	t.Helper()
	out := fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
	for _, sec := range secrets {
		if strings.Contains(out, sec) {
			t.Fatalf("%q in %s", sec, out)
		}
	}
}

// DotSegmentsRefused fails t unless, for a person key or id of "." and
// "..", cl's Resolve fails and its Upload of p fails locally (a server
// would resolve the segment to another endpoint, so nothing may be sent).
func DotSegmentsRefused(t testing.TB, cl upload.Client, p upload.Photo) {
	t.Helper()
	ctx := context.Background()
	for _, k := range []string{".", ".."} {
		if _, err := cl.Resolve(ctx, k); err == nil {
			t.Errorf("Resolve(%q) accepted", k)
		}
		_, err := cl.Upload(ctx, upload.Target{Person: "x", ID: k}, p)
		if e, ok := upload.AsError(err); !ok || !e.Local {
			t.Errorf("Upload(%q): %v", k, err)
		}
	}
}

// Hanging starts a server that answers nothing: each request waits until
// the client gives it up or the test ends. It closes at the end of the
// test.
func Hanging(t testing.TB) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: frees the handlers so Close returns
	return srv
}

// ConfigCase spoils a good config: after Mut, New must refuse it with an
// error naming Want.
type ConfigCase[C any] struct {
	Mut  func(*C)
	Want string
}

// NewRefusesConfigs fails t unless, for each case, the client's newFn
// refuses good as the case spoils it, with an error naming the case's Want
// and not repeating secret (a credential set in good).
func NewRefusesConfigs[C, K any](t testing.TB, good C, secret string, newFn func(C) (K, error), cases map[string]ConfigCase[C]) {
	t.Helper()
	for name, tc := range cases {
		cfg := good
		tc.Mut(&cfg)
		_, err := newFn(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.Want) {
			t.Errorf("%s: error %v does not name %s", name, err, tc.Want)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error echoes %q", name, secret)
		}
	}
}

// Calls makes cl's three calls in order (Check; Resolve of person; Upload
// of p to target), handing each one's error and result to check.
func Calls(t testing.TB, ctx context.Context, cl upload.Client, check Check, person string, target upload.Target, p upload.Photo) {
	t.Helper()
	check("Check", cl.Check(ctx))
	tg, err := cl.Resolve(ctx, person)
	check("Resolve", err, tg)
	rc, err := cl.Upload(ctx, target, p)
	check("Upload", err, rc)
}

// GarbageRefused fails t unless cl's Check and its Resolve of person fail
// as *upload.Errors (WantError) and its Upload of p to target either
// succeeds or fails as one (MayFail).
func GarbageRefused(t testing.TB, ctx context.Context, cl upload.Client, person string, target upload.Target, p upload.Photo) {
	t.Helper()
	WantError(t, "Check", cl.Check(ctx))
	_, err := cl.Resolve(ctx, person)
	WantError(t, "Resolve", err)
	_, err = cl.Upload(ctx, target, p)
	MayFail(t, "Upload", err)
}
