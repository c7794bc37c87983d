package google

import "headshot/upload"

func init() {
	upload.Register(upload.Descriptor{
		Name: Platform, Title: Title, Short: "Google", Order: 70,
		Summary: "service account, domain-wide delegation",
		Console: "Google Cloud console > IAM & Admin > Service accounts (key); Admin console > Security > Access and data control > API controls > Domain-wide delegation",
		CredentialHint: "check credentials_file (a current JSON key of the service account), admin_email (an administrator who may manage users) " +
			"and that the service account's client ID has domain-wide delegation for " + Scope,
		Fields: []upload.FieldHelp{
			{Key: "credentials_file", Help: "Path of the service account's JSON key (Google Cloud console > IAM & Admin > Service accounts > Keys > Add key > JSON). " +
				"It holds a private key: keep it readable by you only (chmod 600). Enable the Admin SDK API in the same project."},
			{Key: "admin_email", Help: "A Workspace administrator the service account acts as (domain-wide delegation's subject); it must be allowed to manage users. " +
				"In the Admin console > Security > Access and data control > API controls > Manage Domain Wide Delegation, add the service account's client ID " +
				"with the scope " + Scope + "."},
			{Key: "base_url", Help: "Change only for a proxy or the sandbox (the key file's token_uri says where tokens come from)."},
			{Key: "photo_padding", Help: "How the photo's base64 padding is written: equals (the default, as Google's own clients send it), asterisk or period " +
				"(the two spellings Google's UserPhoto page gives), or none. Change it only if Google refuses photoData as invalid."},
			{Key: "rate", Help: "Photo uploads per second (default 20/s: the Directory API allows 2,400 queries a minute per user, two per photo)."},
		},
	}, Defaults, New)
}
