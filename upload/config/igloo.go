package config

import (
	"headshot/upload"
	"headshot/upload/igloo"
)

func init() { builders[upload.Igloo] = buildIgloo }

func buildIgloo(c *Config) (upload.Client, error) {
	t, d := c.Igloo, igloo.Defaults()
	return igloo.New(igloo.Config{
		BaseURL:      t.BaseURL,
		CommunityKey: t.CommunityKey,
		AppID:        t.AppID,
		AppPassword:  t.AppPassword,
		Username:     t.Username,
		Password:     t.Password,
		Rate:         rateOr(t.Rate, d.Rate),
		Concurrency:  intOr(t.Concurrency, d.Concurrency),
		ChunkSize:    intOr(t.ChunkSize, d.ChunkSize),
		MaxBytes:     intOr(t.MaxBytes, d.MaxBytes),
		Timeout:      durationOr(t.Timeout, d.Timeout),
		MaxResumes:   intOr(t.MaxResumes, d.MaxResumes),
		ResumeDelay:  durationOr(t.ResumeDelay, d.ResumeDelay),
	})
}
