package load

import (
	"math/rand/v2"
	"time"
)

// Backoff is how long a client waits before its next try after failures
// in a row, as the candidate page does (web/static/connection.js): Min
// doubled for each failure after the first, at most Max, times a jitter
// drawn uniformly from [0.8, 1.2) so that clients cut off together do not
// come back together. The zero value uses the page's 500 ms and 8 s.
type Backoff struct {
	Min, Max time.Duration
}

// Delay returns the wait before the next try after failures failures in a
// row (at least 1), drawing the jitter from r.
func (b Backoff) Delay(failures int, r *rand.Rand) time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = 500 * time.Millisecond
	}
	if hi <= 0 {
		hi = 8 * time.Second
	}
	d := min(lo, hi)
	for i := 1; i < failures && d < hi; i++ {
		d = min(2*d, hi)
	}
	return time.Duration(float64(d) * (0.8 + 0.4*r.Float64()))
}
