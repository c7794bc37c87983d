package config

import (
	"fmt"
	"sort"
	"strings"
)

// EnvJournal overrides the journal path.
const EnvJournal = "HEADSHOT_JOURNAL"

// applyEnv lets HEADSHOT_<TABLE>_<KEY> win over the file for every key of
// every table present in the file (a table still has to be in the file for
// its platform to be used). Save writes the file's own values back.
func (c *Config) applyEnv(lookup func(string) (string, bool)) error {
	var errs []string
	set := func(table, key, variable, value string) {
		old := c.Get(table, key)
		if table == "" {
			old = c.Journal
			c.Journal = value
		} else if err := c.Set(table, key, value); err != nil {
			// Set's message names [table] key; say which variable it came from.
			errs = append(errs, fmt.Sprintf("%s: %s", variable, strings.TrimPrefix(err.Error(), fmt.Sprintf("[%s] %s: ", table, key))))
			return
		}
		if c.env == nil {
			c.env = map[string]envOverride{}
		}
		id := table + "." + key
		if prev, ok := c.env[id]; ok {
			old = prev.file
		}
		now := c.Journal
		if table != "" {
			now = c.Get(table, key) // as Get writes it: "1m" for "60s"
		}
		c.env[id] = envOverride{variable: variable, file: old, value: now}
	}
	if v, ok := lookup(EnvJournal); ok && v != "" {
		set("", "journal", EnvJournal, v)
	}
	for _, table := range Tables() {
		if !c.HasTable(table) {
			continue
		}
		for _, f := range Fields(table) {
			if v, ok := lookup(f.EnvVar()); ok && v != "" {
				set(table, f.Key, f.EnvVar(), v)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("environment: %s", strings.Join(errs, "\n"))
	}
	return nil
}

// FromEnv names the environment variable a key's value came from ("" when
// it came from the file or a default).
func (c *Config) FromEnv(table, key string) string {
	if o, ok := c.env[table+"."+key]; ok {
		return o.variable
	}
	return ""
}

// EnvVars names the environment variables that set keys of table, sorted
// (none when every value came from the file or a default). Doctor and
// upload name them when a platform refuses its credentials: editing the
// file cannot fix a value the environment overrides.
func (c *Config) EnvVars(table string) []string {
	var out []string
	for id, o := range c.env {
		if strings.HasPrefix(id, table+".") {
			out = append(out, o.variable)
		}
	}
	sort.Strings(out)
	return out
}
