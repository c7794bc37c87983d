// Package cli is the headless upload commands: `headshot upload`,
// `headshot history` and `headshot bench upload`.
package cli

import (
	"fmt"
	"io"
)

// Upload is `headshot upload`.
func Upload(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot upload: not built yet")
	return 2
}

// History is `headshot history`.
func History(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot history: not built yet")
	return 2
}

// Bench is `headshot bench upload`.
func Bench(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot bench upload: not built yet")
	return 2
}
