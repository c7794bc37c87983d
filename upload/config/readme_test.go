package config

import (
	"os"
	"strings"
	"testing"
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
	if len(c.Platforms()) != 5 {
		t.Errorf("example configures %d platforms, want all 5", len(c.Platforms()))
	}
	for _, table := range Tables {
		for _, f := range Fields(table) {
			if !strings.Contains(body, f.Key) {
				t.Errorf("README example does not mention [%s] %s", table, f.Key)
			}
		}
	}
}
