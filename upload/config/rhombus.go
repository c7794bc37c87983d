package config

import (
	"headshot/upload"
	"headshot/upload/rhombus"
)

func init() { builders[upload.Rhombus] = buildRhombus }

func buildRhombus(c *Config) (upload.Client, error) {
	t, d := c.Rhombus, rhombus.Defaults()
	return rhombus.New(rhombus.Config{
		BaseURL:     strOr(t.BaseURL, d.BaseURL),
		APIKey:      t.APIKey,
		AuthScheme:  strOr(t.AuthScheme, d.AuthScheme),
		Org:         t.Org,
		Rate:        rateOr(t.Rate, d.Rate),
		Concurrency: intOr(t.Concurrency, d.Concurrency),
		BatchSize:   intOr(t.BatchSize, d.BatchSize),
		MaxBytes:    intOr(t.MaxBytes, d.MaxBytes),
		Timeout:     durationOr(t.Timeout, d.Timeout),
		PartName:    strOr(t.PartName, d.PartName),
		UsersTTL:    durationOr(t.UsersTTL, d.UsersTTL),
	})
}
