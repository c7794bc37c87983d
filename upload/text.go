package upload

import (
	"strconv"
	"strings"
)

// Plural is n and the noun, plural unless n is 1: "1 photo", "3 photos",
// "2 classes". The one rule for every count headshot prints: the engine's
// plan, the headless summary and the TUI (tui/common.Plural is this).
func Plural(n int, noun string) string {
	if n != 1 {
		if strings.HasSuffix(noun, "s") || strings.HasSuffix(noun, "x") || strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "sh") {
			noun += "es"
		} else {
			noun += "s"
		}
	}
	return strconv.Itoa(n) + " " + noun
}
