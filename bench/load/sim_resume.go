package load

import (
	"errors"
	"fmt"
	"time"

	"github.com/accredit/accredit/engine"
)

// maxRejoins bounds the tries to join again after a drop or a failure: 20
// tries backing off up to 8 s each come to about two minutes.
const maxRejoins = 20

var errSubmitRefused = errors.New("submit refused")

// reconnect drops the connection as a network failure would (no close
// frame; whatever was in flight may or may not have been stored), or
// (failed) finds it broken under it, joins again on the next live node and
// re-sends the outbox, following docs/protocol.md's re-sending algorithm.
func (s *sim) reconnect(failed bool) error {
	t0 := time.Now()
	a, err := s.rejoin()
	if err != nil {
		return err
	}
	if failed {
		s.recovered = append(s.recovered, time.Since(t0))
	} else {
		s.resume = append(s.resume, time.Since(t0))
	}
	s.resumed(a)
	return nil
}

// rejoin closes the connection, if any, and joins again, on the next node
// first and then on the others in turn, backing off after each failure
// (Config.Backoff, jittered from the sim's own seeded source), until a
// node gives the attempt message or maxRejoins tries have failed.
func (s *sim) rejoin() (*attemptView, error) {
	var err error
	for try := 1; try <= maxRejoins; try++ {
		if s.conn != nil {
			s.conn.UnderlyingConn().Close()
			s.conn = nil
		}
		s.node = (s.node + 1) % len(s.r.cfg.Nodes)
		var m msg
		if m, err = s.dial(); err == nil {
			if m.Type == engine.MsgAttempt && m.Attempt != nil {
				return m.Attempt, nil
			}
			err = fmt.Errorf("got %s %d", m.Type, m.Code)
		}
		time.Sleep(s.r.cfg.Backoff.Delay(try, s.jitter))
	}
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	return nil, fmt.Errorf("rejoin: %d tries: %w", maxRejoins, err)
}

// resumed adopts the attempt message of a rejoin and sends every change
// still in the outbox, in order, with the seq it already has (rule 3): a
// stored one comes back as a duplicate ack. A submitted attempt ends the
// candidate's changes.
func (s *sim) resumed(a *attemptView) {
	s.take(a)
	if a.Status == string(engine.StatusSubmitted) {
		s.finish()
		return
	}
	if s.paused = a.Paused; s.paused {
		return // sent once the clock runs again
	}
	for i := range s.out.pending {
		s.out.pending[i].resent = true
		s.send(s.out.pending[i].m)
	}
}

// finish records the attempt as submitted.
func (s *sim) finish() {
	s.out.over()
	s.done, s.submitted = true, true
}

// drain reads replies until every change is acknowledged or refused,
// resuming on another node when the connection fails.
func (s *sim) drain() error {
	return s.readWhile(func() bool { return len(s.out.pending) > 0 })
}

// awaitResume reads, while the invigilator has paused the clock, until
// the attempt message of the resume (or the end of the attempt).
func (s *sim) awaitResume() error {
	return s.readWhile(func() bool { return s.paused })
}

// readWhile reads and handles messages while more is true and the attempt
// is not done, resuming on another node when the connection fails.
func (s *sim) readWhile(more func() bool) error {
	for more() && !s.done {
		if err := s.readOne(); err != nil {
			return err
		}
	}
	return nil
}

// readOne reads and handles the next message or, when the connection
// fails instead, resumes on another node.
func (s *sim) readOne() error {
	m, err := s.read()
	if err != nil {
		return s.reconnect(true)
	}
	return s.handle(m)
}

// handle deals with one message while changes are in flight or the clock
// is paused: a reply to a change, or what the invigilator's acts send
// (docs/protocol.md): the pause, the attempt message of the resume, an
// announcement.
func (s *sim) handle(m msg) error {
	switch m.Type {
	case engine.MsgPaused:
		s.paused = true
	case engine.MsgAttempt:
		if m.Attempt == nil {
			return errors.New("attempt message without an attempt")
		}
		s.resumed(m.Attempt) // on resume, the changes held are sent again
	case engine.MsgAnnouncement:
	case engine.MsgAck:
		if p, ok := s.out.acked(m.Seq); ok {
			s.settle(p, m.Duplicate)
		} // else: the second reply to a change sent twice
	case engine.MsgError:
		return s.refused(m)
	case engine.MsgSubmitted:
		s.finish()
	default:
		return fmt.Errorf("unexpected %s %d %s", m.Type, m.Code, m.Reason)
	}
	return nil
}

