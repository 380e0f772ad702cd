// Package throttle slows the guessing of sign-in codes: each client
// address may get a limited number of codes wrong, and regains one every
// interval.
//
// The limit is per node: several nodes behind a balancer each keep their
// own count, so the rate an attacker gets is the nodes' sum. Assessment
// centres put many people behind one address, so the burst is set well
// above what a room of honest typing mistakes needs.
package throttle

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/accredit/accredit/internal/clock"
)

// Failures counts failed sign-ins by client address. The zero value is not
// usable: set Burst, Every and Clock. It is safe for concurrent use.
type Failures struct {
	Burst int           // wrong codes allowed in a row
	Every time.Duration // one more is allowed after each Every
	Clock clock.Clock   // the clock

	mu sync.Mutex // protects by
	by map[string]*level
}

// level is a leaky bucket of failures: n at time at, draining one per Every.
type level struct {
	n  float64
	at time.Time
}

// New returns a Failures allowing burst wrong codes in a row per address,
// and one more each every.
func New(burst int, every time.Duration, clk clock.Clock) *Failures {
	return &Failures{Burst: burst, Every: every, Clock: clk}
}

// drained returns l's level now. f.mu held.
func (f *Failures) drained(l *level, now time.Time) float64 {
	return max(0, l.n-float64(now.Sub(l.at))/float64(f.Every))
}

// Allow reports whether key may try a code now.
func (f *Failures) Allow(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.by[key]
	return !ok || f.drained(l, f.Clock.Now())+1 <= float64(f.Burst)
}

// Fail records a wrong code from key.
func (f *Failures) Fail(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.Clock.Now()
	if f.by == nil {
		f.by = map[string]*level{}
	}
	if len(f.by) >= 4096 { // forget addresses that have drained
		for k, l := range f.by {
			if f.drained(l, now) == 0 {
				delete(f.by, k)
			}
		}
	}
	l, ok := f.by[key]
	if !ok {
		l = &level{}
		f.by[key] = l
	}
	l.n, l.at = f.drained(l, now)+1, now
}

// Client returns the address a request comes from, without its port.
func Client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
