package config

import (
	"headshot/upload"
	"headshot/upload/interact"
)

func init() { builders[upload.Interact] = buildInteract }

func buildInteract(c *Config) (upload.Client, error) {
	t, d := c.Interact, interact.Defaults()
	return interact.New(interact.Config{
		BaseURL:           t.BaseURL,
		DomainID:          t.DomainID,
		APIKey:            t.APIKey,
		APIKeyHeader:      strOr(t.APIKeyHeader, d.APIKeyHeader),
		PersonRoute:       strOr(t.PersonRoute, d.PersonRoute),
		UsernameFromEmail: t.UsernameFromEmail, // nil: the client's default
		Rate:              rateOr(t.Rate, d.Rate),
		Concurrency:       intOr(t.Concurrency, d.Concurrency),
		MaxBytes:          intOr(t.MaxBytes, d.MaxBytes),
		Timeout:           durationOr(t.Timeout, d.Timeout),
	})
}
