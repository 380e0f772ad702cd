package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine"
)

// sim is one simulated candidate; one goroutine drives it at a time, and
// the run reads its figures only after that goroutine has finished.
type sim struct {
	r     *run
	code  string
	node  int // index into Config.Nodes of the current connection
	rng   *rand.Rand
	conn  *websocket.Conn
	items []itemView
	seq   uint64 // highest seq used or reported by the server

	outbox []pending           // sent and not yet acknowledged, in seq order
	acked  map[string][]string // last acknowledged options per item
	acks   []ackRecord         // every acknowledged answer
	resume []time.Duration     // drop to attempt message, per reconnect
	start  time.Duration       // release to the first attempt message
	flags  int                 // flags acknowledged
	dups   int                 // answers found stored after a drop, or acknowledged as duplicates
	loss   Loss                // the loss check's outcome
}

// pending is a message sent and not yet acknowledged.
type pending struct {
	m      engine.ClientMsg
	sent   time.Time
	resent bool // sent again after a reconnect: its latency is not an ack latency
	tries  int
}

// ackRecord is one acknowledged answer, in nanoseconds since the release.
type ackRecord struct {
	sent, acked int64
	clean       bool // acknowledged on the connection it was first sent on
}

// maxTries bounds the re-sends of one message refused with 501 or 103.
const maxTries = 20

var errGaveUp = errors.New("message refused too many times")

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
	raw, _, err := s.readRaw()
	if err != nil {
		return msg{}, err
	}
	var m msg
	return m, json.Unmarshal(raw, &m)
}

// readRaw returns the next message other than time warnings and pongs,
// undecoded, and when it began to arrive: the moment a browser on its own
// machine would have it, before this process, which shares the machine
// with the server, spends time decoding it.
func (s *sim) readRaw() ([]byte, time.Time, error) {
	for {
		s.conn.SetReadDeadline(time.Now().Add(s.r.cfg.Timeout))
		_, rd, err := s.conn.NextReader()
		if err != nil {
			return nil, time.Time{}, err
		}
		at := time.Now()
		raw, err := io.ReadAll(rd)
		if err != nil {
			return nil, at, err
		}
		if t := peekType(raw); t != engine.MsgTime && t != engine.MsgPong {
			return raw, at, nil
		}
	}
}

// peekType returns a message's type without decoding the rest: the server
// writes "type" first, and a message that does not start so is decoded.
func peekType(raw []byte) string {
	const prefix = `{"type":"`
	if rest, ok := bytes.CutPrefix(raw, []byte(prefix)); ok {
		if i := bytes.IndexByte(rest, '"'); i >= 0 {
			return string(rest[:i])
		}
	}
	var m struct{ Type string }
	json.Unmarshal(raw, &m)
	return m.Type
}

// take adopts an attempt message: the items in this candidate's order, and
// the server's last stored seq, from which new messages continue.
func (s *sim) take(m msg) {
	s.items = s.items[:0]
	for _, sec := range m.Attempt.Sections {
		s.items = append(s.items, sec.Items...)
	}
	s.seq = max(s.seq, m.Attempt.LastSeq)
}

// sit waits for the first attempt message, then answers until done. The
// attempt message is decoded only when the first answer is due, so that at
// a synchronised start the load generator spends the machine's processors
// on reading every candidate's first message, not on decoding questions.
func (s *sim) sit(ctx context.Context, started *sync.WaitGroup) {
	raw, at, err := s.readRaw()
	if err != nil || peekType(raw) != engine.MsgAttempt {
		s.r.fail("start", err, msg{Type: peekType(raw)})
		started.Done()
		return
	}
	s.start = at.Sub(s.r.released)
	started.Done()
	if err := s.answerAll(ctx, raw); err != nil {
		s.r.fail("answer", err, msg{})
	}
}

// adopt decodes the first attempt message.
func (s *sim) adopt(raw []byte) error {
	var m msg
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if m.Attempt == nil {
		return errors.New("attempt message without an attempt")
	}
	s.take(m)
	if len(s.items) == 0 {
		return errors.New("attempt without items")
	}
	return nil
}

