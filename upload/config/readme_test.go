package config

import (
	"flag"
	"os"
	"strings"
	"testing"

	"headshot/upload"
)

// The README's Configuration example is a file headshot accepts, and it
// mentions every key a table has, so the documentation cannot drift from
// the code.
func TestREADMEConfigExampleLoads(t *testing.T) {
	noEnv(t)
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("README.md not found:", err)
	}
	text := string(data)
	start := strings.Index(text, "## Configuration")
	if start < 0 {
		t.Fatal("README has no Configuration section")
	}
	section := text[start:]
	open := strings.Index(section, "```toml\n")
	if open < 0 {
		t.Fatal("Configuration section has no toml example")
	}
	body := section[open+len("```toml\n"):]
	body = body[:strings.Index(body, "```")]
	c, err := Parse("README.md", []byte(body))
	if err != nil {
		t.Fatalf("the README example does not load:\n%v", err)
	}
	if len(c.Platforms()) != len(upload.Platforms()) {
		t.Errorf("example configures %d platforms, want all %d", len(c.Platforms()), len(upload.Platforms()))
	}
	for _, table := range Tables() {
		for _, f := range Fields(table) {
			if !strings.Contains(body, f.Key) {
				t.Errorf("README example does not mention [%s] %s", table, f.Key)
			}
		}
	}
}

var update = flag.Bool("update", false, "rewrite README.md's key table from the descriptors")

// The README's key table is the one KeyTable derives from the platform
// descriptors: a default, a key or a variable name cannot drift.
func TestREADMEKeyTable(t *testing.T) {
	const begin, end = "<!-- keys:begin (go test ./upload/config -run TestREADMEKeyTable -update) -->\n", "<!-- keys:end -->"
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("README.md not found:", err)
	}
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README has no key table between %q and %q", begin, end)
	}
	want := KeyTable()
	if *update {
		if err := os.WriteFile("../../README.md", []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := text[i+len(begin) : j]; got != want {
		t.Errorf("README's key table is stale; run go test ./upload/config -run TestREADMEKeyTable -update\ngot:\n%s\nwant:\n%s", got, want)
	}
	for _, table := range Tables() {
		for _, f := range Fields(table) {
			if !strings.Contains(want, "`"+f.EnvVar()+"`") || (f.Default != "" && !strings.Contains(want, "`"+f.Default+"`")) {
				t.Errorf("key table lacks [%s] %s's variable or default", table, f.Key)
			}
		}
	}
}
