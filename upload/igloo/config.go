package igloo

import (
	"fmt"
	"headshot/upload/apihttp"
	"strings"
	"time"

	"headshot/upload"
)

// Config is the [igloo] table of the config file.
// The tags are the TOML keys and describe them to setup and doctor (see
// upload.Descriptor).
type Config struct {
	BaseURL      string         `toml:"base_url" kind:"url" required:"true"`         // the workplace host, e.g. https://acme.igloocommunities.com
	CommunityKey string         `toml:"community_key" required:"true" digits:"true"` // integer community key
	AppID        string         `toml:"app_id" required:"true"`                      // API application id
	AppPassword  apihttp.Secret `toml:"app_password" kind:"secret" required:"true"`  // never logged
	Username     string         `toml:"username" required:"true"`                    // an administrator (changing others' photos needs admin)
	Password     apihttp.Secret `toml:"password" kind:"secret" required:"true"`      // never logged
	// Login is the session login: "v1" (the documented one; every
	// community with SAML sign-on must use it) or "v2" (seen in public
	// client code).
	Login string `toml:"login" kind:"choice" choices:"v1,v2"`
	// CommunityAddress is the v1 login's community field, the workplace's
	// address ("": base_url) [A: Igloo's pages disagree on URL or host].
	CommunityAddress string `toml:"community_address"`
	// SearchRows is the member search's page size (the server's default is
	// 10); pages are read on while full, up to maxSearchPages.
	SearchRows int `toml:"search_rows"`
	// MemberList "auto" reads the community's member list in pages once
	// per run (community/members/viewsmall) when a run looks up enough
	// people for that to take fewer requests than a search each; people
	// it does not hold (a hidden email, say) are searched for. "off":
	// one member search per person.
	MemberList string `toml:"member_list" kind:"choice" choices:"auto,off"`
	// ListPageSize is the member list's page size (maxcount) [A: no
	// maximum is documented]; pages are read until totalCount.
	ListPageSize int `toml:"list_page_size"`
	// LookupRate paces the member list and search (v1 API), apart from the
	// uploads' Rate; slowed further to the answers' minRequestPeriod. [A]
	LookupRate upload.Rate `toml:"lookup_rate"`
	// PeopleTTL is how long later runs reuse a member this one found.
	PeopleTTL time.Duration `toml:"people_ttl"`
	// Rate paces the login and every upload step (one upload costs at
	// least three); the member list and search have LookupRate. [A]
	apihttp.Settings       // rate, concurrency, max_bytes, timeout
	ChunkSize        int64 `toml:"chunk_size"` // bytes per PATCH
	// MaxResumes bounds how often one upload queries the stored length and
	// resumes after a dropped connection, a timeout, a 5xx or a 416.
	MaxResumes int `toml:"max_resumes"`
	// ResumeDelay is the pause before each resume (0 when built directly
	// with New: none).
	ResumeDelay time.Duration `toml:"resume_delay"`
}

func init() {
	upload.Register(upload.Descriptor{
		Name: upload.Igloo, Title: "Igloo", Order: 30,
		Summary:        "API app + admin account",
		Console:        "Igloo Control Panel > API/Apps",
		CredentialHint: "check the app ID and password and the administrator's user name and password",
		Fields: []upload.FieldHelp{
			{Key: "base_url", Help: "Your workplace address, e.g. https://yourcompany.igloocommunities.com"},
			{Key: "community_key", Help: "Control Panel > API/Apps: the community key (a number) shown with your app."},
			{Key: "app_id", Help: "Control Panel > API/Apps: the app's ID."},
			{Key: "app_password", Help: "Control Panel > API/Apps: the app's password."},
			{Key: "username", Help: "An administrator the app signs in as (Control Panel > Members)."},
			{Key: "password", Help: "That administrator's password."},
			{Key: "rate", Help: "Requests per second (none documented; 5/s is gentle)."},
		},
	}, Defaults, New)
}

// Defaults are the documented values and the [A] assumptions.
func Defaults() Config {
	return Config{
		ChunkSize:    256 * 1024,
		MaxResumes:   5,
		ResumeDelay:  250 * time.Millisecond,
		Settings:     apihttp.Settings{Rate: upload.Rate{N: 5, Per: time.Second}, Concurrency: 4, MaxBytes: 5 * 1024 * 1024, Timeout: 30 * time.Second},
		Login:        LoginV1,
		SearchRows:   50,
		MemberList:   MemberListAuto,
		ListPageSize: 1000,
		LookupRate:   upload.Rate{N: 5, Per: time.Second},
		PeopleTTL:    24 * time.Hour,
	}
}

// The member_list choices.
const (
	MemberListAuto = "auto" // list the members once per run when it saves requests
	MemberListOff  = "off"  // one member search per person
)

// The session logins Igloo offers.
const (
	LoginV1 = "v1" // POST /.api/api.svc/session/create (form) -> response.sessionKey
	LoginV2 = "v2" // POST /.api2/api/Session/Create (JSON) -> TokenId
)

// validate fills zero values from Defaults and checks the rest; errors name
// the TOML key and never echo a password.
func (c *Config) validate() error {
	upload.FillDefaults(c, Defaults())
	if c.ResumeDelay < 0 {
		c.ResumeDelay = 0
	}
	if c.Login != LoginV1 && c.Login != LoginV2 {
		return fmt.Errorf("igloo: login %q: want %q (the default; needed on SAML communities) or %q", c.Login, LoginV1, LoginV2)
	}
	if c.MemberList != MemberListAuto && c.MemberList != MemberListOff {
		return fmt.Errorf("igloo: member_list %q: want %q or %q", c.MemberList, MemberListAuto, MemberListOff)
	}
	raw := strings.TrimSpace(c.BaseURL)
	if raw == "" {
		return fmt.Errorf("igloo: base_url is missing (your workplace's address, e.g. https://acme.igloocommunities.com)")
	}
	base, err := apihttp.CheckURL("igloo", "base_url", raw)
	if err != nil {
		return err
	}
	c.BaseURL = base
	c.CommunityAddress = strings.TrimSpace(c.CommunityAddress)
	if c.CommunityAddress == "" {
		c.CommunityAddress = base
	}
	c.CommunityKey = strings.TrimSpace(c.CommunityKey)
	if c.CommunityKey == "" {
		return fmt.Errorf("igloo: community_key is missing")
	}
	for _, r := range c.CommunityKey {
		if r < '0' || r > '9' {
			return fmt.Errorf("igloo: community_key %q is not an integer", c.CommunityKey)
		}
	}
	for _, f := range []struct{ key, val string }{{"app_id", c.AppID}, {"app_password", string(c.AppPassword)},
		{"username", c.Username}, {"password", string(c.Password)}} {
		if strings.TrimSpace(f.val) == "" {
			return fmt.Errorf("igloo: %s is missing", f.key)
		}
	}
	return nil
}
