package app

import (
	"fmt"
	"io"
)

// Browse is `headshot [DIR]`.
func Browse(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot: the browser is not built yet")
	return 2
}
