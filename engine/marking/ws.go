package marking

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/internal/wsconn"

	"github.com/accredit/accredit/engine/roleplay"
)

// WSConfig tunes the assessor WebSocket endpoint; the zero value is usable.
type WSConfig struct {
	// AllowedOrigins lists extra origins (scheme://host[:port]) that may
	// open a connection; the page's own origin is always allowed.
	AllowedOrigins []string
	// SendQueue bounds the messages waiting for a slow client; when full the
	// client is disconnected (it resumes on reconnect). Default 64.
	SendQueue int
	// Rate and Burst bound frames per second from one client, measured on
	// the service's clock. Default 20, 60.
	Rate, Burst float64
	// PingEvery is how often the server pings; a client silent for twice
	// that is disconnected. Default 20s.
	PingEvery time.Duration
}

func (c WSConfig) withDefaults() WSConfig {
	if c.SendQueue <= 0 {
		c.SendQueue = 64
	}
	if c.Rate <= 0 {
		c.Rate, c.Burst = 20, 60
	}
	if c.PingEvery <= 0 {
		c.PingEvery = 20 * time.Second
	}
	return c
}

// Connection limits.
const (
	helloTimeout   = 15 * time.Second
	maxBadCodes    = 5  // unknown assessor codes before the connection is closed
	maxRateDropped = 50 // frames dropped for rate before the connection is closed
)

// WebSocketHandler serves the assessor protocol of docs/marking-protocol.md.
func (s *Service) WebSocketHandler() http.Handler {
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, CheckOrigin: wsconn.CheckOrigin(s.ws.AllowedOrigins)}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has written the HTTP error
		}
		// Keep only the headers and the client's address: Identify reads
		// the staff session's cookie when the hello carries no code, and
		// counts wrong codes by address.
		p := &peer{Conn: wsconn.New[ServerMsg](c, s.ws.SendQueue), req: &http.Request{Header: r.Header.Clone(), RemoteAddr: r.RemoteAddr}}
		if !s.track(p) {
			c.Close()
			return
		}
		// The service owns both goroutines and waits for them in Close.
		s.conns.Go(func() { p.WriteLoop(s.ws.PingEvery, nil) })
		s.conns.Go(func() {
			defer s.untrack(p)
			s.readLoop(s.bg, p)
			p.Close(websocket.CloseNormalClosure, "")
		})
	})
}

func (s *Service) track(p *peer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.all[p] = true
	return true
}

func (s *Service) untrack(p *peer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.all, p)
	if p.code != "" && s.peers[p.code] == p {
		delete(s.peers, p.code)
	}
}

// peer is one assessor connection: readLoop reads, the embedded
// connection's WriteLoop writes.
type peer struct {
	*wsconn.Conn[ServerMsg]
	code string        // the signed-in assessor's ID; set and read by readLoop, read by untrack after it
	req  *http.Request // the upgrade request's headers, for Identify

	mu  sync.Mutex // protects sig
	sig string     // signature of the stations the client was last sent
}

