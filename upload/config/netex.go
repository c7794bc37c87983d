package config

import (
	"headshot/upload"
	"headshot/upload/netex"
)

func init() { builders[upload.Netex] = buildNetex }

func buildNetex(c *Config) (upload.Client, error) {
	t, d := c.Netex, netex.Defaults()
	return netex.New(netex.Config{
		BaseURL:         t.BaseURL,
		PathPrefix:      strOr(t.PathPrefix, d.PathPrefix),
		Token:           t.Token,
		Synchronization: strOr(t.Synchronization, d.Synchronization),
		Accept:          strOr(t.Accept, d.Accept),
		Rate:            rateOr(t.Rate, d.Rate),
		Concurrency:     intOr(t.Concurrency, d.Concurrency),
		MaxBytes:        intOr(t.MaxBytes, d.MaxBytes),
		Timeout:         durationOr(t.Timeout, d.Timeout),
		PageSize:        intOr(t.PageSize, d.PageSize),
		UserCacheTTL:    durationOr(t.UserCacheTTL, d.UserCacheTTL),
	})
}
