package load

import (
	"slices"
	"time"

	"github.com/accredit/accredit/engine"
)

// outbox is a simulated candidate's changes under docs/protocol.md's
// re-sending algorithm: those sent and not yet acknowledged, in seq order,
// the highest acknowledged seq of each target, and, for the loss check,
// every answer sent with its seq and fate. It does no I/O; the sim sends
// what it says to send.
type outbox struct {
	seq     uint64              // highest seq used or reported by the server
	pending []pending           // not yet acknowledged, in the order given out
	latest  map[target]uint64   // highest acknowledged seq per target
	answers map[string][]Change // every answer sent, per item
}

// pending is a change sent and not yet acknowledged.
type pending struct {
	m      engine.ClientMsg
	sent   time.Time
	change int  // index in outbox.answers[m.Item] of an answer
	resent bool // sent again after a reconnect: its latency is not an ack latency
	tries  int  // re-sends after 103 or 501
}

// target is what a change sets: an item's answer or its flag, the
// position, or the submission.
type target struct{ typ, item string }

func targetOf(m engine.ClientMsg) target { return target{m.Type, m.Item} }

func newOutbox() *outbox {
	return &outbox{latest: map[target]uint64{}, answers: map[string][]Change{}}
}

// add gives m the next seq and keeps it until acknowledged.
func (o *outbox) add(m engine.ClientMsg, now time.Time) engine.ClientMsg {
	o.seq++
	m.Seq = o.seq
	p := pending{m: m, sent: now, change: -1}
	if m.Type == engine.MsgAnswer {
		p.change = len(o.answers[m.Item])
		o.answers[m.Item] = append(o.answers[m.Item], Change{Seq: m.Seq, Options: m.Options})
	}
	o.pending = append(o.pending, p)
	return m
}

// observe takes the server's last_seq: new changes continue after it.
func (o *outbox) observe(last uint64) { o.seq = max(o.seq, last) }

func (o *outbox) find(seq uint64) int {
	return slices.IndexFunc(o.pending, func(p pending) bool { return p.m.Seq == seq })
}

// take removes the pending change with seq; ok is false if none is.
func (o *outbox) take(seq uint64) (pending, bool) {
	i := o.find(seq)
	if i < 0 {
		return pending{}, false
	}
	p := o.pending[i]
	o.pending = slices.Delete(o.pending, i, i+1)
	return p, true
}

// acked settles the change with seq as stored (rule 2). An ack for a seq
// no longer pending is the second reply to a change sent twice: ok false.
func (o *outbox) acked(seq uint64) (pending, bool) {
	p, ok := o.take(seq)
	if !ok {
		return p, false
	}
	t := targetOf(p.m)
	o.latest[t] = max(o.latest[t], seq)
	if p.change >= 0 {
		o.answers[p.m.Item][p.change].Acked = true
	}
	return p, true
}

// refused drops the change with seq for good: it was not stored (rule 6).
func (o *outbox) refused(seq uint64) {
	if p, ok := o.take(seq); ok && p.change >= 0 {
		o.answers[p.m.Item][p.change].Refused = true
	}
}

// badSeq applies rule 5 to a 306 for seq: a change superseded by a later
// one of the same target, acknowledged or still pending (to be stored
// after it), is dropped and nil returned; any other gets the next seq and
// is returned to be sent again.
func (o *outbox) badSeq(seq uint64) *pending {
	i := o.find(seq)
	if i < 0 {
		return nil
	}
	p := &o.pending[i]
	t := targetOf(p.m)
	later := o.latest[t] > seq || slices.ContainsFunc(o.pending, func(q pending) bool { return q.m.Seq > seq && targetOf(q.m) == t })
	if later {
		o.refused(seq)
		return nil
	}
	o.seq++
	p.m.Seq = o.seq
	if p.change >= 0 {
		o.answers[p.m.Item][p.change].Seq = o.seq
	}
	// Keep the outbox in seq order: the renumbered change goes last.
	moved := *p
	o.pending = append(slices.Delete(o.pending, i, i+1), moved)
	return &o.pending[len(o.pending)-1]
}

// over forgets every pending change: the attempt is submitted, and the
// server refuses every change after that (302). Whether each was stored
// before the submission is not known, so none is marked refused.
func (o *outbox) over() { o.pending = o.pending[:0] }