// answerAll answers Config.Answers times, or until the run's stop time;
// first is the undecoded attempt message.
func (s *sim) answerAll(ctx context.Context, first []byte) error {
	cfg, stop := s.r.cfg, s.r.stop
	n := cfg.Answers
	for k := 0; ctx.Err() == nil; k++ {
		if stop.IsZero() && n > 0 && k >= n {
			return nil
		}
		d := cfg.Think.Draw(s.rng)
		if !stop.IsZero() {
			d = min(d, time.Until(stop))
		}
		if err := s.idle(d); err != nil {
			return err
		}
		if !stop.IsZero() && !time.Now().Before(stop) {
			return nil
		}
		if k == 0 {
			if err := s.adopt(first); err != nil {
				return err
			}
			if n <= 0 {
				n = len(s.items)
			}
		}
		if err := s.step(k); err != nil {
			return err
		}
	}
	return nil
}

// step answers one item (the next, or with ChangeRate an earlier one
// again), flags it with FlagRate without waiting for the answer's
// acknowledgement, drops the connection with DropRate while both are in
// flight, and waits until every message is acknowledged.
func (s *sim) step(k int) error {
	cfg := s.r.cfg
	it := s.items[k%len(s.items)]
	if k > 0 && s.rng.Float64() < cfg.ChangeRate {
		it = s.items[s.rng.IntN(min(k, len(s.items)))]
	}
	if err := s.push(engine.ClientMsg{Type: engine.MsgAnswer, Item: it.ID, Options: s.choose(it)}); err != nil {
		return err
	}
	if s.rng.Float64() < cfg.FlagRate {
		if err := s.push(engine.ClientMsg{Type: engine.MsgFlag, Item: it.ID, Flagged: true}); err != nil {
			return err
		}
	}
	if s.rng.Float64() < cfg.DropRate {
		if err := s.reconnect(); err != nil {
			return fmt.Errorf("reconnect: %w", err)
		}
	}
	return s.drain()
}

// push gives m the next seq, keeps it until acknowledged, and sends it.
func (s *sim) push(m engine.ClientMsg) error {
	s.seq++
	m.Seq = s.seq
	s.outbox = append(s.outbox, pending{m: m, sent: time.Now()})
	return s.send(m)
}

// reconnect drops the connection as a network failure would (no close
// frame; whatever was in flight may or may not have been stored), joins
// again on the next node, and re-sends every unacknowledged message in
// order, as docs/protocol.md asks of a client. A message at or below the
// server's last_seq was processed: if the attempt shows it, it is settled
// without a re-send; if not (it was dropped for the rate and the error was
// lost with the connection), it and everything after it go again with new
// seqs, since the server ignores a seq it has passed.
func (s *sim) reconnect() error {
	t0 := time.Now()
	s.conn.UnderlyingConn().Close()
	s.node = (s.node + 1) % len(s.r.cfg.Nodes)
	m, err := s.dial()
	if err != nil {
		return err
	}
	if m.Type != engine.MsgAttempt || m.Attempt == nil {
		return fmt.Errorf("resume: got %s %d", m.Type, m.Code)
	}
	s.resume = append(s.resume, time.Since(t0))
	s.take(m)
	last, renumber := m.Attempt.LastSeq, false
	kept := s.outbox[:0]
	for _, p := range s.outbox {
		if p.m.Seq <= last && !renumber {
			if shows(m.Attempt, p.m) {
				s.settle(p, true)
				continue
			}
			renumber = true
		}
		if renumber {
			s.seq++
			p.m.Seq = s.seq
		}
		p.resent = true
		kept = append(kept, p)
	}
	s.outbox = kept
	for _, p := range s.outbox {
		if err := s.send(p.m); err != nil {
			return err
		}
	}
	return nil
}

// shows reports whether attempt a holds what answer or flag m set.
func shows(a *attemptView, m engine.ClientMsg) bool {
	if m.Type == engine.MsgFlag {
		return slices.Contains(a.Flags, m.Item) == m.Flagged
	}
	got, ok := a.Answers[m.Item]
	return ok && sameSet(got, m.Options)
}

// drain reads replies until every sent message is acknowledged or refused.
func (s *sim) drain() error {
	for len(s.outbox) > 0 {
		m, err := s.read()
		if err != nil {
			return err
		}
		switch m.Type {
		case engine.MsgAck:
			s.ack(m)
		case engine.MsgError:
			if err := s.refused(m); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected %s %d %s", m.Type, m.Code, m.Reason)
		}
	}
	return nil
}

