package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// newLimiter returns a token bucket that refills perSecond tokens a second
// (multiplied by Options.RateScale) and holds at most burst tokens (at least
// 1). It starts full. Each platform keeps its own bucket(s).
func (s *Sandbox) newLimiter(perSecond float64, burst int) *rate.Limiter {
	if burst < 1 {
		burst = 1
	}
	if perSecond <= 0 {
		return rate.NewLimiter(rate.Inf, burst)
	}
	return rate.NewLimiter(rate.Limit(perSecond*s.opts.RateScale), burst)
}

// take spends one token of lim. When the bucket is empty it spends nothing
// and reports how long until a token will be there (at least 1 ms).
func take(lim *rate.Limiter) (ok bool, wait time.Duration) {
	now := time.Now()
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Second
	}
	d := res.DelayFrom(now)
	if d <= 0 {
		return true, 0
	}
	res.CancelAt(now)
	if d < time.Millisecond {
		d = time.Millisecond
	}
	return false, d
}

// retryAfterSeconds is wait rounded up to whole seconds, at least 1: the form
// real services send in Retry-After.
func retryAfterSeconds(wait time.Duration) int {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return secs
}

// setRetryAfter sets the Retry-After header (whole seconds, >= 1) for a 429,
// unless the Faults say 429s must come without it. Call before WriteHeader.
func (s *Sandbox) setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	if s.Faults().No429RetryAfter {
		return
	}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
}

// throttled answers 429 with Retry-After (see setRetryAfter) and a plain
// text body. Platforms with a JSON 429 shape write their own body after
// calling setRetryAfter.
func (s *Sandbox) throttled(w http.ResponseWriter, wait time.Duration, body string) {
	s.setRetryAfter(w, wait)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(body))
}
