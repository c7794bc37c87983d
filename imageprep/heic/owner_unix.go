//go:build unix

package heic

import (
	"os"
	"syscall"
)

// ownedByMe reports whether the file is owned by this process's user.
func ownedByMe(st os.FileInfo) bool {
	s, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(s.Uid) == os.Getuid()
}
