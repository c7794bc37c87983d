package upload

import (
	"fmt"
	"slices"
	"sync"
)

// Descriptor is everything headshot knows about one platform, registered by
// the platform's client package in its init function (the way rclone's
// backends register their RegInfo). Config files, setup, doctor, the
// environment variable names, the README's table and every platform list
// are derived from the descriptors; nothing else names a platform's keys
// or defaults.
type Descriptor struct {
	Name  Platform // the config table name, e.g. "zoom"
	Title string   // display name, e.g. "Netex learningCloud"
	Short string   // short name for tabs ("" : Title), e.g. "Netex"
	// Order places the platform in every list (panes, setup, reports):
	// lower first, then by Name.
	Order int
	// Summary is setup's one-line description of the credentials used,
	// e.g. "Server-to-Server OAuth app".
	Summary string
	// Console says where in the vendor's admin console the credentials are.
	Console string
	// CredentialHint says what to re-check when credentials are refused
	// ("check the API key and the auth scheme").
	CredentialHint string
	// URLKeys names the keys holding the platform's addresses (default
	// base_url): what to check when nothing answers there.
	URLKeys []string

	// Defaults returns the platform's settings struct (e.g. zoom.Config)
	// holding every default; it is the only place defaults live. Its
	// fields' `toml` tags are the table's keys; `kind` (secret, url,
	// choice), `choices`, `required`, `digits` and `max` tags describe them
	// (upload.Rate, time.Duration, bool and int fields need no kind).
	Defaults func() any
	// Fields are the keys setup asks for, in order, with their help: what
	// the value is and where in the console it is found. Every other key is
	// kept as the file has it.
	Fields []FieldHelp
	// New builds a client from settings of the Defaults type with every
	// unset value already filled from Defaults.
	New func(settings any) (Client, error)
}

// FieldHelp is one key setup shows and the help it prints under it.
type FieldHelp struct {
	Key  string
	Help string
}

var (
	registryMu sync.RWMutex
	registry   = map[Platform]*Descriptor{}
	ordered    []Platform
)

// Register adds a platform whose settings are C (e.g. zoom.Config), its
// defaults and its client's constructor, which fill d.Defaults and d.New. It
// panics on a duplicate or incomplete descriptor (a programming error found
// at start-up).
func Register[C any, T Client](d Descriptor, defaults func() C, newClient func(C) (T, error)) {
	d.Defaults = func() any { return defaults() }
	d.New = func(settings any) (Client, error) {
		cl, err := newClient(settings.(C))
		if err != nil {
			return nil, err
		}
		return cl, nil
	}
	if d.Name == "" || d.Title == "" {
		panic(fmt.Sprintf("upload.Register: incomplete descriptor %q", d.Name))
	}
	if len(d.URLKeys) == 0 {
		d.URLKeys = []string{"base_url"}
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[d.Name]; dup {
		panic(fmt.Sprintf("upload.Register: %q registered twice", d.Name))
	}
	registry[d.Name] = &d
	ordered = append(ordered, d.Name)
	slices.SortStableFunc(ordered, func(a, b Platform) int {
		if oa, ob := registry[a].Order, registry[b].Order; oa != ob {
			return oa - ob
		}
		return compareNames(a, b)
	})
}

func compareNames(a, b Platform) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Lookup finds a registered platform.
func Lookup(p Platform) (*Descriptor, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	d, ok := registry[p]
	return d, ok
}

// Platforms lists every registered platform in display order.
func Platforms() []Platform {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return slices.Clone(ordered)
}

// Title is the platform's display name (its name when not registered).
func (p Platform) Title() string {
	if d, ok := Lookup(p); ok {
		return d.Title
	}
	return string(p)
}

// ShortTitle is the platform's short name for narrow places (its Title
// when it has none).
func (p Platform) ShortTitle() string {
	if d, ok := Lookup(p); ok && d.Short != "" {
		return d.Short
	}
	return p.Title()
}
