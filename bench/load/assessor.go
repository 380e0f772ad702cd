package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
)

// asim is one simulated assessor; one goroutine drives it at a time, and
// the run reads its figures only after that goroutine has finished.
type asim struct {
	r       *markRun
	code    string
	node    int // index into Config.Nodes of the current connection
	rng     *rand.Rand
	jitter  *rand.Rand      // backoff jitter, apart from the choices so that faults do not change them
	conn    *websocket.Conn // nil while offline
	id      string          // the assessor's id in the model, from the welcome
	skew    time.Duration   // the server's clock less this process's, at the last welcome
	welcome assessorMsg     // the welcome of the first sign-in

	sheet     *simSheet // the sheet being marked; nil until marking begins
	client              // changes: acks, resumes, those found stored after a drop, the loss check
	resent    int       // changes sent again after a reconnect
	submitted bool      // the sheet's submit was acknowledged
}

// simSheet is the sheet an assessor marks: what it has sent and what the
// server has acknowledged.
type simSheet struct {
	ref       marking.SheetRef
	key       roleplay.SheetKey
	criteria  []criterionView
	judgement []pointView
	seq       uint64              // the highest seq used on the sheet
	pending   []pendingChange     // not yet acknowledged, in seq order; the first may be in flight
	acked     sheetValues         // what the acknowledged changes make of the sheet
	log       []marking.ClientMsg // acknowledged changes, in seq order
}

// pendingChange is a change made and not yet acknowledged.
type pendingChange struct {
	m      marking.ClientMsg
	sent   time.Time // first sent; zero while made offline and not yet sent
	onConn bool      // sent on the current connection
	resent bool      // sent again after a reconnect: its latency is not an ack latency
	tries  int
}

// sheetValues is a sheet as a sequence of changes leaves it.
type sheetValues struct {
	marks     map[string]int
	judgement *int
	notes     map[string]string
	submitted bool
	lastSeq   uint64
}

func (v *sheetValues) apply(m marking.ClientMsg) {
	if v.marks == nil {
		v.marks, v.notes = map[string]int{}, map[string]string{}
	}
	switch m.Type {
	case marking.MsgMark:
		v.marks[m.Criterion] = *m.Value
	case marking.MsgClearMark:
		delete(v.marks, m.Criterion)
	case marking.MsgJudgement:
		j := *m.Value
		v.judgement = &j
	case marking.MsgNote:
		v.notes[m.Criterion] = m.Text
	case marking.MsgSubmit:
		v.submitted = true
	}
	v.lastSeq = max(v.lastSeq, m.Seq)
}

var errTakenOver = errors.New("taken over by another connection")

// dial opens a connection to the assessor's current node, says hello and
// returns the welcome.
func (s *asim) dial() (assessorMsg, error) {
	c, _, err := dialer.Dial("ws://"+s.r.cfg.Nodes[s.node]+"/ws/assessor", nil)
	if err != nil {
		return assessorMsg{}, err
	}
	s.conn = c
	if err := s.send(marking.ClientMsg{Type: marking.MsgHello, V: marking.ProtocolVersion, Code: s.code}); err != nil {
		return assessorMsg{}, err
	}
	m, err := s.read()
	switch {
	case err != nil:
		return m, err
	case m.Type != marking.MsgWelcome || m.Now == nil || m.Assessor == nil:
		return m, fmt.Errorf("hello: got %s %d %s", m.Type, m.Code, m.Message)
	}
	s.skew, s.id = m.Now.Sub(time.Now()), m.Assessor.ID
	return m, nil
}

func (s *asim) join() error {
	t0 := time.Now()
	m, err := s.dial()
	if err != nil {
		return err
	}
	s.r.join.Add(time.Since(t0))
	s.welcome = m
	return nil
}

func (s *asim) send(m marking.ClientMsg) error { return sendJSON(s.conn, s.r.cfg.Timeout, m) }

// read returns the next message other than pongs.
func (s *asim) read() (assessorMsg, error) {
	for {
		s.conn.SetReadDeadline(time.Now().Add(s.r.cfg.Timeout))
		_, raw, err := s.conn.ReadMessage()
		if err != nil {
			return assessorMsg{}, err
		}
		if peekType(raw) == marking.MsgPong {
			continue
		}
		var m assessorMsg
		return m, json.Unmarshal(raw, &m)
	}
}