// settle records p as stored: acknowledged, dup if as a duplicate.
func (s *sim) settle(p pending, dup bool) {
	switch p.m.Type {
	case engine.MsgAnswer:
	case engine.MsgFlag:
		s.flags++
		return
	default:
		return
	}
	now := time.Now()
	s.acks = append(s.acks, ackRecord{sent: p.sent.Sub(s.r.released).Nanoseconds(), acked: now.Sub(s.r.released).Nanoseconds(), clean: !p.resent})
	if dup {
		s.dups++
	}
	s.r.ackCount.Add(1)
}

// refused handles an error message under docs/protocol.md's re-sending
// algorithm: 103 and 501 send the change again with the same seq after a
// pause (rule 4); 306 for a change drops it if superseded, else renumbers
// it (rule 5); 302 means the attempt is submitted; any other refusal is
// final (rule 6). A 103 without a seq dropped a ping.
func (s *sim) refused(m msg) error {
	s.r.errs.Inc(codeKey(m.Code))
	if m.Seq == 0 {
		if m.Code == engine.CodeRateLimited {
			return nil
		}
		return fmt.Errorf("error %d without seq: %s", m.Code, m.Message)
	}
	i := s.out.find(m.Seq)
	if i < 0 {
		return nil // about a change already settled
	}
	switch m.Code {
	case engine.CodeRateLimited, engine.CodeStore:
		return s.again(i, m.Code)
	case engine.CodeBadSeq:
		if p := s.out.badSeq(m.Seq); p != nil {
			s.send(p.m)
		}
	case engine.CodePaused:
		s.paused = true // kept, and sent again with the resume's attempt message
	case engine.CodeSubmitted:
		s.out.refused(m.Seq)
		s.finish()
	default:
		s.out.refused(m.Seq)
	}
	return nil
}

// again sends pending change i again with its seq after a pause: the
// frame budget's RetryPause after 103, Config.StoreBackoff after 501.
func (s *sim) again(i, code int) error {
	p := &s.out.pending[i]
	if p.tries++; p.tries > maxTries {
		return errGaveUp
	}
	pause := s.r.cfg.RetryPause
	if code == engine.CodeStore {
		pause = s.r.cfg.StoreBackoff.Delay(p.tries, s.jitter)
	}
	time.Sleep(pause)
	s.send(p.m)
	return nil
}

// checkAndSubmit joins again on a fresh connection to the next live node,
// compares the server's answers with every acknowledged one, then submits.
// A candidate whose attempt cannot be read back counts every acknowledged
// answer as lost.
func (s *sim) checkAndSubmit() {
	a, err := s.rejoin()
	if err != nil {
		s.r.fail("check", err, msg{})
		s.loss = CompareAnswers(s.out.answers, nil, 0)
		return
	}
	defer func() {
		if s.conn != nil {
			s.conn.Close()
		}
	}()
	s.loss = CompareAnswers(s.out.answers, a.Answers, a.LastSeq)
	s.out.pending = s.out.pending[:0]
	s.take(a)
	if a.Status == string(engine.StatusSubmitted) {
		s.finish()
	}
	if err := s.submit(); err != nil {
		s.r.fail("submit", err, msg{})
		return
	}
	s.r.submitted.Add(1)
}

// submit sends the submit through the outbox and waits for submitted: its
// ack comes first, and a resume may find the attempt submitted already.
func (s *sim) submit() error {
	if s.done {
		return nil
	}
	m := s.out.add(engine.ClientMsg{Type: engine.MsgSubmit, Confirm: true}, time.Now())
	s.send(m)
	for !s.done {
		if len(s.out.pending) == 0 && s.out.latest[target{typ: engine.MsgSubmit}] == 0 {
			return fmt.Errorf("%w (seq %d)", errSubmitRefused, m.Seq)
		}
		if err := s.readOne(); err != nil {
			return err
		}
	}
	return nil
}
