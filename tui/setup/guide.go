package setup

import "headshot/upload"

// where says where in each vendor's admin console the credentials are.
var where = map[upload.Platform]string{
	upload.Zoom:     "Zoom App Marketplace > Develop > Build App > Server-to-Server OAuth > App Credentials",
	upload.Rhombus:  "Rhombus Console > Settings > API Management",
	upload.Igloo:    "Igloo Control Panel > API/Apps",
	upload.Interact: "Interact Admin > People > Profile Sources (the General Profile Source)",
	upload.Netex:    "learningCloud > Administration > Integrations > token",
}

// summary is the one-line description in the platform list.
var summary = map[upload.Platform]string{
	upload.Zoom:     "Server-to-Server OAuth app",
	upload.Rhombus:  "API token",
	upload.Igloo:    "API app + admin account",
	upload.Interact: "General Profile Source key",
	upload.Netex:    "integration token",
}

// shown are the keys setup asks for, in order. Every other key of the table
// (concurrency, max_bytes, timeout, ...) is kept as the file has it.
var shown = map[upload.Platform][]string{
	upload.Zoom:     {"account_id", "client_id", "client_secret", "base_url", "token_url", "rate"},
	upload.Rhombus:  {"api_key", "auth_scheme", "org", "base_url", "rate"},
	upload.Igloo:    {"base_url", "community_key", "app_id", "app_password", "username", "password", "rate"},
	upload.Interact: {"base_url", "domain_id", "api_key", "person_route", "rate"},
	upload.Netex:    {"base_url", "token", "synchronization", "rate"},
}

// help explains each key: what it is and where the value is found.
var help = map[upload.Platform]map[string]string{
	upload.Zoom: {
		"account_id":    "Account ID, on the app's App Credentials page.",
		"client_id":     "Client ID, on the App Credentials page.",
		"client_secret": "Client Secret, on the App Credentials page. The app needs the user read and write admin scopes.",
		"base_url":      "Empty: https://api.zoom.us/v2. Change only for a proxy or the sandbox.",
		"token_url":     "Empty: https://zoom.us/oauth/token.",
		"rate":          "Requests per second your account allows for user endpoints (Pro: 20/s).",
	},
	upload.Rhombus: {
		"api_key":     "Settings > API Management > Create API token. The key is shown once when created.",
		"auth_scheme": "api-token for an ordinary token; partner-api-token for partner keys (then set org).",
		"org":         "Partner schemes only: the client organisation's UUID.",
		"base_url":    "Empty: https://api2.rhombussystems.com.",
		"rate":        "Requests per second (documented: 10/s).",
	},
	upload.Igloo: {
		"base_url":      "Your workplace address, e.g. https://yourcompany.igloocommunities.com",
		"community_key": "Control Panel > API/Apps: the community key (a number) shown with your app.",
		"app_id":        "Control Panel > API/Apps: the app's ID.",
		"app_password":  "Control Panel > API/Apps: the app's password.",
		"username":      "An administrator the app signs in as (Control Panel > Members).",
		"password":      "That administrator's password.",
		"rate":          "Requests per second (none documented; 5/s is gentle).",
	},
	upload.Interact: {
		"base_url":     "Your intranet address, e.g. https://intranet.example.com",
		"domain_id":    "Admin > People > Profile Sources: the General Profile Source's domain id (a number).",
		"api_key":      "Same page: the profile source's API key.",
		"person_route": "How people are matched: username (default), person (person id) or umiid.",
		"rate":         "Interact allows 6 requests per minute: keep 6/min.",
	},
	upload.Netex: {
		"base_url":        "Your tenant's integration host, e.g. https://yourcompany.netexlearning.cloud",
		"token":           "Administration > Integrations: the integration token.",
		"synchronization": "synchronous (default) waits for every sub-platform; asynchronous queues the change.",
		"rate":            "Requests per second (none documented; 5/s is gentle).",
	},
}

// label is a key as people read it.
func label(key string) string {
	b := []byte(key)
	for i, c := range b {
		if c == '_' {
			b[i] = ' '
		}
	}
	return string(b)
}
