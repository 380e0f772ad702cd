package throttle

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/accredit/accredit/internal/clock"
)

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

func Default() Limits {
	return Limits{
		Burst: 300, Every: time.Hour / 300,
		GlobalBurst: 3000, GlobalEvery: time.Hour / 3000,
		Refund: 3, Window: time.Hour,
		MaxClients: 1 << 16, MaxCodes: 1 << 16,
	}
}

type Failures struct {
	lim   Limits
	clock clock.Clock

	mu       sync.Mutex         // protects the fields below
	node     bucket             // all addresses
	clients  map[string]*client // by address; empty ones are forgotten
	refunded map[string]time.Time
	tidied   time.Time // when tidy last ran
}

type client struct {
	failures bucket
	working  time.Time // until when the address counts as working
}

func New(burst int, every time.Duration, clk clock.Clock) *Failures {
	l := Default()
	l.Burst, l.Every = burst, every
	l.GlobalBurst, l.GlobalEvery = 10*burst, every/10
	return NewLimits(l, clk)
}

func NewLimits(l Limits, clk clock.Clock) *Failures {
	if l.Burst < 1 || l.GlobalBurst < 1 || l.Every <= 0 || l.GlobalEvery <= 0 || l.Window <= 0 ||
		l.Refund < 0 || l.MaxClients < 1 || l.MaxCodes < 1 {
		panic("throttle: invalid limits")
	}
	return &Failures{lim: l, clock: clock.Or(clk), clients: map[string]*client{}, refunded: map[string]time.Time{}}
}

func (f *Failures) Limits() Limits { return f.lim }

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

func (f *Failures) client(addr string) *client {
	c := f.clients[addr]
	if c == nil && len(f.clients) < f.lim.MaxClients {
		c = &client{}
		f.clients[addr] = c
	}
	return c
}

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

func Client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