func (s *sim) find(seq uint64) int {
	return slices.IndexFunc(s.outbox, func(p pending) bool { return p.m.Seq == seq })
}

// ack records an acknowledgement. An ack for a seq no longer pending is
// the second reply to a message sent twice, and is ignored.
func (s *sim) ack(m msg) {
	i := s.find(m.Seq)
	if i < 0 {
		return
	}
	p := s.outbox[i]
	s.outbox = slices.Delete(s.outbox, i, i+1)
	s.settle(p, m.Duplicate)
}

// settle records p as stored: acknowledged, or (dup) found stored after a
// reconnect or acknowledged as a duplicate.
func (s *sim) settle(p pending, dup bool) {
	if p.m.Type != engine.MsgAnswer {
		s.flags++
		return
	}
	s.acked[p.m.Item] = p.m.Options
	now := time.Now()
	s.acks = append(s.acks, ackRecord{sent: p.sent.Sub(s.r.released).Nanoseconds(), acked: now.Sub(s.r.released).Nanoseconds(), clean: !p.resent})
	if dup {
		s.dups++
	}
	s.r.ackCount.Add(1)
}

// refused handles an error message. 501 (not stored) and 103 (dropped for
// the rate) ask for the message again: it goes after a pause with a new
// seq, since a later message may have been stored meanwhile and the server
// ignores a seq it has passed. A 103 without a seq (from a server before
// protocol 1's seq on 103) re-sends everything pending. Any other refusal
// is final: the message was not stored and is not checked.
func (s *sim) refused(m msg) error {
	s.r.errs.Inc(codeKey(m.Code))
	var again []int
	retry := m.Code == engine.CodeStore || m.Code == engine.CodeRateLimited
	switch {
	case retry && m.Seq > 0:
		if i := s.find(m.Seq); i >= 0 {
			again = []int{i}
		}
	case m.Code == engine.CodeRateLimited:
		for i := range s.outbox {
			again = append(again, i)
		}
	case m.Seq > 0:
		if i := s.find(m.Seq); i >= 0 {
			s.outbox = slices.Delete(s.outbox, i, i+1)
		}
		return nil
	default:
		return fmt.Errorf("error %d without seq: %s", m.Code, m.Message)
	}
	time.Sleep(s.r.cfg.RetryPause) // back off, as a browser would
	for _, i := range again {
		p := &s.outbox[i]
		if p.tries++; p.tries > maxTries {
			return errGaveUp
		}
		s.seq++
		p.m.Seq = s.seq
		if err := s.send(p.m); err != nil {
			return err
		}
	}
	return nil
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

func (s *sim) request(m engine.ClientMsg) (msg, error) {
	if err := s.send(m); err != nil {
		return msg{}, err
	}
	return s.read()
}

// checkAndSubmit joins again on a fresh connection to the next node,
// compares the server's answers with every acknowledged one, then submits.
// A candidate whose attempt cannot be read back counts every acknowledged
// answer as lost.
func (s *sim) checkAndSubmit() {
	if s.conn != nil {
		s.conn.Close()
	}
	s.node = (s.node + 1) % len(s.r.cfg.Nodes)
	m, err := s.dial()
	if err != nil || m.Type != engine.MsgAttempt || m.Attempt == nil {
		s.r.fail("check", err, m)
		s.loss = CompareAnswers(s.acked, nil)
		return
	}
	s.loss = CompareAnswers(s.acked, m.Attempt.Answers)
	s.seq = max(s.seq, m.Attempt.LastSeq) + 1
	reply, err := s.request(engine.ClientMsg{Type: engine.MsgSubmit, Seq: s.seq, Confirm: true})
	if err == nil && reply.Type == engine.MsgAck && reply.Seq == s.seq {
		reply, err = s.read() // the submit's ack; "submitted" follows it
	}
	if err != nil || reply.Type != engine.MsgSubmitted {
		s.r.fail("submit", err, reply)
	} else {
		s.r.submitted.Add(1)
	}
	s.conn.Close()
}
