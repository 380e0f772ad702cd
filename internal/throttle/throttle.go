package throttle

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/accredit/accredit/internal/clock"
)

// Limits configures a Failures. Default returns the documented values.
type Limits struct {
	// Burst is how many net failures one address may have outstanding;
	// one is forgiven every Every.
	Burst int
	Every time.Duration
	// GlobalBurst and GlobalEvery are the same over all addresses of the
	// node.
	GlobalBurst int
	GlobalEvery time.Duration
	// Refund is how many outstanding failures a right code takes back from
	// its address, and as many from the node; a code refunds at most once
	// per Window, and a refunded sign-in marks its address working for
	// Window.
	Refund int
	Window time.Duration
	// MaxClients and MaxCodes bound the addresses and the refunded codes
	// held. When MaxClients addresses are held and none has drained, a new
	// address is refused until one drains.
	MaxClients int
	MaxCodes   int
}

// Default returns the documented limits (docs/sign-in-throttle.md): per
// address 300 net failures, then 300 an hour; per node 3,000, then 3,000
// an hour; a refund of up to 3 per code per hour.
func Default() Limits {
	return Limits{
		Burst: 300, Every: time.Hour / 300,
		GlobalBurst: 3000, GlobalEvery: time.Hour / 3000,
		Refund: 3, Window: time.Hour,
		MaxClients: 1 << 16, MaxCodes: 1 << 16,
	}
}

// Failures counts net failed sign-ins by client address and over the
// node. Make one with New or NewLimits. It is safe for concurrent use.
type Failures struct {
	lim   Limits
	clock clock.Clock

	mu       sync.Mutex           // protects the fields below
	node     bucket               // all addresses
	clients  map[string]*client   // by address; empty ones are forgotten
	refunded map[string]time.Time // by code: when it last refunded
	tidied   time.Time            // when tidy last ran
}

// client is what a Failures holds of one address.
type client struct {
	failures bucket
	working  time.Time // until when the address counts as working
}

// New returns a Failures allowing burst net failures per address and one
// more each every; the node's bucket is ten times the address's (ten times
// the burst, draining ten times as fast); the rest is as Default.
func New(burst int, every time.Duration, clk clock.Clock) *Failures {
	l := Default()
	l.Burst, l.Every = burst, every
	l.GlobalBurst, l.GlobalEvery = 10*burst, every/10
	return NewLimits(l, clk)
}

// NewLimits returns a Failures with limits l reading time from clk (nil
// means clock.System). It panics when l has a non-positive burst,
// interval, window or bound, or a negative refund.
func NewLimits(l Limits, clk clock.Clock) *Failures {
	if l.Burst < 1 || l.GlobalBurst < 1 || l.Every <= 0 || l.GlobalEvery <= 0 || l.Window <= 0 ||
		l.Refund < 0 || l.MaxClients < 1 || l.MaxCodes < 1 {
		panic("throttle: invalid limits")
	}
	return &Failures{lim: l, clock: clock.Or(clk), clients: map[string]*client{}, refunded: map[string]time.Time{}}
}

// Limits returns f's limits.
func (f *Failures) Limits() Limits { return f.lim }

// Allow reports whether addr may try a code now: its own bucket has room
// and either the node's has room too or addr is working. An address not
// yet held is refused while MaxClients addresses are held.
func (f *Failures) Allow(addr string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	f.tidy(now)
	c := f.clients[addr]
	switch {
	case c == nil && len(f.clients) >= f.lim.MaxClients:
		return false
	case c != nil && !c.failures.room(now, f.lim.Every, f.lim.Burst):
		return false
	case f.node.room(now, f.lim.GlobalEvery, f.lim.GlobalBurst):
		return true
	}
	return c != nil && now.Before(c.working)
}

// Fail records a wrong code from addr. An address never holds more than
// Limits.Burst; the node's count is not capped, so that failures from
// working addresses while it is full are not lost, and refunds only ever
// cancel failures that were counted.
func (f *Failures) Fail(addr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	f.tidy(now)
	f.node.add(now, f.lim.GlobalEvery)
	if c := f.client(addr); c != nil {
		c.failures.add(now, f.lim.Every)
		c.failures.clamp(now, f.lim.Every, f.lim.Burst)
	}
}

// Succeed records a right code from addr. Code must be the code as the
// library holds it, not as typed, so that each valid code is one key. If
// code has not refunded within the window, up to Limits.Refund of addr's
// outstanding failures are taken back, from addr and from the node, and
// addr is marked working for the window; otherwise Succeed does nothing.
// A refund never exceeds what addr has outstanding, so sign-ins from
// addresses with no failures make no room for guessing elsewhere.
func (f *Failures) Succeed(addr, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	f.tidy(now)
	if at, ok := f.refunded[code]; ok && now.Sub(at) < f.lim.Window {
		return
	}
	if len(f.refunded) >= f.lim.MaxCodes {
		return
	}
	c := f.client(addr)
	if c == nil {
		return
	}
	f.refunded[code] = now
	n := min(f.lim.Refund, c.failures.outstanding(now, f.lim.Every))
	c.failures.take(now, f.lim.Every, n)
	f.node.take(now, f.lim.GlobalEvery, n)
	c.working = now.Add(f.lim.Window)
}

// client returns addr's record, making it if there is room; nil if not.
// f.mu held.
func (f *Failures) client(addr string) *client {
	c := f.clients[addr]
	if c == nil && len(f.clients) < f.lim.MaxClients {
		c = &client{}
		f.clients[addr] = c
	}
	return c
}

// tidy forgets addresses that have drained and are not working, and codes
// whose refund is older than the window. It runs at most once per
// Limits.Every, the time in which a single failure drains, so its cost
// (one pass over at most MaxClients + MaxCodes entries) is bounded. f.mu
// held.
func (f *Failures) tidy(now time.Time) {
	if now.Sub(f.tidied) < f.lim.Every {
		return
	}
	f.tidied = now
	for k, c := range f.clients {
		if c.failures.outstanding(now, f.lim.Every) == 0 && !now.Before(c.working) {
			delete(f.clients, k)
		}
	}
	for k, at := range f.refunded {
		if now.Sub(at) >= f.lim.Window {
			delete(f.refunded, k)
		}
	}
}

// Client returns the address a request comes from, without its port.
func Client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
