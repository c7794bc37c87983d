package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"headshot/imageprep/textsafe"
)

const header = `# headshot config: one table per platform; a table present means the
# platform is used. Written by headshot setup (mode 0600). Secrets may instead
# come from HEADSHOT_<TABLE>_<KEY> environment variables. See README.md,
# "Configuration". Comments added by hand are not kept when setup saves.

`

// fileView is what Save writes: the current values, except that a key the
// environment overrode (and nobody changed since) keeps the file's value, so
// a secret from the environment never lands in the file.
func (c *Config) fileView() *Config {
	out := c.Clone()
	out.env = nil
	for id, o := range c.env {
		table, key, _ := strings.Cut(id, ".")
		if table == "" {
			if out.Journal == o.value {
				out.Journal = o.file
			}
			continue
		}
		if out.Get(table, key) == o.value {
			_ = out.Set(table, key, o.file) // the file's value passed Check on load
		}
	}
	return out
}

// file is the config in the shape of newFile, for the encoder.
func (c *Config) file() reflect.Value {
	file := newFile()
	file.Field(0).SetString(c.Journal)
	file.Field(1).SetBool(c.AllowHTTP)
	for i, table := range Tables() {
		tv := c.table(table)
		if !tv.IsValid() {
			continue
		}
		raw := reflect.New(file.Field(i + fileTables).Type().Elem())
		for j, f := range Fields(table) {
			if rf, v := raw.Elem().Field(j), tv.FieldByIndex(f.index); rf.Type() == v.Type() {
				rf.Set(v)
			} else {
				rf.SetString(fieldText(v))
			}
		}
		file.Field(i + fileTables).Set(raw)
	}
	return file
}

// Marshal is the file's text.
func (c *Config) Marshal() ([]byte, error) {
	body, err := toml.Marshal(c.fileView().file().Interface())
	if err != nil {
		return nil, fmt.Errorf("config: encode: %w", err)
	}
	return append([]byte(header), body...), nil
}

// Save writes the config to path atomically (a temporary file in the same
// folder, then rename) with mode 0600, creating missing folders with 0700.
// Every value round-trips, including keys setup does not show; comments in
// a hand-edited file are not kept.
func (c *Config) Save(path string) error {
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	if target, err := filepath.EvalSymlinks(path); err == nil {
		// A symlinked config (dotfiles) is written where it points; the
		// rename would otherwise replace the link with a plain file.
		path = target
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config: create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.toml")
	if err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // after a successful rename this is a no-op
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("config: write %s: %w", path, err)
	}
	return nil
}

// Redacted is a readable dump for doctor and debugging: every key with its
// value or default, secrets shown only as set/missing, and where an
// environment variable supplied the value.
func (c *Config) Redacted() string {
	var b bytes.Buffer
	if c.Journal != "" {
		fmt.Fprintf(&b, "journal = %q%s\n", textsafe.Clean(c.Journal), c.envNote("", "journal"))
	}
	for _, table := range Tables() {
		if !c.HasTable(table) {
			continue
		}
		fmt.Fprintf(&b, "[%s]\n", table)
		for _, f := range Fields(table) {
			v := c.Get(table, f.Key)
			switch {
			case f.Secret() && v != "":
				fmt.Fprintf(&b, "  %s = (set)%s\n", f.Key, c.envNote(table, f.Key))
			case f.Secret() || (v == "" && f.Required):
				fmt.Fprintf(&b, "  %s = (missing: set it or %s)\n", f.Key, f.EnvVar())
			case v == "" && f.Default != "":
				fmt.Fprintf(&b, "  %s = %s (default)\n", f.Key, f.Default)
			case v == "":
			default:
				fmt.Fprintf(&b, "  %s = %s%s\n", f.Key, textsafe.Clean(v), c.envNote(table, f.Key))
			}
		}
	}
	return b.String()
}

func (c *Config) envNote(table, key string) string {
	if v := c.FromEnv(table, key); v != "" {
		return " (from " + v + ")"
	}
	return ""
}
