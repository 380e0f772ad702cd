package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// leaseTTL is the nodes' lease in these tests: renewed every 3 s of the
// fake clock.
const leaseTTL = 9 * time.Second

var (
	_ engine.Leases = (*memLeases)(nil)
	_ engine.Leases = (*redis.Leases)(nil)
)

// memLeases keeps leases in a map: the Leases the nodes of a test share.
type memLeases struct {
	mu sync.Mutex // protects recs
	// recs are the lease records by node.
	recs map[string][]byte
}

func (m *memLeases) Put(_ context.Context, node string, rec []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs[node] = rec
	return nil
}

func (m *memLeases) All(context.Context) (map[string][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string][]byte, len(m.recs))
	for k, v := range m.recs {
		out[k] = v
	}
	return out, nil
}

func (m *memLeases) Drop(_ context.Context, node string, rec []byte) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if string(m.recs[node]) != string(rec) {
		return false, nil
	}
	delete(m.recs, node)
	return true, nil
}

func (m *memLeases) has(node string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.recs[node]
	return ok
}

// link is one node's reach to what the nodes share: cut, the node is
// silent to the others, as a dead one is.
type link struct{ leasesDown, brokerDown atomic.Bool }

var errUnreachable = errors.New("unreachable")

type linkedLeases struct {
	engine.Leases
	l *link
}

func (ll linkedLeases) Put(ctx context.Context, node string, rec []byte) error {
	if ll.l.leasesDown.Load() {
		return errUnreachable
	}
	return ll.Leases.Put(ctx, node, rec)
}

func (ll linkedLeases) All(ctx context.Context) (map[string][]byte, error) {
	if ll.l.leasesDown.Load() {
		return nil, errUnreachable
	}
	return ll.Leases.All(ctx)
}

type linkedBroker struct {
	engine.Broker
	l *link
}

func (lb linkedBroker) Publish(ctx context.Context, msg []byte) error {
	if lb.l.brokerDown.Load() {
		return errUnreachable
	}
	return lb.Broker.Publish(ctx, msg)
}

func (lb linkedBroker) Subscribe(ctx context.Context, fn func([]byte)) error {
	return lb.Broker.Subscribe(ctx, func(msg []byte) {
		if !lb.l.brokerDown.Load() {
			fn(msg)
		}
	})
}

// leaseCluster is nodes sharing a store, a broker, leases and a clock;
// sitting s1's rejoins need approval after 30 s away.
type leaseCluster struct {
	clk    *clock.Fake
	st     store.Store
	leases *memLeases
	nodes  map[string]*engine.Engine
	links  map[string]*link
}

func newLeaseCluster(t *testing.T, names ...string) *leaseCluster {
	t.Helper()
	lib := testLibrary(t)
	lib.Sittings["s1"].RejoinApproval = true
	lib.Sittings["s1"].RejoinGraceSeconds = 30
	st := bolttest.Open(t)
	c := &leaseCluster{clk: clock.NewFake(t0), st: st, leases: &memLeases{recs: map[string][]byte{}},
		nodes: map[string]*engine.Engine{}, links: map[string]*link{}}
	br := storetest.NewBroker()
	for _, name := range names {
		l := &link{}
		e := engine.New(engine.Config{Library: lib, Store: st, Clock: c.clk, Node: name, Broker: linkedBroker{br, l},
			Leases: linkedLeases{c.leases, l}, LeaseTTL: leaseTTL})
		if err := e.Recover(context.Background()); err != nil {
			t.Fatal(err)
		}
		br.WaitSubscribed()
		c.nodes[name], c.links[name] = e, l
	}
	t.Cleanup(func() {
		for _, e := range c.nodes {
			e.Close()
		}
	})
	return c
}

// events counts the events of type typ in an attempt's stream.
func events(t *testing.T, st store.Store, id, typ string) int {
	t.Helper()
	recs, err := st.Read(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		var ev struct{ T string }
		json.Unmarshal(r, &ev)
		if ev.T == typ {
			n++
		}
	}
	return n
}

