package livesession

import (
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Live is one connection its owner has registered: its writer and reader
// loops, how to close it, and how to unregister it once it has ended.
type Live struct {
	Write func()                        // the writer loop (wsconn.Conn.WriteLoop)
	Read  func()                        // the reader loop (Serve)
	Close func(code int, reason string) // closes the connection after what is queued
	// Drain, if set, is the reader's last call (wsconn.Conn.Drain): it
	// discards what the client still sends until its close frame, so the
	// socket closes without a reset that would lose what the client has
	// not read.
	Drain func()
	Done  func() // unregisters the connection
}

// Handler upgrades each request with up and hands the connection to open,
// which registers it with its owner and returns its loops, or false when
// the owner is closing (the connection is dropped). Both loops run in
// goroutines of wg, which the owner waits for when it closes, and the
// handler returns: net/http's per-request buffers and stack are freed, so
// an idle client costs only what its connection needs. When the reader
// ends, the connection is closed normally, drained and unregistered.
func Handler(up *websocket.Upgrader, wg *sync.WaitGroup, open func(c *websocket.Conn, r *http.Request) (Live, bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has written the HTTP error
		}
		l, ok := open(c, r)
		if !ok {
			c.Close()
			return
		}
		wg.Go(l.Write)
		wg.Go(func() {
			defer l.Done()
			l.Read()
			l.Close(websocket.CloseNormalClosure, "")
			if l.Drain != nil {
				l.Drain()
			}
		})
	})
}

// Track adds p to live under mu unless closed is set, and reports whether
// it did: an owner that is closing takes no new connections.
func Track[P comparable](mu *sync.Mutex, closed *bool, live map[P]bool, p P) bool {
	mu.Lock()
	defer mu.Unlock()
	if *closed {
		return false
	}
	live[p] = true
	return true
}

// Endpoint tunes a WebSocket endpoint; the zero value is usable.
type Endpoint struct {
	// AllowedOrigins lists extra origins (scheme://host[:port]) that may
	// open a connection; the page's own origin is always allowed.
	AllowedOrigins []string
	// SendQueue bounds the messages waiting for a slow client; when full the
	// client is disconnected (it resumes on reconnect). Default 64.
	SendQueue int
	// Rate and Burst bound frames per second from one client, measured on
	// the owner's clock. Default 20, 60.
	Rate, Burst float64
	// PingEvery is how often the server pings; a client silent for twice
	// that is disconnected. Default 20s.
	PingEvery time.Duration
}

// WithDefaults returns e with its zero fields set to their defaults.
func (e Endpoint) WithDefaults() Endpoint {
	if e.SendQueue <= 0 {
		e.SendQueue = 64
	}
	if e.Rate <= 0 {
		e.Rate, e.Burst = 20, 60
	}
	if e.PingEvery <= 0 {
		e.PingEvery = 20 * time.Second
	}
	return e
}
