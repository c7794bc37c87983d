//go:build unix

package prepcli

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSSKB is the ended process's peak resident set in kilobytes (0 when
// the system does not say).
func maxRSSKB(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) / 1024 // bytes there
	}
	return int64(ru.Maxrss) // kilobytes on Linux and the BSDs
}
