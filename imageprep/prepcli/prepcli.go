// Package prepcli is the headless `headshot prep` and `headshot bench prep`
// commands: prepare photos without the TUI.
package prepcli

import (
	"fmt"
	"io"
)

// Run is `headshot prep`.
func Run(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot prep: not built yet")
	return 2
}

// Bench is `headshot bench prep`.
func Bench(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot bench prep: not built yet")
	return 2
}
