//go:build !unix

package graphics

import (
	"os"
	"time"
)

// Detect asks nothing on systems without a Unix terminal: only the
// environment is read.
func Detect(in, out *os.File, timeout time.Duration, getenv func(string) string) (Caps, error) {
	return Caps{Tmux: getenv("TMUX") != "", ITerm: envITerm(getenv)}, nil
}
