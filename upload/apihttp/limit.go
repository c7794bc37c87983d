package apihttp

import (
	"regexp"
	"strconv"
)

var bytesInMessage = regexp.MustCompile(`(\d+)\s*bytes`)

// StatedLimit is the byte limit behind a too-large refusal: the one the
// server's words state ("... 4194304 bytes"), else the first of limits
// (the configured one, then the documented one) that the photo of size
// bytes was over, else 0 (unknown: the caller shrinks from the size).
func StatedLimit(msg string, size int64, limits ...int64) int64 {
	if m := bytesInMessage.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n > 0 {
			return n
		}
	}
	for _, l := range limits {
		if l > 0 && (size == 0 || size > l) {
			return l
		}
	}
	return 0
}
