package engine

import (
	"context"
	"encoding/json"
	"time"

	"github.com/accredit/accredit/internal/clock"
)

// Broker carries notices, encoded as JSON, between engine nodes that share
// a store (store/redis.Broker). A single node needs none. Delivery may be lost (pub/sub): notices only make nodes
// look at the store sooner; correctness rests on the store's conditional
// appends.
type Broker interface {
	Publish(ctx context.Context, msg []byte) error
	// Subscribe calls fn for each message any node publishes, until ctx ends.
	Subscribe(ctx context.Context, fn func(msg []byte)) error
}

// Notice is a message between nodes.
type Notice struct {
	Kind    string    `json:"kind"` // NoticeTakeover, NoticeChanged, NoticeReleased
	Node    string    `json:"node"` // the publishing node
	Attempt string    `json:"attempt,omitempty"`
	Sitting string    `json:"sitting,omitempty"`
	Drops   int       `json:"drops,omitempty"` // NoticeDropped
	Text    string    `json:"text,omitempty"`  // NoticeAnnounce; NoticeChanged: the reason of a time change
	At      time.Time `json:"at,omitzero"`     // NoticeAnnounce
	// Warning, on NoticeChanged, is the warning of a time change
	// ("extra_time", "time_reduced"): the connection is sent the time
	// message, not the whole state.
	Warning string `json:"warning,omitempty"`
}

// Notice kinds.
const (
	// NoticeTakeover: a connection joined Attempt on Node; any other node
	// holding a connection to it closes that connection.
	NoticeTakeover = "takeover"
	// NoticeChanged: Attempt changed other than by its own connection (extra
	// time, submission at the deadline); the node holding its connection
	// catches up and sends the new state.
	NoticeChanged = "changed"
	// NoticeReleased: Sitting was released; nodes send the started attempts
	// to the connections they hold.
	NoticeReleased = "released"
	// NoticeActivity: Attempt changed; watchers of its sitting's room look
	// at its row again.
	NoticeActivity = "activity"
	// NoticeDropped: Node no longer holds Attempt's connection, and has
	// seen it drop Drops times.
	NoticeDropped = "dropped"
	// NoticeSitting: Sitting's stream changed (a check-in, an admission, an
	// announcement); nodes forget their copy. Attempt names the candidate's
	// attempt when one is concerned.
	NoticeSitting = "sitting"
	// NoticeAnnounce: nodes show Text, announced at At, to the
	// connections they hold to Sitting's attempts.
	NoticeAnnounce = "announce"
	// NoticeHeld: Node holds Attempt's connection still, though its
	// lease had lapsed and other nodes counted the connection dropped.
	NoticeHeld = "held"
)

// notify queues a notice for the publisher (runNotices) without blocking:
// for callers that hold an attempt's lock. When the queue is full the
// notice is dropped; notices may be lost anyway.
func (e *Engine) notify(n Notice) {
	if e.broker == nil {
		return
	}
	select {
	case e.outbox <- n:
	default:
		e.log.Warn("notice queue full", "kind", n.Kind)
	}
}

// runNotices publishes queued notices until the engine closes.
func (e *Engine) runNotices() {
	for {
		select {
		case <-e.bg.Done():
			return
		case n := <-e.outbox:
			e.publish(n)
		}
	}
}

// deadlinesStream lists every deadline set or moved, so that every node
// learns of attempts started elsewhere and any node can submit an attempt
// whose node died.
const deadlinesStream = "deadlines"

type deadlineRec struct {
	Attempt  string    `json:"attempt"`
	Deadline time.Time `json:"deadline"`
}

// pollEvery is how often a node reads new deadlines written by others.
const pollEvery = time.Second

// publish sends notices to the other nodes. It is never called with an
// attempt's lock held: a broker round trip must not hold up the attempt.
func (e *Engine) publish(notices ...Notice) {
	if e.broker == nil {
		return
	}
	for _, n := range notices {
		n.Node = e.node
		msg, err := json.Marshal(n)
		if err != nil {
			panic(err) // a Notice always encodes
		}
		ctx, cancel := context.WithTimeout(e.bg, 2*time.Second)
		err = e.broker.Publish(ctx, msg)
		cancel()
		if err != nil {
			e.log.Warn("publish notice", "kind", n.Kind, "err", err)
		}
	}
}

// recordDeadline appends an attempt's deadline to the shared list.
func (e *Engine) recordDeadline(ctx context.Context, id string, deadline time.Time) error {
	rec, err := json.Marshal(deadlineRec{Attempt: id, Deadline: deadline})
	if err != nil {
		return err
	}
	_, err = e.store.Append(ctx, deadlinesStream, -1, rec)
	return err
}

