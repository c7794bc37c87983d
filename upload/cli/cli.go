// Package cli is the headless upload commands: `headshot upload`,
// `headshot history` and `headshot bench upload`.
package cli

import (
	"fmt"
	"slices"
	"strings"

	"headshot/upload"
	"headshot/upload/config"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// platformNames lists the platforms' names: "zoom, rhombus or netex".
func platformNames(conj string) string {
	var names []string
	for _, p := range upload.Platforms() {
		names = append(names, string(p))
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1]
}

// parsePlatforms reads --platform a,b.
func parsePlatforms(s string) ([]upload.Platform, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []upload.Platform
	for _, name := range strings.Split(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		ok := false
		for _, p := range upload.Platforms() {
			if string(p) == name {
				if !slices.Contains(out, p) { // "zoom,zoom" is zoom once
					out = append(out, p)
				}
				ok = true
			}
		}
		if !ok {
			return nil, fmt.Errorf("--platform: unknown platform %q (want %s)", name, platformNames("or"))
		}
	}
	return out, nil
}

// clientsFor builds the clients of the chosen platforms (all configured
// ones when none are chosen).
func clientsFor(cfg *config.Config, chosen []upload.Platform) ([]upload.Client, error) {
	if len(chosen) == 0 {
		return cfg.Clients()
	}
	var out []upload.Client
	for _, p := range chosen {
		c, err := cfg.Client(p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
