package engine

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/accredit/accredit/internal/throttle"

	"github.com/gorilla/websocket"

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

// Connection limits.
const (
	helloTimeout   = 15 * time.Second
	maxBadCodes    = 5  // wrong access codes before the connection is closed
	maxRateDropped = 50 // frames dropped for rate before the connection is closed
)

var bufferPool sync.Pool // shared write buffers: idle connections hold none

// WebSocketHandler serves the candidate protocol of docs/protocol.md.
func (e *Engine) WebSocketHandler(cfg WSConfig) http.Handler {
	if cfg.SendQueue <= 0 {
		cfg.SendQueue = 64
	}
	if cfg.Rate <= 0 {
		cfg.Rate, cfg.Burst = 20, 60
	}
	if cfg.PingEvery <= 0 {
		cfg.PingEvery = 20 * time.Second
	}
	up := websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		WriteBufferPool: &bufferPool,
		CheckOrigin:     wsconn.CheckOrigin(cfg.AllowedOrigins),
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has written the HTTP error
		}
		p := &wsPeer{wsconn.New[ServerMsg](c, cfg.SendQueue)}
		if !e.track(p) {
			c.Close() // the engine is closing
			return
		}
		e.m.connected(1)
		// The connection gets goroutines of its own and this handler returns,
		// so net/http's per-request buffers and stack are freed: an idle
		// candidate costs only what the connection needs. The engine owns
		// both goroutines and waits for them in Close.
		p.Written = func(m *ServerMsg) { releaseAttemptBuf(m.raw) }
		e.conns.Go(func() { p.WriteLoop(cfg.PingEvery, rawMsg) })
		e.conns.Go(func() {
			defer e.m.connected(-1)
			defer e.untrack(p)
			e.readLoop(e.bg, p, cfg, throttle.Client(r))
			p.Close(websocket.CloseNormalClosure, "")
		})
	})
}

// track registers a live connection so Close can end it; it reports false
// once the engine is closing.
func (e *Engine) track(p *wsPeer) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.peers[p] = true
	return true
}

func (e *Engine) untrack(p *wsPeer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.peers, p)
}

// wsPeer is one candidate connection: readLoop reads, the embedded
// connection's WriteLoop writes.
type wsPeer struct {
	*wsconn.Conn[ServerMsg]
}

// rawMsg returns a message's pre-encoded bytes, if it has them.
func rawMsg(m *ServerMsg) []byte { return m.raw }

func (e *Engine) readLoop(ctx context.Context, p *wsPeer, cfg WSConfig, client string) {
	c := p.WS
	c.SetReadLimit(MaxFrameBytes)
	idle := 2 * cfg.PingEvery
	c.SetReadDeadline(time.Now().Add(helloTimeout))
	c.SetPongHandler(func(string) error { return c.SetReadDeadline(time.Now().Add(idle)) })
	lim := &wsconn.Limiter{Rate: cfg.Rate, Burst: cfg.Burst}
	var attempt string
	badCodes, dropped := 0, 0
	defer func() {
		if attempt != "" {
			e.Leave(attempt, p)
		}
	}()
	for {
		_, b, err := c.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				p.Close(CloseTooLarge, "frame too large")
			}
			return
		}
		c.SetReadDeadline(time.Now().Add(idle))
		m, err := DecodeClientMsg(b)
		if !lim.Allow(e.clock.Now()) {
			// Dropped unread; the error names its seq so the client sends
			// it again (with a new seq if later ones were stored meanwhile).
			e.m.protocolError(CodeRateLimited)
			if dropped++; dropped > maxRateDropped {
				p.Close(CloseRateLimit, "too many messages")
				return
			}
			p.Send(ServerMsg{Type: MsgError, Seq: m.Seq, Code: CodeRateLimited, Message: "too many messages; this one was not stored"})
			continue
		}
		if err != nil {
			e.m.protocolError(errCode(err))
			p.Send(errorMsg(m.Seq, err))
			continue
		}
		switch {
		case m.Type == MsgHello:
			if m.V != ProtocolVersion {
				p.Send(errorMsg(0, perr(CodeBadVersion, "protocol version %d is not supported; this server speaks %d", m.V, ProtocolVersion)))
				p.Close(CloseBadVersion, "unsupported protocol version")
				return
			}
			if attempt != "" {
				e.Leave(attempt, p)
			}
			if cfg.Guard != nil && !cfg.Guard.Allow(client) {
				e.m.protocolError(CodeUnknownCode)
				p.Send(errorMsg(0, perr(CodeUnknownCode, "too many wrong access codes from this address: wait a minute, then try again")))
				p.Close(CloseUnknown, "too many unknown access codes")
				return
			}
			id, err := e.Join(ctx, m.Code, p)
			if err != nil && cfg.Guard != nil && errCode(err) == CodeUnknownCode {
				cfg.Guard.Fail(client)
			}
			if err != nil {
				e.m.protocolError(errCode(err))
				p.Send(errorMsg(0, err))
				if errCode(err) == CodeUnknownCode {
					if badCodes++; badCodes >= maxBadCodes {
						p.Close(CloseUnknown, "too many unknown access codes")
						return
					}
				}
				continue
			}
			attempt = id
		case attempt == "":
			p.Send(errorMsg(m.Seq, perr(CodeNotJoined, "send hello with your access code first")))
		default:
			e.Handle(ctx, attempt, p, m)
		}
	}
}
