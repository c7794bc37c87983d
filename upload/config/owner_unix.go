//go:build unix

package config

import (
	"os"
	"syscall"
)

// fileOwner is the file's owner's uid.
func fileOwner(st os.FileInfo) (int, bool) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid), true
	}
	return 0, false
}
