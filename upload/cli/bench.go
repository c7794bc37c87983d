package cli

import (
	"fmt"
	"io"
)

// Bench is `headshot bench upload`.
func Bench(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot bench upload: not built yet")
	return 2
}
