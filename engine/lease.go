package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sync"
	"time"
)

// Node leases. Each node sharing a store keeps a lease in it (Leases),
// renewed every third of the lease's time to live, naming the attempts it
// holds a live connection to. A node that dies without closing (killed,
// its machine lost) stops renewing it. Once its lease has lapsed, every
// surviving node shows that node's candidates disconnected, with a drop
// counted, and records away those of sittings whose rejoins need approval,
// as a clean disconnect does, at the lapsed node's last renewal: their
// rejoin then needs approval as after any drop. The record is decided by
// Attempt.Decide, so two survivors doing it at once, or the node coming
// back, record it once. A candidate who has meanwhile rejoined on a live
// node is left alone.
//
// Whether a lease has lapsed is decided from its renewal time and the
// deciding node's clock (viewLeases): node clocks must agree to well
// within the time to live.

// Leases keeps one lease record per node in the store the nodes share
// (store/redis.Leases). A single node needs none.
type Leases interface {
	// Put writes node's lease record, replacing the one before.
	Put(ctx context.Context, node string, rec []byte) error
	// All returns every node's lease record, by node.
	All(ctx context.Context) (map[string][]byte, error)
	// Drop removes node's lease record if it is still rec, and reports
	// whether it did.
	Drop(ctx context.Context, node string, rec []byte) (bool, error)
}

// DefaultLeaseTTL is how long a node's lease lives unrenewed.
const DefaultLeaseTTL = 10 * time.Second

// forgetAfter is how many times the time to live a lapsed lease is kept,
// so that every surviving node sees it, before it is dropped.
const forgetAfter = 10

// heldThroughout is the grace of a rejoin recorded for a candidate whose
// connection held while their node's lease lapsed: they never left.
const heldThroughout = time.Duration(math.MaxInt64)

// lease is one node's lease record.
type lease struct {
	Node    string    `json:"node"`
	Renewed time.Time `json:"renewed"`
	// Attempts are those the node held a live connection to when it
	// renewed, sorted.
	Attempts []string `json:"attempts,omitempty"`

	raw []byte // the record as stored, to drop it
}

// lapsed reports whether the lease, unrenewed for longer than ttl, has
// lapsed at now.
func (l *lease) lapsed(now time.Time, ttl time.Duration) bool { return now.Sub(l.Renewed) > ttl }

// leaseView is what a node makes of the leases at one moment.
type leaseView struct {
	lapsed []lease         // leases of other nodes that have lapsed, to take over
	forget []lease         // of those, the ones lapsed forgetAfter times the ttl ago, to drop once taken over
	held   map[string]bool // attempts a live lease holds
}

// viewLeases decides, at now, which of the leases have lapsed and which
// attempts live nodes hold. A lease of self's own name is a
// predecessor's, which died, while self has not yet written its own
// (starting is true); after that it is self's own, never lapsed for
// self. It is pure: the caller reads the leases and acts on the view.
func viewLeases(ls []lease, self string, starting bool, now time.Time, ttl time.Duration) leaseView {
	v := leaseView{held: map[string]bool{}}
	for _, l := range ls {
		switch {
		case l.Node == self && !starting:
		case l.Node == self || l.lapsed(now, ttl):
			v.lapsed = append(v.lapsed, l)
			if l.lapsed(now, forgetAfter*ttl) {
				v.forget = append(v.forget, l)
			}
			continue
		}
		for _, id := range l.Attempts {
			v.held[id] = true
		}
	}
	byNode := func(a, b lease) int { return cmp.Compare(a.Node, b.Node) }
	slices.SortFunc(v.lapsed, byNode)
	slices.SortFunc(v.forget, byNode)
	return v
}

// leaseKeeper is the node's part in the leases.
type leaseKeeper struct {
	mu      sync.Mutex // held across a renewal; protects the fields below
	last    []byte     // the record last written; nil before the first
	renewed time.Time  // when it was written
	// reclaimUntil: after a renewal later than the ttl, when other
	// nodes may have taken this one's lease over, the attempts it holds
	// are looked at again at each renewal until then (reclaimHeld).
	reclaimUntil time.Time
	handled      map[string]time.Time // lapsed leases taken over, by node: the renewal they lapsed at
}

func (e *Engine) leaseTTL() time.Duration {
	if e.leaseLife > 0 {
		return e.leaseLife
	}
	return DefaultLeaseTTL
}

// keepLease renews the node's lease, takes over the lapsed leases of
// others, and arms itself again a third of the ttl later. Close stops it.
func (e *Engine) keepLease() {
	if e.isClosed() {
		return
	}
	ctx, cancel := context.WithTimeout(e.bg, e.leaseTTL())
	if err := e.renewLease(ctx); err != nil && e.bg.Err() == nil {
		e.log.Warn("node lease", "err", err)
	}
	cancel()
	e.setTimer(&e.leaseTimer, e.clock.AfterFunc(e.leaseTTL()/3, e.keepLease))
}

