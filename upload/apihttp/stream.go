package apihttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"headshot/upload"
)

// MaxListUsers is the most users a client keeps from a platform's user
// list: a list that goes on past it (a tenant whose paging loops, a hostile
// server) is refused with that said, instead of filling memory.
const MaxListUsers = 300_000

// ErrTooLong is what a Stream reader returns past its limit.
var ErrTooLong = errors.New("answer over the size limit")

// Stream is DoLimit for a large 2xx answer read as it arrives (a whole
// organisation's user list): decode gets the body, at most limit bytes of
// it, and the Response it returns has no Body. decode must not keep the
// reader. A non-2xx answer is read (bounded by MaxBody) and returned as
// DoLimit does, without calling decode. Whatever decode keeps of the body
// is its own to redact (Redact, with Secrets(req)).
func (c *Client) Stream(ctx context.Context, req *http.Request, limit int64, decode func(io.Reader) error) (*Response, error) {
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", upload.UserAgent())
	secrets := c.Secrets(req)
	p := c.platform
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, p, err, secrets)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
		if err != nil {
			return nil, transportError(ctx, p, err, secrets)
		}
		r := &Response{Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body}
		redactResponse(r, secrets)
		return r, nil
	}
	lr := &limitedReader{r: resp.Body, left: limit}
	if err := decode(lr); err != nil {
		if errors.Is(err, ErrTooLong) {
			return nil, &upload.Error{Platform: p, Class: upload.ClassServer, Status: resp.StatusCode,
				Message: fmt.Sprintf("the answer is larger than %d MB; refused", limit>>20)}
		}
		if ctx.Err() != nil || isTransport(err) {
			return nil, transportError(ctx, p, err, secrets)
		}
		return nil, err
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header.Clone()}
	redactResponse(r, secrets)
	return r, nil
}

// Secrets are the credentials req carries plus those the client was built
// with: what Redact must remove from anything kept of an answer.
func (c *Client) Secrets(req *http.Request) []string {
	return append(requestSecrets(req), c.secrets...)
}

// isTransport reports whether a decode error came from reading the
// connection rather than from the bytes read.
func isTransport(err error) bool {
	var te transportFailure
	return errors.As(err, &te)
}

// transportFailure marks a read error of the connection itself.
type transportFailure struct{ err error }

func (t transportFailure) Error() string { return t.err.Error() }
func (t transportFailure) Unwrap() error { return t.err }

// limitedReader fails with ErrTooLong past left bytes and marks the
// connection's own errors as transport failures.
type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more says whether the answer really goes on.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, ErrTooLong
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		err = transportFailure{err}
	}
	return n, err
}