// pick chooses the sheet to mark: the candidate whose slot, at a station
// the assessor marks, holds the server's clock now; failing that the next
// slot to start, waited for.
func (s *asim) pick() error {
	now := time.Now().Add(s.skew)
	var best *simSheet
	var bestStart time.Time
	for _, c := range s.welcome.Circuits {
		for _, st := range c.Stations {
			if st.Marker != roleplay.Primary {
				continue
			}
			for _, sl := range st.Schedule {
				current := !now.Before(sl.Start) && now.Before(sl.End)
				next := sl.Start.After(now) && (best == nil || sl.Start.Before(bestStart))
				if !current && !next {
					continue
				}
				best, bestStart = newSimSheet(c, st, sl.Candidate, s.id), sl.Start
				if current {
					return s.begin(best, bestStart)
				}
			}
		}
	}
	if best == nil {
		return errors.New("no slot now or to come at any station this assessor marks")
	}
	return s.begin(best, bestStart)
}

// begin waits until start, by the server's clock, and adopts sh, numbering
// after the welcome's last_seq.
func (s *asim) begin(sh *simSheet, start time.Time) error {
	s.idle(time.Until(start.Add(-s.skew)))
	if v := s.welcome.sheet(sh.ref); v != nil {
		sh.seq = v.LastSeq
	}
	s.sheet = sh
	return nil
}

func newSimSheet(c circuitView, st stationView, candidate, id string) *simSheet {
	sh := &simSheet{ref: marking.SheetRef{Circuit: c.ID, Station: st.ID, Candidate: candidate},
		key: roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: candidate, Assessor: id}, judgement: c.Judgement}
	for _, d := range st.Rubric.Domains {
		sh.criteria = append(sh.criteria, d.Criteria...)
	}
	return sh
}

// plan draws the changes an assessor makes to a sheet: each criterion
// marked on its scale, an evidence note for some (NoteRate), some marked
// again with another value (RemarkRate), the global judgement, a general
// note, and the submit. Changes carry no seq yet.
func (s *asim) plan() []marking.ClientMsg {
	a, sh := s.r.cfg.Assessors, s.sheet
	change := func(typ, criterion string) marking.ClientMsg {
		return marking.ClientMsg{Type: typ, Circuit: sh.ref.Circuit, Station: sh.ref.Station, Candidate: sh.ref.Candidate, Criterion: criterion}
	}
	value := func(points []pointView, not int) *int {
		v := points[s.rng.IntN(len(points))].Value
		for len(points) > 1 && v == not {
			v = points[s.rng.IntN(len(points))].Value
		}
		return &v
	}
	var out []marking.ClientMsg
	first := map[string]int{}
	for _, c := range sh.criteria {
		m := change(marking.MsgMark, c.ID)
		m.Value = value(c.Points, -1)
		first[c.ID] = *m.Value
		out = append(out, m)
		if s.rng.Float64() < a.NoteRate {
			m := change(marking.MsgNote, c.ID)
			m.Text = fmt.Sprintf("Seen at %s: what the candidate said and did, noted as evidence for the mark (%d).", c.ID, s.rng.IntN(1000))
			out = append(out, m)
		}
	}
	for _, c := range sh.criteria {
		if s.rng.Float64() < a.RemarkRate {
			m := change(marking.MsgMark, c.ID)
			m.Value = value(c.Points, first[c.ID])
			out = append(out, m)
		}
	}
	j := change(marking.MsgJudgement, "")
	j.Value = value(sh.judgement, -1)
	n := change(marking.MsgNote, "")
	n.Text = fmt.Sprintf("Overall: the candidate kept the child at the centre of the conversation (%d).", s.rng.IntN(1000))
	return append(out, j, n, change(marking.MsgSubmit, ""))
}

// mark makes every planned change with think time before each, one in
// flight at a time. With DropRate a change's connection drops, as often
// before the change is written as after, so that the server has it or
// not; the next changes, up to Offline of them, are then made
// offline, as on a tablet out of Wi-Fi, before the assessor reconnects on
// the next node and sends what is unacknowledged.
func (s *asim) mark(ctx context.Context) error {
	a, sh := s.r.cfg.Assessors, s.sheet
	offline := 0 // changes still to make offline
	for _, m := range s.plan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.idle(a.Think.Draw(s.rng))
		sh.seq++
		m.Seq = sh.seq
		sh.pending = append(sh.pending, pendingChange{m: m})
		if offline > 0 {
			if offline--; offline == 0 {
				if err := s.reconnect(); err != nil {
					return fmt.Errorf("reconnect: %w", err)
				}
			}
			continue
		}
		drop := s.rng.Float64() < a.DropRate
		if drop && s.rng.IntN(2) == 0 {
			p := &sh.pending[0]
			p.sent, p.onConn = time.Now(), true // sent, and lost on the way: the server never sees it
		} else {
			s.transmit()
		}
		if drop {
			s.drop()
			if offline = s.rng.IntN(a.Offline + 1); offline > 0 {
				continue
			}
			if err := s.reconnect(); err != nil {
				return fmt.Errorf("reconnect: %w", err)
			}
		}
		if err := s.deliver(); err != nil {
			return err
		}
	}
	if s.conn == nil {
		if err := s.reconnect(); err != nil {
			return fmt.Errorf("reconnect: %w", err)
		}
	}
	return s.deliver()
}