// TestLapsedNodeCountsItsCandidatesAway: node b falls silent (it stops
// renewing its lease and hears and says nothing) while its candidate
// sits. Once b's lease has lapsed, both survivors show the candidate
// disconnected with a drop and away since b's last renewal, recorded once
// though both take it over; node a's own candidate is left as they are.
// After the grace the candidate rejoins on a only once approved; b's lease
// is dropped at last.
func TestLapsedNodeCountsItsCandidatesAway(t *testing.T) {
	c := newLeaseCluster(t, "a", "b", "c")
	a, b, cn := c.nodes["a"], c.nodes["b"], c.nodes["c"]
	ctx := context.Background()
	id1, err := b.Join(ctx, codeOne, &peer{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Join(ctx, codeTwo, &peer{}); err != nil {
		t.Fatal(err)
	}
	if err := a.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	c.clk.Advance(3 * time.Second) // every node renews, b naming c1's attempt
	if r := rowOf(t, a, "c1"); !r.Connected {
		t.Fatalf("c1 on b, seen on a: %+v", r)
	}
	lastRenewal := t0.Add(3 * time.Second)

	c.links["b"].leasesDown.Store(true)
	c.links["b"].brokerDown.Store(true)
	c.clk.Advance(9 * time.Second) // 9 s since b's renewal: not yet lapsed
	if r := rowOf(t, a, "c1"); !r.Connected || r.AwaySince != nil {
		t.Fatalf("before b's lease lapses: %+v", r)
	}
	c.clk.Advance(3 * time.Second)
	for name, e := range map[string]*engine.Engine{"a": a, "c": cn} {
		r := rowOf(t, e, "c1")
		if r.Connected || r.Drops != 1 || r.AwaySince == nil || !r.AwaySince.Equal(lastRenewal) || r.NeedsRejoin {
			t.Fatalf("c1 seen on %s once b's lease lapsed: %+v; want disconnected, one drop, away since %v", name, r, lastRenewal)
		}
	}
	if n := events(t, c.st, id1, "leave"); n != 1 {
		t.Fatalf("%d leave events for c1, want 1 though two nodes took b's lease over", n)
	}
	if r := rowOf(t, a, "c2"); !r.Connected || r.AwaySince != nil || r.Drops != 0 {
		t.Fatalf("c2, on a live node: %+v", r)
	}

	// Past the grace: the rejoin waits for the invigilator.
	c.clk.Advance(20 * time.Second)
	var pe *engine.ProtocolError
	if _, err := a.Join(ctx, codeOne, &peer{}); !errors.As(err, &pe) || pe.Code != engine.CodeRejoinApproval {
		t.Fatalf("rejoin 32 s after b's last renewal: %v, want code %d", err, engine.CodeRejoinApproval)
	}
	if err := cn.Invigilate(ctx, id1, engine.Command{Kind: engine.CmdApprove, By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	p := &peer{}
	if _, err := a.Join(ctx, codeOne, p); err != nil {
		t.Fatalf("rejoin once approved: %v", err)
	}
	if r := rowOf(t, cn, "c1"); !r.Connected || r.AwaySince != nil {
		t.Fatalf("back on a, seen on c: %+v", r)
	}

	// Kept for the nodes to see, then dropped.
	c.clk.Advance(forgetSpan - 40*time.Second)
	if !c.leases.has("b") {
		t.Fatal("b's lapsed lease dropped before every node could see it")
	}
	c.clk.Advance(40 * time.Second)
	if c.leases.has("b") {
		t.Fatal("b's lapsed lease is never dropped")
	}
	if n := events(t, c.st, id1, "leave"); n != 1 {
		t.Fatalf("%d leave events for c1 after the lease was dropped, want 1", n)
	}
}

// forgetSpan is how long a lapsed lease is kept: ten times the ttl.
const forgetSpan = 10 * leaseTTL

// TestNodeBackAfterLapse: node b loses the leases' store for longer than
// the ttl while its candidate stays connected to it; node a counts the
// candidate away. When b renews again, late, it records that the
// candidate never left, and a shows them connected again.
func TestNodeBackAfterLapse(t *testing.T) {
	c := newLeaseCluster(t, "a", "b")
	a, b := c.nodes["a"], c.nodes["b"]
	ctx := context.Background()
	pb := &peer{}
	id := joinReleased(t, b, a, pb)
	c.clk.Advance(3 * time.Second)
	c.links["b"].leasesDown.Store(true)
	c.clk.Advance(12 * time.Second)
	if r := rowOf(t, a, "c1"); r.Connected || r.AwaySince == nil {
		t.Fatalf("b's lease lapsed: %+v, want c1 away", r)
	}

	c.links["b"].leasesDown.Store(false)
	c.clk.Advance(3 * time.Second) // b renews, 15 s after its last renewal
	if r := rowOf(t, a, "c1"); !r.Connected || r.AwaySince != nil {
		t.Fatalf("b back: %+v, want c1 connected and not away", r)
	}
	at, _, err := a.Attempt(ctx, id)
	if err != nil || at.Away {
		t.Fatalf("c1's attempt after b came back: %+v, %v", at, err)
	}
	if l, r := events(t, c.st, id, "leave"), events(t, c.st, id, "rejoin"); l != 1 || r != 1 {
		t.Fatalf("%d leave and %d rejoin events, want one each", l, r)
	}
	// b's connection still works, and a stays quiet about b's live lease.
	b.Handle(ctx, id, pb, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	if m := pb.last(t); m.Type != engine.MsgAck {
		t.Fatalf("answer on b after it came back: %+v", m)
	}
	c.clk.Advance(12 * time.Second)
	if l := events(t, c.st, id, "leave"); l != 1 {
		t.Fatalf("%d leave events once b renews again, want 1", l)
	}
}
