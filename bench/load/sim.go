package load

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine"
)

// sim is one simulated candidate; one goroutine drives it.
type sim struct {
	r     *run
	code  string
	node  int
	rng   *rand.Rand
	conn  *websocket.Conn
	items []itemView
	seq   uint64
	acked map[string][]string // last acknowledged answer per item
}

// dial opens a connection to the sim's current node and says hello; it
// returns the first message after welcome.
func (s *sim) dial() (msg, error) {
	c, _, err := dialer.Dial("ws://"+s.r.cfg.Nodes[s.node]+"/ws/candidate", nil)
	if err != nil {
		return msg{}, err
	}
	s.conn = c
	if err := s.send(engine.ClientMsg{Type: engine.MsgHello, V: engine.ProtocolVersion, Code: s.code}); err != nil {
		return msg{}, err
	}
	m, err := s.read()
	if err != nil {
		return m, err
	}
	if m.Type != engine.MsgWelcome {
		return m, fmt.Errorf("hello: got %s %d %s", m.Type, m.Code, m.Message)
	}
	return s.read()
}

func (s *sim) join() error {
	t0 := time.Now()
	m, err := s.dial()
	if err != nil {
		return err
	}
	if m.Type != engine.MsgWaiting {
		return fmt.Errorf("expected waiting, got %s", m.Type)
	}
	s.r.join.Add(time.Since(t0))
	return nil
}

func (s *sim) send(m engine.ClientMsg) error {
	s.conn.SetWriteDeadline(time.Now().Add(s.r.cfg.Timeout))
	return s.conn.WriteJSON(m)
}

// read returns the next message other than time warnings and pongs.
func (s *sim) read() (msg, error) {
	m, _, err := s.readAt()
	return m, err
}

// readAt is read, also returning when the message began to arrive: the
// moment a browser on its own machine would have it, before this process,
// which shares the machine with the server, spends time decoding it.
func (s *sim) readAt() (msg, time.Time, error) {
	for {
		s.conn.SetReadDeadline(time.Now().Add(s.r.cfg.Timeout))
		var m msg
		_, rd, err := s.conn.NextReader()
		if err != nil {
			return m, time.Time{}, err
		}
		at := time.Now()
		if err := json.NewDecoder(rd).Decode(&m); err != nil {
			return m, at, err
		}
		if m.Type != engine.MsgTime && m.Type != engine.MsgPong {
			return m, at, nil
		}
	}
}

func (s *sim) take(m msg) {
	s.items = s.items[:0]
	for _, sec := range m.Attempt.Sections {
		s.items = append(s.items, sec.Items...)
	}
	s.seq = max(s.seq, m.Attempt.LastSeq)
}

// sit waits for the first item, then answers until done.
func (s *sim) sit(ctx context.Context, started *sync.WaitGroup) {
	m, at, err := s.readAt()
	if err != nil || m.Type != engine.MsgAttempt {
		s.r.errs.Inc(fmt.Sprintf("start: %v %s", err, m.Type))
		started.Done()
		return
	}
	s.r.start.Add(at.Sub(time.Unix(0, s.r.released.Load())))
	s.take(m)
	started.Done()

	cfg := s.r.cfg
	until := time.Time{}
	if cfg.Saturate > 0 {
		until = time.Now().Add(cfg.Saturate)
	}
	n := cfg.Answers
	if n <= 0 {
		n = len(s.items)
	}
	for k := 0; ; k++ {
		if ctx.Err() != nil || (until.IsZero() && k >= n) || (!until.IsZero() && time.Now().After(until)) {
			return
		}
		if cfg.ThinkMean > 0 && cfg.Saturate == 0 {
			if err := s.idle(s.think()); err != nil {
				s.r.errs.Inc("idle: " + short(err))
				return
			}
		}
		it := s.items[k%len(s.items)]
		if k > 0 && s.rng.Float64() < cfg.ChangeRate {
			it = s.items[s.rng.IntN(min(k, len(s.items)))]
		}
		if err := s.answer(it); err != nil {
			s.r.errs.Inc("answer: " + short(err))
			return
		}
		if s.rng.Float64() < cfg.FlagRate {
			s.seq++
			if m, err := s.request(engine.ClientMsg{Type: engine.MsgFlag, Seq: s.seq, Item: it.ID, Flagged: true}); err != nil || m.Type != engine.MsgAck {
				s.r.errs.Inc("flag")
			}
		}
	}
}