// transmit sends the first pending change unless it is on the wire. A
// failed send shows as a failed read next.
func (s *asim) transmit() {
	p := &s.sheet.pending[0]
	if p.onConn {
		return
	}
	if p.sent.IsZero() {
		p.sent = time.Now()
	}
	p.onConn = true
	s.send(p.m)
}

// deliver sends the pending changes in order, each once the one before is
// acknowledged or refused, so that a refusal without a seq (103) names the
// one change in flight. A connection that fails is resumed on a live node.
func (s *asim) deliver() error {
	sh := s.sheet
	for len(sh.pending) > 0 {
		s.transmit()
		m, err := s.read()
		if err != nil {
			if err := s.recover(); err != nil {
				return err
			}
			continue
		}
		switch m.Type {
		case marking.MsgAck:
			if p := sh.pending[0]; m.Seq == p.m.Seq && m.Sheet != nil && *m.Sheet == sh.ref {
				sh.pending = sh.pending[1:]
				s.settle(p, m.Duplicate, !p.resent)
			} // else: the second reply to a change sent twice
		case marking.MsgError:
			if err := s.refused(m); err != nil {
				return err
			}
		case marking.MsgSheet, marking.MsgCircuits:
		case marking.MsgClosing:
			return errTakenOver
		default:
			return fmt.Errorf("unexpected %s %d %s", m.Type, m.Code, m.Message)
		}
	}
	return nil
}

// refused handles an error message about the change in flight. 103
// (dropped for the rate) and 501 (not confirmed stored; it may have been)
// send it again with the same seq, after RetryPause or Config.StoreBackoff:
// nothing after it has been sent, and a change already stored is
// acknowledged again as a duplicate. Any other refusal is final: the
// change stored nothing and is not checked.
func (s *asim) refused(m assessorMsg) error {
	s.r.errs.Inc(markCodeKey(m.Code))
	sh := s.sheet
	p := &sh.pending[0]
	switch {
	case m.Code == marking.CodeRateLimited || m.Code == marking.CodeStore && m.Seq == p.m.Seq:
		if p.tries++; p.tries > maxTries {
			return errGaveUp
		}
		pause := s.r.cfg.RetryPause
		if m.Code == marking.CodeStore {
			pause = s.r.cfg.StoreBackoff.Delay(p.tries, s.jitter)
		}
		time.Sleep(pause) // back off, as the tablet page does
		p.onConn = false
	case m.Seq == p.m.Seq:
		sh.pending = sh.pending[1:]
	case m.Seq == 0:
		return fmt.Errorf("error %d without seq: %s", m.Code, m.Message)
	}
	return nil
}

// settle records p as stored: acknowledged, or (dup) found stored after a
// reconnect or acknowledged as a duplicate; clean if acknowledged on the
// connection it was first sent on.
func (s *asim) settle(p pendingChange, dup, clean bool) {
	sh := s.sheet
	sh.acked.apply(p.m)
	sh.log = append(sh.log, p.m)
	if dup {
		s.dups++
	}
	if p.m.Type == marking.MsgSubmit {
		s.submitted = true
	}
	began := s.r.began
	s.acks = append(s.acks, ackRecord{sent: p.sent.Sub(began).Nanoseconds(), acked: time.Since(began).Nanoseconds(), clean: clean})
	s.r.ackCount.Add(1)
}

// drop closes the connection as a network failure would: no close frame,
// and whatever was in flight may or may not have been stored.
func (s *asim) drop() {
	s.conn.UnderlyingConn().Close()
	s.conn = nil
}

// reconnect signs in again after a drop and delivers what is pending.
func (s *asim) reconnect() error {
	t0 := time.Now()
	w, err := s.rejoin()
	if err != nil {
		return err
	}
	s.resume = append(s.resume, time.Since(t0))
	s.resync(w)
	return s.deliver()
}

