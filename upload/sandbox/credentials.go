package sandbox

import (
	"maps"
	"slices"
	"strings"

	"headshot/upload"
)

// Demo credentials the sandbox accepts. They are not secrets: they exist only
// on loopback, and `headshot sandbox` prints them so a technician can try the
// product (or `headshot setup`) against the emulators.
const (
	ZoomAccountID     = "sandbox-account"
	ZoomClientID      = "sandbox-client-id"
	ZoomClientSecret  = "sandbox-client-secret"
	RhombusAPIKey     = "sandbox-rhombus-key"
	IglooCommunityKey = "10"
	IglooAppID        = "sandbox-app"
	IglooAppPassword  = "sandbox-app-password"
	IglooUsername     = "admin@example.com"
	IglooPassword     = "sandbox-admin-password"
	InteractDomainID  = "1000"
	InteractAPIKey    = "sandbox-interact-key"
	NetexToken        = "sandbox-netex-token"
)

// Emulator is one platform's emulator, registered by its file of this
// package in an init function (the sandbox's side of upload.Descriptor).
type Emulator struct {
	// Platform is the config table the emulator answers for, e.g. "zoom".
	Platform string
	// Mount adds the emulator's routes (under /<Platform>) and state.
	Mount func(*Sandbox)
	// Demo lists the config keys and values that point headshot at the
	// emulator (its base URLs under url, the sandbox's, and the demo
	// credentials it accepts), in the order the config snippet writes them.
	Demo func(url string) [][2]string
	// Rate is the limit the emulator enforces, N per RateUnit ("s", "min"),
	// when the config snippet should set a matching rate under a rate
	// scale (0: it sets none).
	Rate     float64
	RateUnit string
	// Files gives config keys whose value is the path of a file the
	// emulator hands out (Google's service-account key), writing the files
	// (mode 0600; Close removes them).
	Files func(*Sandbox) map[string]string
}

// emulators are the registered emulators.
var emulators []Emulator

// register adds an emulator; each platform file calls it from init.
func register(e Emulator) { emulators = append(emulators, e) }

// Emulators lists the registered emulators in the platforms' display order
// (emulated platforms this build has no client for come last, by name).
func Emulators() []Emulator {
	order := upload.Platforms()
	rank := func(e Emulator) int {
		if i := slices.Index(order, upload.Platform(e.Platform)); i >= 0 {
			return i
		}
		return len(order)
	}
	out := slices.Clone(emulators)
	slices.SortStableFunc(out, func(a, b Emulator) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Platform, b.Platform)
	})
	return out
}

// Credentials are the base URLs and demo credentials of each emulated
// platform: table name -> config key -> value (config.FromValues reads it).
type Credentials map[string]map[string]string

// Credentials returns the sandbox's endpoints and demo credentials.
func (s *Sandbox) Credentials() Credentials {
	c := Credentials{}
	for _, e := range emulators {
		t := map[string]string{}
		for _, kv := range e.demo(s) {
			t[kv[0]] = kv[1]
		}
		c[e.Platform] = t
	}
	return c
}

// demo is Demo plus the emulator's Files, keys in order.
func (e Emulator) demo(s *Sandbox) [][2]string {
	out := e.Demo(s.URL)
	if e.Files != nil {
		files := e.Files(s)
		for _, key := range slices.Sorted(maps.Keys(files)) {
			out = append(out, [2]string{key, files[key]})
		}
	}
	return out
}
