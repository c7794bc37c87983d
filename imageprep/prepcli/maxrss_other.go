//go:build !unix

package prepcli

import "os"

// maxRSSKB is 0 where the process's peak resident set is not reported
// (Windows): the bench prints no memory figure.
func maxRSSKB(*os.ProcessState) int64 { return 0 }
