package m365

import "headshot/upload"

func init() {
	upload.Register(upload.Descriptor{
		Name: Platform, Title: Title, Short: "M365", Order: 60,
		Summary: "Entra app registration, client credentials",
		Console: "Microsoft Entra admin center > Identity > Applications > App registrations > your app",
		CredentialHint: "check tenant_id, client_id and the client secret (it may have expired) or certificate_file; " +
			"the app needs the application permission ProfilePhoto.ReadWrite.All and User.Read.All (or User.ReadWrite.All) with admin consent granted",
		URLKeys: []string{"base_url", "token_url"},
		Fields: []upload.FieldHelp{
			{Key: "tenant_id", Help: "Directory (tenant) ID, on the app registration's Overview page (or a verified domain such as contoso.onmicrosoft.com)."},
			{Key: "client_id", Help: "Application (client) ID, on the same Overview page."},
			{Key: "client_secret", Help: "A client secret's Value (not its ID), from Certificates & secrets. " +
				"Under API permissions add the Microsoft Graph *application* permissions ProfilePhoto.ReadWrite.All and User.Read.All " +
				"(or User.ReadWrite.All alone), then press \"Grant admin consent\": an administrator must consent, or every call is refused 403. " +
				"Leave empty when you use certificate_file."},
			{Key: "certificate_file", Help: "Instead of a secret: a PEM file with the certificate uploaded under Certificates & secrets and its private key (keep it 0600)."},
			{Key: "base_url", Help: "Change only for a national cloud (e.g. https://graph.microsoft.us/v1.0), a proxy or the sandbox."},
			{Key: "token_url", Help: "Empty: https://login.microsoftonline.com/{tenant_id}/oauth2/v2.0/token. Change only with base_url."},
			{Key: "rate", Help: "Photo writes per second (default 10/s); Graph allows 4 requests in flight per app for photos."},
		},
	}, Defaults, New)
}
