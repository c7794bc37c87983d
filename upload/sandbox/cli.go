package sandbox

import (
	"fmt"
	"io"
)

// Main is `headshot sandbox`.
func Main(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot sandbox: not built yet")
	return 2
}