// think draws a think time: exponential with mean ThinkMean, cut at four
// times the mean so that no candidate idles for the length of a sitting.
func (s *sim) think() time.Duration {
	return time.Duration(min(s.rng.ExpFloat64(), 4) * float64(s.r.cfg.ThinkMean))
}

// idle waits as a candidate reading a question does. A browser answers the
// server's pings by itself; this client reads only when it expects a reply,
// so it sends a protocol ping every 15 s instead to stay within the
// server's idle timeout.
func (s *sim) idle(d time.Duration) error {
	for d > 0 {
		step := min(d, 15*time.Second)
		time.Sleep(step)
		d -= step
		if d > 0 {
			if err := s.send(engine.ClientMsg{Type: engine.MsgPing}); err != nil {
				return err
			}
		}
	}
	return nil
}

// choose picks options for an item: one, or Select of them.
func (s *sim) choose(it itemView) []string {
	idx := s.rng.Perm(len(it.Options))[:max(it.Select, 1)]
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, k := range idx {
		out[i] = it.Options[k].ID
	}
	return out
}

// answer sends one answer and waits for its acknowledgement; with
// probability DropRate the connection drops while the answer is in flight
// and the candidate resumes on the next node, re-sending it if the server
// had not stored it.
func (s *sim) answer(it itemView) error {
	opts := s.choose(it)
	s.seq++
	out := engine.ClientMsg{Type: engine.MsgAnswer, Seq: s.seq, Item: it.ID, Options: opts}
	sent := time.Now()
	if s.rng.Float64() < s.r.cfg.DropRate {
		if err := s.send(out); err != nil {
			return err
		}
		s.conn.UnderlyingConn().Close() // the network drops; the ack never arrives
		s.node = (s.node + 1) % len(s.r.cfg.Nodes)
		m, err := s.dial()
		if err != nil {
			return fmt.Errorf("reconnect: %w", err)
		}
		if m.Type != engine.MsgAttempt {
			return fmt.Errorf("reconnect: got %s", m.Type)
		}
		s.r.reconn.Add(1)
		stored := m.Attempt.LastSeq >= out.Seq
		s.take(m)
		if stored {
			s.acked[it.ID] = m.Attempt.Answers[it.ID]
			return nil
		}
		s.seq++
		out.Seq = s.seq
		sent = time.Now()
	}
	for try := 0; ; try++ {
		m, err := s.request(out)
		if err != nil {
			return err
		}
		switch {
		case m.Type == engine.MsgAck:
			s.r.ack.Add(time.Since(sent))
			s.r.acked.Add(1)
			s.r.lastAck.Store(time.Now().UnixNano())
			s.acked[it.ID] = opts
			return nil
		case m.Type == engine.MsgError && m.Code == engine.CodeStore && try < 20:
			s.r.errs.Inc(protoErr(m))
			time.Sleep(50 * time.Millisecond) // the server asked for a re-send
		default:
			s.r.errs.Inc(protoErr(m))
			return nil
		}
	}
}

func (s *sim) request(m engine.ClientMsg) (msg, error) {
	if err := s.send(m); err != nil {
		return msg{}, err
	}
	return s.read()
}

// checkAndSubmit resumes on a fresh connection, compares the server's
// answers with every acknowledged one, then submits.
func (s *sim) checkAndSubmit() {
	if s.conn != nil {
		s.conn.Close()
	}
	m, err := s.dial()
	if err != nil || m.Type != engine.MsgAttempt {
		s.r.errs.Inc(fmt.Sprintf("check: %v %s", err, m.Type))
		s.r.lost.Add(int64(len(s.acked))) // cannot be read back: count as lost
		return
	}
	for id, want := range s.acked {
		s.r.checked.Add(1)
		if !slices.Equal(m.Attempt.Answers[id], want) {
			s.r.lost.Add(1)
		}
	}
	s.seq = max(s.seq, m.Attempt.LastSeq) + 1
	reply, err := s.request(engine.ClientMsg{Type: engine.MsgSubmit, Seq: s.seq, Confirm: true})
	if err == nil && reply.Type == engine.MsgSubmitted {
		s.r.submit.Add(1)
	} else {
		s.r.errs.Inc(fmt.Sprintf("submit: %v %s %d", err, reply.Type, reply.Code))
	}
	s.conn.Close()
}
