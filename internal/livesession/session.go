package livesession

import (
	"context"
	"errors"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/wsconn"
)

// Defaults of Config's zero fields.
const (
	DefaultHelloTimeout = 15 * time.Second
	DefaultMaxBadCodes  = 5  // unknown codes before the connection is closed
	DefaultMaxDropped   = 50 // frames dropped for rate before the connection is closed
)

// Frame is what the loop needs to know of a decoded client frame.
type Frame struct {
	Hello bool   // the frame is a hello
	V     int    // hello: the protocol version the client speaks
	Seq   uint64 // the frame's seq, named in an error about it (0: none)
	// Open: the frame is handled before a hello too (the assessor's ping).
	Open bool
}

// Protocol is what one protocol plugs into the loop; M is its decoded
// client message. The loop calls it from its own goroutine only.
type Protocol[M any] interface {
	// Decode parses a frame. On error it returns what it could read of
	// the frame, whose seq the error names.
	Decode(b []byte) (M, Frame, error)
	// Hello signs the connection in (joins an attempt, signs an assessor
	// in) and sends the welcome. An error is reported to the client; an
	// error with CodeUnknownCode counts towards MaxBadCodes, and a
	// *Closing also ends the connection.
	Hello(ctx context.Context, m M) error
	// Handle handles any other frame: after a successful hello, or an
	// Open frame at any time.
	Handle(ctx context.Context, m M)
	// Reject sends the client an "error" message naming seq for err, a
	// *Error (or any other error, a CodeStore).
	Reject(m M, seq uint64, err error)
}

// Closer ends a connection with a WebSocket close code and reason, after
// what is queued for it: a *wsconn.Conn.
type Closer interface {
	Close(code int, reason string)
}

// Config is one protocol's limits and texts.
type Config struct {
	Version       int   // the protocol version a hello must name
	MaxFrameBytes int64 // a larger frame closes the connection with CloseTooLarge
	// HelloTimeout bounds the wait for the first frame. Default
	// DefaultHelloTimeout.
	HelloTimeout time.Duration
	// Idle bounds the wait for any later frame or pong.
	Idle time.Duration
	// Rate and Burst bound frames per second, measured on Clock (nil:
	// clock.System).
	Rate, Burst float64
	Clock       clock.Clock
	// MaxBadCodes and MaxDropped: defaults DefaultMaxBadCodes and
	// DefaultMaxDropped.
	MaxBadCodes, MaxDropped int

	NotJoined     string // the message of CodeNotJoined
	Dropped       string // the message of CodeRateLimited
	UnknownReason string // the close reason after too many unknown codes

	// Refused, if set, is told the code of each refused frame: dropped
	// for rate, malformed, or a refused hello.
	Refused func(code int)
}

func (c Config) withDefaults() Config {
	if c.HelloTimeout <= 0 {
		c.HelloTimeout = DefaultHelloTimeout
	}
	if c.MaxBadCodes <= 0 {
		c.MaxBadCodes = DefaultMaxBadCodes
	}
	if c.MaxDropped <= 0 {
		c.MaxDropped = DefaultMaxDropped
	}
	c.Clock = clock.Or(c.Clock)
	if c.Refused == nil {
		c.Refused = func(int) {}
	}
	return c
}

// Serve reads ws's frames and hands them to p until the connection fails,
// times out or is closed by a limit; closes go through peer. It returns
// when the connection's reading is over; the caller then closes the
// connection (a no-op if a limit already did).
func Serve[M any](ctx context.Context, ws *websocket.Conn, peer Closer, p Protocol[M], cfg Config) {
	cfg = cfg.withDefaults()
	ws.SetReadLimit(cfg.MaxFrameBytes)
	ws.SetReadDeadline(time.Now().Add(cfg.HelloTimeout))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(cfg.Idle)) })
	l := &loop[M]{p: p, peer: peer, cfg: cfg, lim: &wsconn.Limiter{Rate: cfg.Rate, Burst: cfg.Burst}}
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				peer.Close(CloseTooLarge, "frame too large")
			}
			return
		}
		ws.SetReadDeadline(time.Now().Add(cfg.Idle))
		if !l.frame(ctx, b) {
			return
		}
	}
}

// loop is the state of one connection's reader.
type loop[M any] struct {
	p       Protocol[M]
	peer    Closer
	cfg     Config
	lim     *wsconn.Limiter
	joined  bool // a hello succeeded
	badCode int  // hellos refused with CodeUnknownCode
	dropped int  // frames dropped for rate
}

// frame handles one frame; it reports false when the connection is to end.
func (l *loop[M]) frame(ctx context.Context, b []byte) bool {
	m, f, err := l.p.Decode(b)
	if !l.lim.Allow(l.cfg.Clock.Now()) {
		// Dropped unread; the error names its seq so the client sends it
		// again (with a new seq if later ones were stored meanwhile).
		l.cfg.Refused(CodeRateLimited)
		if l.dropped++; l.dropped > l.cfg.MaxDropped {
			l.peer.Close(CloseRateLimit, "too many messages")
			return false
		}
		l.p.Reject(m, f.Seq, &Error{Code: CodeRateLimited, Message: l.cfg.Dropped})
		return true
	}
	if err != nil {
		l.cfg.Refused(CodeOf(err))
		l.p.Reject(m, f.Seq, err)
		return true
	}
	switch {
	case f.Hello:
		return l.hello(ctx, m, f)
	case !l.joined && !f.Open:
		l.p.Reject(m, f.Seq, &Error{Code: CodeNotJoined, Message: l.cfg.NotJoined})
	default:
		l.p.Handle(ctx, m)
	}
	return true
}

// hello checks a hello's version and hands it to the protocol; it reports
// false when the connection is to end.
func (l *loop[M]) hello(ctx context.Context, m M, f Frame) bool {
	if f.V != l.cfg.Version {
		l.p.Reject(m, 0, Errorf(CodeBadVersion, "protocol version %d is not supported; this server speaks %d", f.V, l.cfg.Version))
		l.peer.Close(CloseBadVersion, "unsupported protocol version")
		return false
	}
	err := l.p.Hello(ctx, m)
	if err == nil {
		l.joined = true
		return true
	}
	l.cfg.Refused(CodeOf(err))
	l.p.Reject(m, 0, err)
	var c *Closing
	if errors.As(err, &c) {
		l.peer.Close(c.Code, c.Reason)
		return false
	}
	if CodeOf(err) == CodeUnknownCode {
		if l.badCode++; l.badCode >= l.cfg.MaxBadCodes {
			l.peer.Close(CloseUnknown, l.cfg.UnknownReason)
			return false
		}
	}
	return true
}
