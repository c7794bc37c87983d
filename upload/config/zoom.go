package config

import (
	"headshot/upload"
	"headshot/upload/zoom"
)

func init() { builders[upload.Zoom] = buildZoom }

func buildZoom(c *Config) (upload.Client, error) {
	t, d := c.Zoom, zoom.Defaults()
	return zoom.New(zoom.Config{
		BaseURL:      strOr(t.BaseURL, d.BaseURL),
		TokenURL:     strOr(t.TokenURL, d.TokenURL),
		AccountID:    t.AccountID,
		ClientID:     t.ClientID,
		ClientSecret: t.ClientSecret,
		Rate:         rateOr(t.Rate, d.Rate),
		Concurrency:  intOr(t.Concurrency, d.Concurrency),
		MaxBytes:     intOr(t.MaxBytes, d.MaxBytes),
		Timeout:      durationOr(t.Timeout, d.Timeout),
		TokenMargin:  durationOr(t.TokenMargin, d.TokenMargin),
	})
}