// pollDeadlines reads deadlines recorded since the last poll and arms them.
func (e *Engine) pollDeadlines() {
	if e.isClosed() {
		return
	}
	ctx, cancel := context.WithTimeout(e.bg, 5*time.Second)
	recs, err := e.store.Read(ctx, deadlinesStream, e.deadlinePos)
	cancel()
	if err != nil {
		e.log.Warn("read deadlines", "err", err)
	}
	for _, r := range recs {
		e.deadlinePos++
		var d deadlineRec
		if json.Unmarshal(r, &d) != nil {
			continue
		}
		e.watchDeadline(d.Attempt, d.Deadline)
	}
	e.setTimer(&e.pollTimer, e.clock.AfterFunc(pollEvery, e.pollDeadlines))
}

// watchDeadline arms the timer that looks at an attempt once its recorded
// deadline and the grace have passed, replacing the timer of a deadline
// recorded before. Close stops the timers.
func (e *Engine) watchDeadline(id string, deadline time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	if t, ok := e.expiries[id]; ok {
		t.Stop()
	}
	var t clock.Timer
	t = e.clock.AfterFunc(max(deadline.Add(Grace).Sub(e.clock.Now()), 0), func() {
		e.mu.Lock()
		if e.expiries[id] == t {
			delete(e.expiries, id)
		}
		e.mu.Unlock()
		e.expire(id)
	})
	e.expiries[id] = t
}

// setTimer keeps t in *slot (pollTimer or leaseTimer) so that Close stops
// it, or stops it at once when the engine is closed already.
func (e *Engine) setTimer(slot *clock.Timer, t clock.Timer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		t.Stop()
		return
	}
	*slot = t
}

// expire looks at an attempt whose recorded deadline has passed, wherever
// it was started, and submits it if it is still in progress and out of time.
func (e *Engine) expire(id string) {
	if e.isClosed() {
		return
	}
	l, err := e.load(e.bg, id)
	if err != nil {
		e.log.Warn("expire", "attempt", id, "err", err)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.CatchUp(e.bg); err != nil {
		e.log.Warn("expire", "attempt", id, "err", err)
		return
	}
	if l.a.Status == StatusInProgress {
		e.arm(l) // fires at once when the deadline and grace have passed
	}
}

// onNotice handles a notice from another node.
func (e *Engine) onNotice(n Notice) {
	if n.Node == e.node || e.isClosed() {
		return
	}
	e.noticeRoom(n)
	switch n.Kind {
	case NoticeTakeover, NoticeChanged:
		e.mu.Lock()
		l, ok := e.attempts[n.Attempt]
		e.mu.Unlock()
		if ok {
			e.refresh(l, n)
		}
	case NoticeReleased:
		e.staleSitting(n.Sitting)
		e.mu.Lock()
		var ls []*live
		for _, l := range e.attempts {
			ls = append(ls, l)
		}
		e.mu.Unlock()
		for _, l := range ls {
			l.mu.Lock()
			match := l.a.Sitting == n.Sitting && l.peer != nil
			l.mu.Unlock()
			if match {
				e.refresh(l, n)
			}
		}
	}
}

// refresh catches an attempt up with the store on notice n; a taken-over
// connection is closed, a current one is sent the new state, or for a
// time change the time message.
func (e *Engine) refresh(l *live, n Notice) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.peer == nil {
		return
	}
	if n.Kind == NoticeTakeover {
		// The candidate already joined on the other node: record what
		// happened here, and close whatever the log says.
		if _, err := e.record(e.bg, takeoverEntry(l.a)); err != nil {
			e.log.Error("audit: takeover not recorded", "attempt", l.a.ID, "err", err)
		}
		e.closeTakenOver(l)
		return
	}
	if err := l.CatchUp(e.bg); err != nil {
		e.log.Warn("refresh", "attempt", l.a.ID, "err", err)
		return
	}
	e.arm(l)
	if n.Kind == NoticeChanged && n.Warning != "" && l.a.Status == StatusInProgress {
		e.sendTime(l, n.Warning, n.Text)
		return
	}
	e.sendState(l)
}

// closeTakenOver tells the attempt's connection it has been replaced and
// closes it. l.mu held.
func (e *Engine) closeTakenOver(l *live) {
	l.peer.Send(ServerMsg{Type: MsgClosing, Code: CloseTakenOver, Reason: "taken_over"})
	l.peer.Close(CloseTakenOver, "attempt opened on another connection")
	l.peer = nil
	e.m.takeover()
}

func (e *Engine) isClosed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed
}

// onMessage decodes a message from the broker; one that is not a notice is
// ignored.
func (e *Engine) onMessage(msg []byte) {
	var n Notice
	if json.Unmarshal(msg, &n) == nil {
		e.onNotice(n)
	}
}
