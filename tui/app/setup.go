package app

import (
	"fmt"
	"io"
)

// Setup is `headshot setup`.
func Setup(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot setup: not built yet")
	return 2
}

// Doctor is `headshot doctor`.
func Doctor(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot doctor: not built yet")
	return 2
}
