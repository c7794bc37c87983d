package config

import (
	"path/filepath"
	"testing"
)

// One rule for every command: --journal, the config's key, then
// HEADSHOT_JOURNAL alone, then the XDG default.
func TestJournalPath(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv(EnvJournal, "")
	def := filepath.Join(state, "headshot", "journal.db")
	withKey := &Config{Journal: "/cfg/j.db"}
	for _, c := range []struct {
		name, flag, env string
		cfg             *Config
		want            string
	}{
		{"flag wins", "/flag/j.db", "/env/j.db", withKey, "/flag/j.db"},
		{"config key", "", "", withKey, "/cfg/j.db"},
		{"environment without a config", "", "/env/j.db", nil, "/env/j.db"},
		{"environment, config without the key", "", "/env/j.db", &Config{}, "/env/j.db"},
		{"default", "", "", nil, def},
		{"default, config without the key", "", "", &Config{}, def},
	} {
		t.Setenv(EnvJournal, c.env)
		if got := JournalPath(c.flag, c.cfg); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
