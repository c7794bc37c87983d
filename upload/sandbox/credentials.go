package sandbox

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

// Credentials are the base URLs and credentials of each emulated platform,
// named like the config file's keys.
type Credentials struct {
	Zoom struct {
		BaseURL, TokenURL, AccountID, ClientID, ClientSecret string
	}
	Rhombus struct {
		BaseURL, APIKey string
	}
	Igloo struct {
		BaseURL, CommunityKey, AppID, AppPassword, Username, Password string
	}
	Interact struct {
		BaseURL, DomainID, APIKey string
	}
	Netex struct {
		BaseURL, Token string
	}
	M365 struct {
		BaseURL, TokenURL, TenantID, ClientID, ClientSecret string
	}
	Google struct {
		BaseURL, AdminEmail string
		// KeyJSON is the service account key (token_uri pointing at the
		// sandbox); whoever configures headshot writes it to a 0600 file.
		KeyJSON []byte
	}
}

// Credentials returns the sandbox's endpoints and demo credentials.
func (s *Sandbox) Credentials() Credentials {
	var c Credentials
	c.Zoom.BaseURL = s.URL + "/zoom/v2"
	c.Zoom.TokenURL = s.URL + "/zoom/oauth/token"
	c.Zoom.AccountID, c.Zoom.ClientID, c.Zoom.ClientSecret = ZoomAccountID, ZoomClientID, ZoomClientSecret
	c.Rhombus.BaseURL, c.Rhombus.APIKey = s.URL+"/rhombus", RhombusAPIKey
	c.Igloo.BaseURL = s.URL + "/igloo"
	c.Igloo.CommunityKey, c.Igloo.AppID, c.Igloo.AppPassword = IglooCommunityKey, IglooAppID, IglooAppPassword
	c.Igloo.Username, c.Igloo.Password = IglooUsername, IglooPassword
	c.Interact.BaseURL, c.Interact.DomainID, c.Interact.APIKey = s.URL+"/interact", InteractDomainID, InteractAPIKey
	c.Netex.BaseURL, c.Netex.Token = s.URL+"/netex", NetexToken
	c.M365.BaseURL, c.M365.TokenURL = s.URL+"/m365/v1.0", s.URL+"/m365/"+M365TenantID+"/oauth2/v2.0/token"
	c.M365.TenantID, c.M365.ClientID, c.M365.ClientSecret = M365TenantID, M365ClientID, M365ClientSecret
	c.Google.BaseURL, c.Google.AdminEmail, c.Google.KeyJSON = s.URL+"/google", GoogleAdminEmail, s.GoogleKeyJSON()
	return c
}
