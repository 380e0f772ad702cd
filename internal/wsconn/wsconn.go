// Package wsconn is the sending side of one WebSocket connection, shared by
// the candidate and the assessor endpoints: a bounded queue drained by a
// single writer goroutine (gorilla/websocket allows one concurrent writer),
// periodic pings, and a close handshake that flushes what is queued first.
// A client too slow to drain its queue is disconnected, never allowed to
// block the goroutine that sends to it. It also holds the token bucket that
// bounds how many frames a client may send.
//
// Send and Close are safe for concurrent use; WriteLoop runs once per
// connection in a goroutine its owner waits for.
package wsconn

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// WriteTimeout bounds one write to a client.
const WriteTimeout = 10 * time.Second

// CloseGrace bounds the wait, once the close frame is sent, for the
// client's close frame: the socket is closed only after it (or after
// CloseGrace), so that no data the client sent unread makes the kernel
// reset the connection and discard what the client has not yet read.
const CloseGrace = time.Second

// Conn sends messages of type M to one client.
type Conn[M any] struct {
	WS  *websocket.Conn
	out chan *M // bounded queue drained by WriteLoop
	// Written, if set before WriteLoop starts, is called by the writer
	// with each message once it is written (or its write failed): nothing
	// holds the message's buffers any more, so the owner may reuse them.
	Written func(*M)

	once    sync.Once
	done    chan struct{} // closed by Close
	room    chan struct{} // signalled by WriteLoop each time it takes a message
	drained chan struct{} // closed by Drain
	drain   sync.Once
	mu      sync.Mutex // protects code, reason
	code    int
	reason  string
}

// New wraps ws with a send queue of the given length.
func New[M any](ws *websocket.Conn, queue int) *Conn[M] {
	return &Conn[M]{WS: ws, out: make(chan *M, queue), done: make(chan struct{}),
		room: make(chan struct{}, 1), drained: make(chan struct{})}
}

// Send queues m; a client too slow to drain its queue is disconnected
// (close 1013, try again later: it resumes on reconnect).
func (c *Conn[M]) Send(m M) {
	select {
	case <-c.done:
	case c.out <- &m:
	default:
		c.Close(websocket.CloseTryAgainLater, "too slow to receive; reconnect")
	}
}

// WaitRoom waits until the queue has room for n more messages (at most
// its length), or the connection is closing; it reports whether there is
// room. A reader calls it before handling a frame, so that the replies to
// a burst of frames wait for the writer instead of overflowing the queue:
// the reader stops reading meanwhile, and the client's frames wait in the
// network.
func (c *Conn[M]) WaitRoom(n int) bool {
	n = min(n, cap(c.out))
	for cap(c.out)-len(c.out) < n {
		select {
		case <-c.room:
		case <-c.done:
			return false
		}
	}
	return true
}

// Drain is the reader's last call: it closes the connection normally
// unless it is closed already, then reads and discards what the client
// sends until its close frame or a failed read (the writer bounds the
// wait to CloseGrace after its close frame), and lets the writer close
// the socket.
func (c *Conn[M]) Drain() {
	c.drain.Do(func() {
		defer close(c.drained)
		c.Close(websocket.CloseNormalClosure, "")
		c.WS.SetPongHandler(nil)
		for {
			if _, _, err := c.WS.NextReader(); err != nil {
				return
			}
		}
	})
}

// Close asks the writer to flush the queue, send a close frame with code
// and reason, and end the connection. Only the first call counts.
func (c *Conn[M]) Close(code int, reason string) {
	c.once.Do(func() {
		c.mu.Lock()
		c.code, c.reason = code, reason
		c.mu.Unlock()
		close(c.done)
	})
}

// WriteLoop writes queued messages and pings until Close or a failed write.
// raw, if not nil, may return a message already encoded; otherwise the
// message is written as JSON. After the close frame it waits for Drain
// (at most CloseGrace and a little) before it closes the socket.
func (c *Conn[M]) WriteLoop(pingEvery time.Duration, raw func(*M) []byte) {
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	defer c.WS.Close()
	write := func(m *M) error {
		if c.Written != nil {
			defer c.Written(m)
		}
		c.WS.SetWriteDeadline(time.Now().Add(WriteTimeout))
		if raw != nil {
			if b := raw(m); b != nil {
				return c.WS.WriteMessage(websocket.TextMessage, b)
			}
		}
		return c.WS.WriteJSON(m)
	}
	for {
		select {
		case m := <-c.out:
			select {
			case c.room <- struct{}{}:
			default:
			}
			if write(m) != nil {
				c.Close(websocket.CloseAbnormalClosure, "")
				return
			}
		case <-ping.C:
			c.WS.SetWriteDeadline(time.Now().Add(WriteTimeout))
			if c.WS.WriteMessage(websocket.PingMessage, nil) != nil {
				c.Close(websocket.CloseAbnormalClosure, "")
				return
			}
		case <-c.done:
			for len(c.out) > 0 { // flush a final acknowledgement or "closing"
				if write(<-c.out) != nil {
					return
				}
			}
			c.mu.Lock()
			msg := websocket.FormatCloseMessage(c.code, c.reason)
			c.mu.Unlock()
			if c.WS.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)) != nil {
				return
			}
			c.WS.SetReadDeadline(time.Now().Add(CloseGrace))
			t := time.NewTimer(CloseGrace + 100*time.Millisecond)
			defer t.Stop()
			select {
			case <-c.drained:
			case <-t.C:
			}
			return
		}
	}
}

// Limiter is a token bucket: Rate frames per second on average, bursts of
// Burst. Time is passed in, so it follows whatever clock its owner uses.
type Limiter struct {
	Rate, Burst float64
	tokens      float64
	last        time.Time
}

// Allow reports whether a frame arriving at now is within the limit.
func (l *Limiter) Allow(now time.Time) bool {
	if l.last.IsZero() {
		l.tokens = l.Burst
	} else {
		l.tokens = min(l.Burst, l.tokens+now.Sub(l.last).Seconds()*l.Rate)
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

// CheckOrigin returns an origin check for a websocket.Upgrader: a request
// without an Origin header (not a browser), from the server's own origin,
// or from one of allowed (scheme://host[:port]) may upgrade; any other
// page is refused with HTTP 403.
func CheckOrigin(allowed []string) func(r *http.Request) bool {
	ok := make(map[string]bool, len(allowed))
	for _, o := range allowed {
		ok[o] = true
	}
	return func(r *http.Request) bool {
		o := r.Header.Get("Origin")
		if o == "" || ok[o] {
			return true
		}
		u, err := url.Parse(o)
		return err == nil && u.Host == r.Host
	}
}
