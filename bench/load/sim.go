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
	r      *run
	code   string
	node   int        // index into Config.Nodes of the current connection
	rng    *rand.Rand // the candidate's choices
	jitter *rand.Rand // backoff jitter, apart from the choices so that faults do not change them
	conn   *websocket.Conn
	items  []itemView
	out    *outbox

	client                  // answers: acks, resumes, duplicates after a re-send, the loss check
	start     time.Duration // release to the first attempt message
	flags     int           // flags acknowledged
	paused    bool          // the invigilator has stopped the clock: changes wait for the resume
	done      bool          // the attempt is submitted
	submitted bool          // the submit was acknowledged, or the attempt found submitted
}

// ackRecord is one acknowledged answer, in nanoseconds since the release.
type ackRecord struct {
	sent, acked int64
	clean       bool // acknowledged on the connection it was first sent on
}

// maxTries bounds the re-sends of one message refused with 501 or 103.
const maxTries = 20

var (
	errGaveUp = errors.New("message refused too many times")
	errNoConn = errors.New("not connected")
)

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

func (s *sim) send(m engine.ClientMsg) error { return sendJSON(s.conn, s.r.cfg.Timeout, m) }

// sendJSON writes m to c as JSON, giving up after timeout; with no
// connection (c nil) it returns errNoConn.
func sendJSON(c *websocket.Conn, timeout time.Duration, m any) error {
	if c == nil {
		return errNoConn
	}
	c.SetWriteDeadline(time.Now().Add(timeout))
	return c.WriteJSON(m)
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
		if s.r.cfg.Observe != nil {
			s.r.cfg.Observe(s.code, raw)
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
// the server's last stored seq, from which new changes continue.
func (s *sim) take(a *attemptView) {
	s.items = s.items[:0]
	for _, sec := range a.Sections {
		s.items = append(s.items, sec.Items...)
	}
	s.out.observe(a.LastSeq)
}

// sit waits for the first attempt message, then answers until done. The
// attempt message is decoded only when the first answer is due, so that at
// a synchronised start the load generator spends the machine's processors
// on reading every candidate's first message, not on decoding questions.
// A connection that fails before it is resumed on another node.
func (s *sim) sit(ctx context.Context, started *sync.WaitGroup) {
	raw, at, err := s.readRaw()
	if err == nil && peekType(raw) != engine.MsgAttempt {
		err = fmt.Errorf("expected attempt, got %s", peekType(raw))
	}
	if err != nil {
		raw = nil
		if err = s.reconnect(true); err != nil {
			s.r.fail("start", err, msg{})
			started.Done()
			return
		}
		at = time.Now()
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
	s.take(m.Attempt)
	return nil
}

// answerAll answers Config.Answers times, or until the run's stop time,
// or until Config.Stop is closed; first is the undecoded attempt message,
// nil if a resume has decoded one.
func (s *sim) answerAll(ctx context.Context, first []byte) error {
	cfg, stop := s.r.cfg, s.r.stop
	n := cfg.Answers
	for k := 0; ctx.Err() == nil && !s.done; k++ {
		if cfg.Stop != nil {
			select {
			case <-cfg.Stop:
				return nil
			default:
			}
		} else if stop.IsZero() && n > 0 && k >= n {
			return nil
		}
		d := cfg.Think.Draw(s.rng)
		if !stop.IsZero() {
			d = min(d, time.Until(stop))
		}
		s.idle(d)
		if !stop.IsZero() && !time.Now().Before(stop) {
			return nil
		}
		if k == 0 {
			if first != nil {
				if err := s.adopt(first); err != nil {
					return err
				}
			}
			if len(s.items) == 0 {
				return errors.New("attempt without items")
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
// flight, and waits until every change is acknowledged. While the
// invigilator has paused the clock it first waits for the resume, as the
// candidate's page does.
func (s *sim) step(k int) error {
	cfg := s.r.cfg
	if err := s.awaitResume(); err != nil || s.done {
		return err
	}
	it := s.items[k%len(s.items)]
	if k > 0 && s.rng.Float64() < cfg.ChangeRate {
		it = s.items[s.rng.IntN(min(k, len(s.items)))]
	}
	s.push(engine.ClientMsg{Type: engine.MsgAnswer, Item: it.ID, Options: s.choose(it)})
	if s.rng.Float64() < cfg.FlagRate {
		s.push(engine.ClientMsg{Type: engine.MsgFlag, Item: it.ID, Flagged: true})
	}
	if s.rng.Float64() < cfg.DropRate {
		if err := s.reconnect(false); err != nil {
			return fmt.Errorf("reconnect: %w", err)
		}
	}
	return s.drain()
}

// push gives m the next seq, keeps it in the outbox until acknowledged,
// and sends it. A failed send shows as a failed read next, and the resume
// sends the outbox again.
func (s *sim) push(m engine.ClientMsg) {
	s.send(s.out.add(m, time.Now()))
}

// idle waits as a candidate reading a question does. A browser answers the
// server's pings by itself; this client reads only when it expects a reply,
// so it sends a protocol ping every 15 s instead to stay within the
// server's idle timeout. A ping that cannot be sent is left: the next read
// finds the connection broken.
func (s *sim) idle(d time.Duration) {
	for d > 0 {
		step := min(d, 15*time.Second)
		time.Sleep(step)
		d -= step
		if d > 0 {
			s.send(engine.ClientMsg{Type: engine.MsgPing})
		}
	}
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
