package marking

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/livesession"
	"github.com/accredit/accredit/internal/wsconn"
)

// WSConfig tunes the assessor WebSocket endpoint; the zero value is
// usable. Rates are measured on the service's clock.
type WSConfig = livesession.Endpoint

// maxRateDropped: frames dropped for rate before the connection is closed.
const maxRateDropped = livesession.DefaultMaxDropped

// WebSocketHandler serves the assessor protocol of docs/marking-protocol.md.
func (s *Service) WebSocketHandler() http.Handler {
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, CheckOrigin: wsconn.CheckOrigin(s.ws.AllowedOrigins)}
	return livesession.Handler(&up, &s.conns, func(c *websocket.Conn, r *http.Request) (livesession.Live, bool) {
		// Keep only the headers and the client's address: Identify reads
		// the staff session's cookie when the hello carries no code, and
		// counts wrong codes by address.
		p := &peer{Conn: wsconn.New[ServerMsg](c, s.ws.SendQueue), req: &http.Request{Header: r.Header.Clone(), RemoteAddr: r.RemoteAddr}}
		if !livesession.Track(&s.mu, &s.closed, s.all, p) {
			return livesession.Live{}, false // the service is closing
		}
		return livesession.Live{
			Write: func() { p.WriteLoop(s.ws.PingEvery, nil) },
			Read:  func() { s.serve(s.bg, p) },
			Close: p.Close,
			Drain: p.Drain,
			Done:  func() { s.untrack(p) },
		}, true
	})
}

func (s *Service) untrack(p *peer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.all, p)
	if p.code != "" && s.peers[p.code] == p {
		delete(s.peers, p.code)
	}
}

// peer is one assessor connection: serve reads, the embedded
// connection's WriteLoop writes.
type peer struct {
	*wsconn.Conn[ServerMsg]
	code string        // the signed-in assessor's ID; set and read by serve, read by untrack after it
	req  *http.Request // the upgrade request's headers, for Identify

	mu  sync.Mutex // protects sig
	sig string     // signature of the stations the client was last sent
}

// session is the assessor protocol's part of one connection's reader loop
// (internal/livesession).
type session struct {
	s *Service
	p *peer
}

// serve runs the reader loop of p until the connection ends.
func (s *Service) serve(ctx context.Context, p *peer) {
	livesession.Serve[ClientMsg](ctx, p.WS, p, session{s, p}, livesession.Config{
		Version: ProtocolVersion, MaxFrameBytes: MaxFrameBytes,
		Idle: 2 * s.ws.PingEvery, Rate: s.ws.Rate, Burst: s.ws.Burst, Clock: s.clock,
		MaxDropped:    maxRateDropped,
		NotJoined:     "send hello with your assessor code first",
		Dropped:       "too many messages; this one was dropped: send it again",
		UnknownReason: "too many unknown assessor codes",
	})
}

// Decode parses an assessor frame; a ping is answered before a hello too.
func (x session) Decode(b []byte) (ClientMsg, livesession.Frame, error) {
	m, err := DecodeClientMsg(b)
	return m, livesession.Frame{Hello: m.Type == MsgHello, V: m.V, Seq: m.Seq, Open: m.Type == MsgPing}, err
}

// Hello signs the assessor in.
func (x session) Hello(ctx context.Context, m ClientMsg) error { return x.s.hello(ctx, x.p, m.Code) }

// Handle answers a ping, refreshing a signed-in assessor's stations (they
// may have changed on another node), or applies a change.
func (x session) Handle(ctx context.Context, m ClientMsg) {
	if m.Type != MsgPing {
		x.s.handle(ctx, x.p, m)
		return
	}
	now := x.s.clock.Now().UTC()
	x.p.Send(ServerMsg{Type: MsgPong, Now: &now})
	if x.p.code != "" {
		x.s.refresh(ctx, x.p.code)
	}
}

// Reject sends an error naming seq; a change dropped for rate also names
// its sheet, so that the client knows which to send again.
func (x session) Reject(m ClientMsg, seq uint64, err error) {
	var ref *SheetRef
	if seq > 0 && livesession.CodeOf(err) == CodeRateLimited {
		r := m.Ref()
		ref = &r
	}
	x.p.Send(errorMsg(seq, ref, err))
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
