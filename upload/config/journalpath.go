package config

import (
	"os"

	"headshot/upload/journal"
)

// JournalPath is the one rule for the journal every command shares: the
// --journal flag, else the config's journal key (HEADSHOT_JOURNAL wins over
// it, see Load), else HEADSHOT_JOURNAL on its own (no config file), else
// journal.DefaultPath. The browser, upload, history and doctor all use it,
// so a photo uploaded from one is skipped by the others.
func JournalPath(flag string, cfg *Config) string {
	switch {
	case flag != "":
		return flag
	case cfg != nil && cfg.Journal != "":
		return cfg.Journal
	case os.Getenv(EnvJournal) != "":
		return os.Getenv(EnvJournal)
	}
	return journal.DefaultPath()
}
