package config

import (
	"fmt"
	"strings"
)

// KeyTable is the README's table of every key of every table, derived from
// the platform descriptors: default, environment variable and what the key
// holds (README_test keeps the README's copy equal to it).
func KeyTable() string {
	var b strings.Builder
	b.WriteString("| key | default | environment variable | notes |\n|---|---|---|---|\n")
	for _, table := range Tables() {
		for _, f := range Fields(table) {
			def := "`" + f.Default + "`"
			if f.Default == "" {
				def = ""
			}
			var notes []string
			if f.Required {
				notes = append(notes, "required")
			}
			if f.Secret() {
				notes = append(notes, "secret")
			}
			if len(f.Choices) > 0 {
				notes = append(notes, strings.Join(f.Choices, " \\| "))
			}
			if f.Max > 0 {
				notes = append(notes, fmt.Sprintf("at most %d", f.Max))
			}
			if h := f.Help(); h != "" {
				notes = append(notes, strings.ReplaceAll(h, "|", "\\|"))
			}
			fmt.Fprintf(&b, "| `[%s] %s` | %s | `%s` | %s |\n", table, f.Key, def, f.EnvVar(), strings.Join(notes, "; "))
		}
	}
	return b.String()
}