func (s *Service) readLoop(ctx context.Context, p *peer) {
	c := p.WS
	c.SetReadLimit(MaxFrameBytes)
	idle := 2 * s.ws.PingEvery
	c.SetReadDeadline(time.Now().Add(helloTimeout))
	c.SetPongHandler(func(string) error { return c.SetReadDeadline(time.Now().Add(idle)) })
	lim := &wsconn.Limiter{Rate: s.ws.Rate, Burst: s.ws.Burst}
	badCodes, dropped := 0, 0
	for {
		_, b, err := c.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				p.Close(CloseTooLarge, "frame too large")
			}
			return
		}
		c.SetReadDeadline(time.Now().Add(idle))
		if !lim.Allow(s.clock.Now()) {
			if dropped++; dropped > maxRateDropped {
				p.Close(CloseRateLimit, "too many messages")
				return
			}
			// Name the dropped change, if the frame is one, so that the
			// client knows which to send again.
			m, _ := DecodeClientMsg(b)
			var ref *SheetRef
			if m.Seq > 0 {
				r := m.Ref()
				ref = &r
			}
			p.Send(ServerMsg{Type: MsgError, Seq: m.Seq, Sheet: ref, Code: CodeRateLimited, Message: "too many messages; this one was dropped: send it again"})
			continue
		}
		m, err := DecodeClientMsg(b)
		if err != nil {
			p.Send(errorMsg(m.Seq, nil, err))
			continue
		}
		switch {
		case m.Type == MsgHello:
			if m.V != ProtocolVersion {
				p.Send(errorMsg(0, nil, perr(CodeBadVersion, "protocol version %d is not supported; this server speaks %d", m.V, ProtocolVersion)))
				p.Close(CloseBadVersion, "unsupported protocol version")
				return
			}
			if err := s.hello(ctx, p, m.Code); err != nil {
				p.Send(errorMsg(0, nil, err))
				if codeOf(err).Code == CodeUnknownCode {
					if badCodes++; badCodes >= maxBadCodes {
						p.Close(CloseUnknown, "too many unknown assessor codes")
						return
					}
				}
			}
		case m.Type == MsgPing:
			now := s.clock.Now().UTC()
			p.Send(ServerMsg{Type: MsgPong, Now: &now})
			if p.code != "" {
				// Stations may have changed on another node.
				s.refresh(ctx, p.code)
			}
		case p.code == "":
			p.Send(errorMsg(m.Seq, nil, perr(CodeNotJoined, "send hello with your assessor code first")))
		default:
			s.handle(ctx, p, m)
		}
	}
}

// hello signs the connection in as the assessor with code (or the staff
// session's assessor when code is empty), taking over any other
// connection of the same assessor, and sends the welcome.
func (s *Service) hello(ctx context.Context, p *peer, code string) error {
	id, err := s.ident(p.req, strings.TrimSpace(code))
	if err != nil {
		return perr(CodeUnknownCode, "%s", err.Error())
	}
	a, ok := s.m.Assessors[id]
	if !ok {
		return perr(CodeUnknownCode, "no assessor has that code")
	}
	w, err := s.welcome(ctx, a)
	if err != nil {
		return s.protocolErr(err)
	}
	s.mu.Lock()
	if p.code != "" && s.peers[p.code] == p {
		delete(s.peers, p.code)
	}
	old := s.peers[a.ID]
	s.peers[a.ID] = p
	p.code = a.ID
	s.mu.Unlock()
	if old != nil && old != p {
		old.Send(ServerMsg{Type: MsgClosing, Code: CloseTakenOver, Reason: "taken_over"})
		old.Close(CloseTakenOver, "taken over by another connection")
	}
	p.mu.Lock()
	p.sig = signature(w.Circuits)
	p.Send(w)
	p.mu.Unlock()
	return nil
}

// handle applies one change and answers with an ack or an error.
func (s *Service) handle(ctx context.Context, p *peer, m ClientMsg) {
	s.mu.Lock()
	current := s.peers[p.code] == p
	s.mu.Unlock()
	if !current {
		return // taken over: this connection is closing
	}
	ref := m.Ref()
	k := roleplay.SheetKey{Circuit: m.Circuit, Station: m.Station, Candidate: m.Candidate, Assessor: p.code}
	out, err := s.Apply(ctx, k, m.change(p.code))
	if err != nil {
		p.Send(errorMsg(m.Seq, &ref, err))
		return
	}
	p.Send(ServerMsg{Type: MsgAck, Seq: m.Seq, Sheet: &ref, Duplicate: !out.Applied})
	if m.Type == MsgSubmit && out.Applied {
		p.Send(ServerMsg{Type: MsgSheet, Sheets: []SheetVM{{State: out.State, LastSeq: out.Acked}}})
		// A second submit may flag the station for the lead's decision.
		if c := s.m.Circuits[k.Circuit]; c.DoubleMarking.Resolution == roleplay.ResolveLead {
			s.refresh(ctx, c.LeadAssessor)
		}
	}
}
