package livesession

import (
	"context"
	"errors"
	"io"
	"net"
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

// Peer is the sending side of the connection, a *wsconn.Conn: Close ends
// it with a WebSocket close code and reason after what is queued, and
// WaitRoom waits until its send queue has room for n more messages (false:
// it is closing).
type Peer interface {
	Close(code int, reason string)
	WaitRoom(n int) bool
}

// ReplyRoom is the room in the send queue the loop waits for before it
// reads the next frame: more than the handling of any one frame queues.
// A burst of frames thus waits for the writer rather than overflowing the
// queue, and every reply the burst earns reaches the client.
const ReplyRoom = 8

// Config is one protocol's limits and texts.
type Config struct {
	Version int // the protocol version a hello must name
	// MaxFrameBytes bounds a frame: a larger one is answered with
	// CodeTooLarge and closes the connection with CloseTooLarge.
	MaxFrameBytes int64
	// HelloTimeout bounds the wait for the first frame: without a hello
	// by then the client is told CodeNotJoined and the connection is
	// closed with CloseIdle. Default DefaultHelloTimeout.
	HelloTimeout time.Duration
	// Idle bounds the wait for any later frame or pong (then CloseIdle).
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
func Serve[M any](ctx context.Context, ws *websocket.Conn, peer Peer, p Protocol[M], cfg Config) {
	cfg = cfg.withDefaults()
	ws.SetReadDeadline(time.Now().Add(cfg.HelloTimeout))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(cfg.Idle)) })
	l := &loop[M]{p: p, peer: peer, cfg: cfg, lim: &wsconn.Limiter{Rate: cfg.Rate, Burst: cfg.Burst}}
	for peer.WaitRoom(ReplyRoom) {
		typ, b, err := read(ws, cfg.MaxFrameBytes)
		switch {
		case errors.Is(err, errTooLarge):
			var m M
			cfg.Refused(CodeTooLarge)
			p.Reject(m, 0, Errorf(CodeTooLarge, "frame over %d bytes", cfg.MaxFrameBytes))
			peer.Close(CloseTooLarge, "frame too large")
			return
		case err != nil:
			l.ended(err)
			return
		}
		ws.SetReadDeadline(time.Now().Add(cfg.Idle))
		if !l.frame(ctx, typ == websocket.BinaryMessage, b) {
			return
		}
	}
}

var (
	errTooLarge = errors.New("frame too large")
	errBinary   = &Error{Code: CodeBadFrame, Message: "binary frames are not accepted: send text"}
)

// read reads the next frame, keeping at most max+1 of its bytes: a longer
// frame is errTooLarge, the rest of it unread (Drain discards it).
// gorilla's own read limit is not used: it sends its close frame before
// the loop could send CodeTooLarge.
func read(ws *websocket.Conn, max int64) (int, []byte, error) {
	typ, r, err := ws.NextReader()
	if err != nil {
		return 0, nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err == nil && int64(len(b)) > max {
		err = errTooLarge
	}
	return typ, b, err
}

// loop is the state of one connection's reader.
type loop[M any] struct {
	p       Protocol[M]
	peer    Peer
	cfg     Config
	lim     *wsconn.Limiter
	joined  bool // a hello succeeded
	badCode int  // hellos refused with CodeUnknownCode
	dropped int  // frames dropped for rate
}

// ended closes the connection with CloseIdle when the read timed out,
// telling a client not signed in by a hello why (CodeNotJoined).
func (l *loop[M]) ended(err error) {
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		return // the client went away, or closed the connection
	}
	if !l.joined {
		var m M
		l.p.Reject(m, 0, Errorf(CodeNotJoined, "no hello in time: connect again and send hello first"))
		l.peer.Close(CloseIdle, "no hello in time")
		return
	}
	l.peer.Close(CloseIdle, "idle")
}

// frame handles one frame, binary when bin; it reports false when the
// connection is to end.
func (l *loop[M]) frame(ctx context.Context, bin bool, b []byte) bool {
	var (
		m   M
		f   Frame
		err error = errBinary
	)
	if !bin {
		m, f, err = l.p.Decode(b)
	}
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
