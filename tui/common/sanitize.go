package common

import "headshot/imageprep/textsafe"

// Sanitize makes an untrusted string (file name, server message, config
// value) safe to draw: no control characters or escape sequences, bounded
// length. It is imageprep/textsafe.Clean.
func Sanitize(s string) string { return textsafe.Clean(s) }

// SanitizeN is Sanitize with a rune budget (n <= 0: no limit).
func SanitizeN(s string, n int) string { return textsafe.CleanN(s, n) }
