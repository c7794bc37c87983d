package app

import (
	"fmt"
	"io"
)

// Demo is `headshot demo`.
func Demo(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stdout, "headshot demo: coming soon (the sandbox, sample photos and TUI are being built)")
	return 0
}