// renewLease writes the node's lease, then reads every lease and acts on
// what viewLeases makes of them.
func (e *Engine) renewLease(ctx context.Context) error {
	k := &e.lease
	k.mu.Lock()
	defer k.mu.Unlock()
	now := e.clock.Now()
	starting := k.last == nil
	all, err := e.leases.All(ctx)
	if err != nil {
		return err
	}
	own := lease{Node: e.node, Renewed: now, Attempts: e.heldLive()}
	rec, err := json.Marshal(own)
	if err != nil {
		return err
	}
	if err := e.leases.Put(ctx, e.node, rec); err != nil {
		return err
	}
	if !starting && now.Sub(k.renewed) > e.leaseTTL() {
		e.log.Warn("node lease renewed late: other nodes may have counted its candidates away", "node", e.node,
			"since", now.Sub(k.renewed).String())
		k.reclaimUntil = now.Add(e.leaseTTL())
	}
	k.last, k.renewed = rec, now
	if now.Before(k.reclaimUntil) {
		e.reclaimHeld(ctx)
	}
	ls := decodeLeases(all, e.log.Warn)
	v := viewLeases(ls, e.node, starting, now, e.leaseTTL())
	if k.handled == nil {
		k.handled = map[string]time.Time{}
	}
	var errs []error
	for _, l := range v.lapsed {
		if at, ok := k.handled[l.Node]; ok && at.Equal(l.Renewed) {
			continue
		}
		if err := e.takeOver(ctx, l, v.held); err != nil {
			errs = append(errs, err)
			continue // tried again at the next renewal
		}
		k.handled[l.Node] = l.Renewed
	}
	for _, l := range v.forget {
		if at, ok := k.handled[l.Node]; !ok || !at.Equal(l.Renewed) {
			continue // not yet taken over
		}
		if _, err := e.leases.Drop(ctx, l.Node, l.raw); err != nil {
			errs = append(errs, err)
		}
		delete(k.handled, l.Node)
	}
	for node := range k.handled {
		if _, ok := all[node]; !ok {
			delete(k.handled, node)
		}
	}
	return errors.Join(errs...)
}

// decodeLeases decodes the lease records, sorted by node; one that does
// not decode is reported to warn and left out.
func decodeLeases(all map[string][]byte, warn func(msg string, args ...any)) []lease {
	ls := make([]lease, 0, len(all))
	for node, raw := range all {
		var l lease
		if err := json.Unmarshal(raw, &l); err != nil || l.Node != node {
			warn("a node lease that does not decode", "node", node, "err", err)
			continue
		}
		l.raw = raw
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b lease) int { return cmp.Compare(a.Node, b.Node) })
	return ls
}

// heldLive lists, sorted, the attempts in progress or waiting that this
// node holds a live connection to.
func (e *Engine) heldLive() []string {
	e.mu.Lock()
	ls := make([]*live, 0, len(e.attempts))
	for _, l := range e.attempts {
		ls = append(ls, l)
	}
	e.mu.Unlock()
	var ids []string
	for _, l := range ls {
		l.mu.Lock()
		if l.peer != nil && l.a.Status != StatusSubmitted {
			ids = append(ids, l.a.ID)
		}
		l.mu.Unlock()
	}
	slices.Sort(ids)
	return ids
}

// takeOver acts on a lapsed lease: each attempt it names that no live
// node holds is shown disconnected, its drop counted, and recorded away
// where its sitting's rejoins need approval.
func (e *Engine) takeOver(ctx context.Context, l lease, held map[string]bool) error {
	e.log.Warn("node lease lapsed: its candidates are counted away", "node", l.Node,
		"renewed", l.Renewed.UTC().Format(time.RFC3339Nano), "attempts", len(l.Attempts))
	var errs []error
	for _, id := range l.Attempts {
		if held[id] || e.lapsedConn(id, l.Node) {
			continue // a live node holds it now
		}
		if err := e.awayAfterLapse(ctx, id, l.Renewed); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// lapsedConn records, for the room, that node, whose lease lapsed, no
// longer holds the attempt's connection, counting a drop if it did as far
// as this node knows. It reports whether another node holds it.
func (e *Engine) lapsedConn(attempt, node string) bool {
	e.room.mu.Lock()
	p := e.room.at(attempt)
	if p.conn[node] {
		delete(p.conn, node)
		p.drops[node]++
	}
	elsewhere := len(p.conn) > 0
	e.room.mu.Unlock()
	if s, c, ok := sittingOf(attempt); ok {
		e.touch(s, c)
	}
	return elsewhere
}

// awayAfterLapse records the candidate of attempt id away at the lapsed
// node's last renewal, where the sitting's rejoins need approval and this
// node does not hold the connection itself.
func (e *Engine) awayAfterLapse(ctx context.Context, id string, at time.Time) error {
	sid, _, _ := sittingOf(id)
	s, err := e.roster.Sitting(ctx, sid)
	if err != nil || !s.RejoinApproval {
		return err
	}
	l, err := e.load(ctx, id)
	if errors.Is(err, ErrUnknownAttempt) {
		return nil
	}
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.peer != nil {
		return nil // the candidate is back, here
	}
	if err := l.CatchUp(ctx); err != nil {
		return err
	}
	_, err = e.decide(ctx, l, Command{Kind: CmdLeave}, at)
	return err
}

// reclaimHeld records back, for each attempt whose connection this node
// holds but which another node recorded away while this one's lease had
// lapsed, that the candidate never left, and tells the other nodes the
// connection is here.
func (e *Engine) reclaimHeld(ctx context.Context) {
	var back []Notice
	for _, id := range e.heldLive() {
		e.mu.Lock()
		l := e.attempts[id]
		e.mu.Unlock()
		l.mu.Lock()
		if l.peer != nil {
			back = append(back, Notice{Kind: NoticeHeld, Attempt: id})
			err := l.CatchUp(ctx)
			if err == nil && l.a.Away {
				_, err = e.decide(ctx, l, Command{Kind: CmdRejoin, Grace: heldThroughout}, e.clock.Now())
			}
			if err != nil {
				e.log.Warn("record a held connection back", "attempt", id, "err", err)
			}
		}
		l.mu.Unlock()
	}
	e.publish(back...)
}

// dropLease removes the node's lease as it closes cleanly: its candidates
// are told to resume elsewhere, and are not counted away.
func (e *Engine) dropLease() {
	k := &e.lease
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.last == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := e.leases.Drop(ctx, e.node, k.last); err != nil {
		e.log.Warn("drop the node lease", "err", err)
	}
}