// recover signs in again after the connection failed under the assessor.
func (s *asim) recover() error {
	t0 := time.Now()
	w, err := s.rejoin()
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	s.recovered = append(s.recovered, time.Since(t0))
	s.resync(w)
	return nil
}

// rejoin drops the connection, if any, and signs in again, on the next
// node first and then on the others in turn, backing off after each
// failure (Config.Backoff, jittered from the assessor's own seeded
// source), until a node gives the welcome or maxRejoins tries have failed.
func (s *asim) rejoin() (assessorMsg, error) {
	var err error
	for try := 1; try <= maxRejoins; try++ {
		if s.conn != nil {
			s.drop()
		}
		s.node = (s.node + 1) % len(s.r.cfg.Nodes)
		var w assessorMsg
		if w, err = s.dial(); err == nil {
			return w, nil
		}
		time.Sleep(s.r.cfg.Backoff.Delay(try, s.jitter))
	}
	if s.conn != nil {
		s.drop()
	}
	return assessorMsg{}, fmt.Errorf("rejoin: %d tries: %w", maxRejoins, err)
}

// resync, as docs/marking-protocol.md asks of a client, settles the
// pending changes numbered up to the sheet's last_seq in welcome w (stored
// already: one change is in flight at a time) and marks the rest to be
// sent again, in order, with their own numbers.
func (s *asim) resync(w assessorMsg) {
	sh := s.sheet
	var last uint64
	if v := w.sheet(sh.ref); v != nil {
		last = v.LastSeq
	}
	kept := sh.pending[:0]
	for _, p := range sh.pending {
		if p.m.Seq <= last {
			s.settle(p, true, false)
			continue
		}
		if !p.sent.IsZero() {
			p.resent = true
			s.resent++
		}
		p.onConn = false
		kept = append(kept, p)
	}
	sh.pending = kept
}

// idle waits as an assessor watching the role-play does, sending a
// protocol ping every 15 s while connected to stay within the server's
// idle timeout; a ping that cannot be sent is left to the next read.
func (s *asim) idle(d time.Duration) {
	for d > 0 {
		step := min(d, 15*time.Second)
		time.Sleep(step)
		d -= step
		if d > 0 && s.conn != nil {
			s.send(marking.ClientMsg{Type: marking.MsgPing})
		}
	}
}

// check signs in on a fresh connection to the next live node and compares the
// sheet the welcome carries with what the assessor had acknowledged. A
// sheet that cannot be read back counts every acknowledged field as lost.
func (s *asim) check() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	sh := s.sheet
	if sh == nil || len(sh.log) == 0 {
		return
	}
	w, err := s.rejoin()
	if s.conn != nil {
		defer s.conn.Close()
	}
	if err != nil {
		s.r.errs.Inc("check: " + short(err))
		s.loss = compareSheet(sh.acked, nil)
		return
	}
	s.loss = compareSheet(sh.acked, w.sheet(sh.ref))
}

// compareSheet compares the values a sheet's acknowledged changes make
// with the sheet read back. Each acknowledged mark, note, the judgement,
// the submission and the last seq count as one field checked; a field the
// server lacks is missing, one it holds with another value is different.
// An acknowledged empty note (cleared) matches an absent one.
func compareSheet(want sheetValues, got *sheetView) Loss {
	var l Loss
	if got == nil {
		got = &sheetView{}
	}
	check := func(name string, ok, present bool) {
		l.Checked++
		switch {
		case !present:
			l.Missing = append(l.Missing, name)
		case !ok:
			l.Different = append(l.Different, name)
		}
	}
	for _, c := range slices.Sorted(maps.Keys(want.marks)) {
		v, ok := got.Marks[c]
		check("mark "+c, v == want.marks[c], ok)
	}
	for _, c := range slices.Sorted(maps.Keys(want.notes)) {
		v, ok := got.Notes[c]
		check("note "+c, v == want.notes[c], ok || want.notes[c] == "")
	}
	if want.judgement != nil {
		check("judgement", got.Judgement != nil && *got.Judgement == *want.judgement, got.Judgement != nil)
	}
	if want.submitted {
		check("submitted", got.Submitted, got.Submitted)
	}
	if want.lastSeq > 0 {
		check("last_seq", got.LastSeq >= want.lastSeq, got.LastSeq > 0)
	}
	return l
}
