package engine

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/internal/livesession"
	"github.com/accredit/accredit/internal/throttle"
	"github.com/accredit/accredit/internal/wsconn"
)

// WSConfig tunes the candidate WebSocket endpoint; the zero value is usable.
type WSConfig struct {
	// AllowedOrigins lists extra origins (scheme://host[:port]) that may
	// open a connection; the page's own origin is always allowed.
	AllowedOrigins []string
	// SendQueue bounds the messages waiting for a slow client; when full the
	// client is disconnected (it resumes on reconnect). Default 64.
	SendQueue int
	// Rate and Burst bound frames per second from one client. Default 20, 60.
	Rate, Burst float64
	// PingEvery is how often the server pings; a client silent for twice
	// that is disconnected. Default 20s.
	PingEvery time.Duration
	// Guard, if set, counts wrong access codes by client address and
	// refuses further tries from an address over its limit.
	Guard Guard
}

// Guard slows the guessing of access codes (internal/throttle.Failures).
type Guard interface {
	Allow(client string) bool // whether client may try a code now
	Fail(client string)       // client got a code wrong
}

var bufferPool sync.Pool // shared write buffers: idle connections hold none

// WebSocketHandler serves the candidate protocol of docs/protocol.md.
func (e *Engine) WebSocketHandler(cfg WSConfig) http.Handler {
	d := livesession.Endpoint{SendQueue: cfg.SendQueue, Rate: cfg.Rate, Burst: cfg.Burst, PingEvery: cfg.PingEvery}.WithDefaults()
	cfg.SendQueue, cfg.Rate, cfg.Burst, cfg.PingEvery = d.SendQueue, d.Rate, d.Burst, d.PingEvery
	up := websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		WriteBufferPool: &bufferPool,
		CheckOrigin:     wsconn.CheckOrigin(cfg.AllowedOrigins),
	}
	return livesession.Handler(&up, &e.conns, func(c *websocket.Conn, r *http.Request) (livesession.Live, bool) {
		p := &wsPeer{wsconn.New[ServerMsg](c, cfg.SendQueue)}
		if !e.track(p) {
			return livesession.Live{}, false // the engine is closing
		}
		e.m.connected(1)
		p.Written = func(m *ServerMsg) { releaseAttemptBuf(m.raw) }
		client := throttle.Client(r)
		return livesession.Live{
			Write: func() { p.WriteLoop(cfg.PingEvery, rawMsg) },
			Read:  func() { e.serve(e.bg, p, cfg, client) },
			Close: p.Close,
			Drain: p.Drain,
			Done: func() {
				e.untrack(p)
				e.m.connected(-1)
			},
		}, true
	})
}

// track registers a live connection so Close can end it; it reports false
// once the engine is closing.
func (e *Engine) track(p *wsPeer) bool { return livesession.Track(&e.mu, &e.closed, e.peers, p) }

func (e *Engine) untrack(p *wsPeer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.peers, p)
}

// wsPeer is one candidate connection: serve reads, the embedded
// connection's WriteLoop writes.
type wsPeer struct {
	*wsconn.Conn[ServerMsg]
}

// rawMsg returns a message's pre-encoded bytes, if it has them.
func rawMsg(m *ServerMsg) []byte { return m.raw }

// session is the candidate protocol's part of one connection's reader
// loop (internal/livesession).
type session struct {
	e       *Engine
	p       *wsPeer
	guard   Guard
	client  string // the client's address, for guard
	attempt string // the joined attempt; set by Hello, read by Handle
}

// serve runs the reader loop of p until the connection ends.
func (e *Engine) serve(ctx context.Context, p *wsPeer, cfg WSConfig, client string) {
	s := &session{e: e, p: p, guard: cfg.Guard, client: client}
	livesession.Serve[ClientMsg](ctx, p.WS, p, s, livesession.Config{
		Version: ProtocolVersion, MaxFrameBytes: MaxFrameBytes,
		Idle: 2 * cfg.PingEvery, Rate: cfg.Rate, Burst: cfg.Burst, Clock: e.clock,
		NotJoined:     "send hello with your access code first",
		Dropped:       "too many messages; this one was not stored",
		UnknownReason: "too many unknown access codes",
		Refused:       e.m.protocolError,
	})
	if s.attempt != "" {
		e.Leave(s.attempt, p)
	}
}

// Decode parses a candidate frame.
func (s *session) Decode(b []byte) (ClientMsg, livesession.Frame, error) {
	m, err := DecodeClientMsg(b)
	return m, livesession.Frame{Hello: m.Type == MsgHello, V: m.V, Seq: m.Seq}, err
}

// Hello leaves the attempt joined before, if any, and joins the attempt
// of the access code; an address over the guard's limit is refused and
// disconnected.
func (s *session) Hello(ctx context.Context, m ClientMsg) error {
	if s.attempt != "" {
		s.e.leave(s.attempt, s.p, false)
	}
	if s.guard != nil && !s.guard.Allow(s.client) {
		return &livesession.Closing{
			Err:  perr(CodeUnknownCode, "too many wrong access codes from this address: wait a little, then try again"),
			Code: CloseUnknown, Reason: "too many unknown access codes",
		}
	}
	id, err := s.e.Join(ctx, m.Code, s.p)
	if err != nil {
		if s.guard != nil && errCode(err) == CodeUnknownCode {
			s.guard.Fail(s.client)
		}
		return err
	}
	s.attempt = id
	if g, ok := s.guard.(interface{ Succeed(client, code string) }); ok {
		if _, c, err := s.e.byCode(ctx, m.Code); err == nil {
			g.Succeed(s.client, c.AccessCode) // a right code refunds its room's mistypes
		}
	}
	return nil
}

// Handle applies a frame to the joined attempt.
func (s *session) Handle(ctx context.Context, m ClientMsg) { s.e.Handle(ctx, s.attempt, s.p, m) }

// Reject sends an error naming seq.
func (s *session) Reject(_ ClientMsg, seq uint64, err error) { s.p.Send(errorMsg(seq, err)) }
