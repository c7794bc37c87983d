// Package cli is the headless upload commands: `headshot upload`,
// `headshot history` and `headshot bench upload`.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/journal"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// newFlags is a flag set that reports to stderr and never exits.
func newFlags(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
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
		for _, p := range upload.Platforms {
			if string(p) == name {
				if !slices.Contains(out, p) { // "zoom,zoom" is zoom once
					out = append(out, p)
				}
				ok = true
			}
		}
		if !ok {
			return nil, fmt.Errorf("--platform: unknown platform %q (want zoom, rhombus, igloo, interact or netex)", name)
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

// journalPath is the journal every command shares: --journal, else the
// config's journal key (HEADSHOT_JOURNAL wins over it), else
// HEADSHOT_JOURNAL on its own (no config file), else the XDG default. The
// TUI resolves it the same way, so a photo uploaded from either is skipped
// by the other.
func journalPath(flagValue string, cfg *config.Config) string {
	switch {
	case flagValue != "":
		return flagValue
	case cfg != nil && cfg.Journal != "":
		return cfg.Journal
	case os.Getenv(config.EnvJournal) != "":
		return os.Getenv(config.EnvJournal)
	}
	return journal.DefaultPath()
}

// parseInterspersed parses flags wherever they stand among the operands
// (`headshot upload photos/ --dry-run`, as `headshot prep` allows), and
// returns the operands; everything after "--" is an operand.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return operands, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(operands, rest...), nil
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}
