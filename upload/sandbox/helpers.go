package sandbox

import (
	"bytes"
	"io"
	"net/http"
)

// drainBody reads what is left of a request body (at most 64 MiB), so that
// an early error answer reaches a client that is still sending.
func drainBody(r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 64<<20))
}

// isJPEGData reports whether b starts like a JPEG file.
func isJPEGData(b []byte) bool { return len(b) > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF }

// isPNGData reports whether b starts like a PNG file.
func isPNGData(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }
