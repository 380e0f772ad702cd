package marking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/internal/clock"
)

// These tests run several engine nodes, each a Service over its own Redis
// client, against one Redis: the server that make test starts and names
// in ACCREDIT_TEST_REDIS. Each test has its own key prefix, so they run in
// parallel on one server.

// fleet is a test's engine nodes: they share a Redis key prefix and a clock
// five minutes into slot 1 of the demo circuit.
type fleet struct {
	t     *testing.T
	ro    *goredis.UniversalOptions
	opts  redis.Options
	clock *clock.Fake
}

func newFleet(t *testing.T) *fleet {
	t.Helper()
	ro, opts := redistest.Options(t, redistest.Standalone)
	return &fleet{t: t, ro: ro, opts: opts, clock: clock.NewFake(circuitStart.Add(5 * time.Minute))}
}

// node is one engine node. The embedded rig gives it rig's marking helpers
// (must, complete, assign); its bolt fields are unused.
type node struct {
	*rig
	redis  *redis.Store
	via    *interposer
	broker *redis.Broker
	ears   *ears
}

// node opens a node with its own Redis client and its own copy of the
// model, as a separate process would have; the test's end closes it.
func (f *fleet) node() *node {
	f.t.Helper()
	st, err := redis.Open(context.Background(), f.ro, f.opts)
	if err != nil {
		f.t.Fatal(err)
	}
	via := &interposer{Store: st}
	m := demoModel(f.t)
	br, e := redis.NewBroker(st, "marking"), newEars()
	n := &node{redis: st, via: via, broker: br, ears: e, rig: &rig{t: f.t, model: m, clock: f.clock,
		svc: New(Config{Model: m, Store: via, Clock: f.clock, WS: WSConfig{Rate: 1000, Burst: 1000}, Identify: testIdentify,
			Broker: br, heard: e.heard})}}
	f.t.Cleanup(n.close)
	n.subscribed()
	return n
}

// ears records the longest length a node has heard announced for each
// stream.
type ears struct {
	mu      sync.Mutex // protects longest, changed
	longest map[string]int64
	changed chan struct{} // closed and replaced on each notice
}

func newEars() *ears { return &ears{longest: map[string]int64{}, changed: make(chan struct{})} }

func (e *ears) heard(stream string, n int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.longest[stream] = max(e.longest[stream], n)
	close(e.changed)
	e.changed = make(chan struct{})
}

// wait waits until stream has been announced at length n or more, or
// until timeout; it reports whether it was.
func (e *ears) wait(stream string, n int64, timeout time.Duration) bool {
	expire := time.NewTimer(timeout)
	defer expire.Stop()
	for {
		e.mu.Lock()
		got, changed := e.longest[stream], e.changed
		e.mu.Unlock()
		if got >= n {
			return true
		}
		select {
		case <-changed:
		case <-expire.C:
			return false
		}
	}
}

// subscribed waits until the node's service hears notices: it announces
// a stream of its own until the service hears it.
func (n *node) subscribed() {
	n.t.Helper()
	probe := fmt.Sprintf("probe/%p", n)
	msg := jsonOf(n.t, notice{Sheet: probe, N: 1})
	for range 100 {
		if err := n.broker.Publish(context.Background(), []byte(msg)); err != nil {
			n.t.Fatal(err)
		}
		if n.ears.wait(probe, 1, 100*time.Millisecond) {
			return
		}
	}
	n.t.Fatal("the node's service never heard a notice")
}

// hears waits until the node has heard that sheet k reached the length it
// has in Redis: its views then reflect every stored change.
func (n *node) hears(k roleplay.SheetKey) {
	n.t.Helper()
	want := int64(len(n.stored(k)))
	if !n.ears.wait(StreamName(k), want, 10*time.Second) {
		n.t.Fatalf("node never heard that %s has %d records", StreamName(k), want)
	}
}

// close stops the node's service and disconnects its Redis client; it may
// be called again.
func (n *node) close() {
	if n.svc != nil {
		n.svc.Close()
		n.redis.Close()
		n.svc = nil
	}
}

// stored reads sheet k's records straight from Redis.
func (n *node) stored(k roleplay.SheetKey) []roleplay.Entry {
	n.t.Helper()
	recs, err := n.redis.Read(context.Background(), StreamName(k), 0)
	if err != nil {
		n.t.Fatal(err)
	}
	out := make([]roleplay.Entry, len(recs))
	for i, rec := range recs {
		if err := json.Unmarshal(rec, &out[i]); err != nil {
			n.t.Fatalf("%s record %d: %v", StreamName(k), i, err)
		}
	}
	return out
}

func (n *node) sheet(k roleplay.SheetKey) roleplay.State {
	n.t.Helper()
	st, err := n.svc.Sheet(context.Background(), k)
	if err != nil {
		n.t.Fatalf("sheet %s: %v", StreamName(k), err)
	}
	return st
}

func (n *node) audit(k roleplay.SheetKey) []roleplay.Entry {
	n.t.Helper()
	log, err := n.svc.Log(context.Background(), k)
	if err != nil {
		n.t.Fatalf("log %s: %v", StreamName(k), err)
	}
	return log
}

func (n *node) view() LeadView {
	n.t.Helper()
	v, err := n.svc.View(context.Background(), circuitID)
	if err != nil {
		n.t.Fatal(err)
	}
	return v
}

// interposer passes a node's store calls through to Redis. A test may set
// a function to run once just before the node's next Append, to put
// another node's write between this node's read of a sheet and its
// conditional append; it also counts the Appends refused as conflicts.
type interposer struct {
	store.Store
	conflicts atomic.Int64

	mu     sync.Mutex // protects before
	before func()
}

func (s *interposer) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	s.mu.Lock()
	f := s.before
	s.before = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	n, err := s.Store.Append(ctx, stream, expect, recs...)
	if errors.Is(err, store.ErrConflict) {
		s.conflicts.Add(1)
	}
	return n, err
}

// beforeAppend sets f to run once before the node's next Append.
func (s *interposer) beforeAppend(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.before = f
}

func criteria(t *testing.T, m *roleplay.Model, k roleplay.SheetKey) []string {
	t.Helper()
	rb, ok := m.RubricOf(m.Circuits[k.Circuit], k.Station)
	if !ok {
		t.Fatalf("no rubric for %s", k.Station)
	}
	var ids []string
	for _, cr := range rb.Criteria() {
		ids = append(ids, cr.ID)
	}
	return ids
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkLog compares a sheet's log with the changes expected, in order.
func checkLog(t *testing.T, what string, got []roleplay.Entry, want []roleplay.Change) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d entries, want %d: %+v", what, len(got), len(want), got)
		return
	}
	for i := range want {
		if got[i].Change != want[i] {
			t.Errorf("%s: entry %d is %+v, want %+v", what, i, got[i].Change, want[i])
		}
	}
}

// TestRedisNodesShareSheet: a sheet begun on node A is seen and continued
// on node B. B's copy is caught up by its views; a change A stores between
// B's read and B's append makes B's append conflict, and B rebuilds and
// retries: a re-send of the same change is acknowledged as a duplicate,
// and the lead's moderation is numbered after A's. The stored log, read by
// a third node, holds every change once, in order.
func TestRedisNodesShareSheet(t *testing.T) {
	t.Parallel()
	f := newFleet(t)
	a, b := f.node(), f.node()
	ctx := context.Background()
	k := key("S1", "C01", liam)
	crit := criteria(t, a.model, k)
	mark := func(seq uint64, i, v int) roleplay.Change {
		return roleplay.Change{By: liam, Seq: seq, Kind: roleplay.SetMark, Criterion: crit[i], Value: v}
	}
	var want []roleplay.Change
	store := func(n *node, c roleplay.Change) {
		t.Helper()
		if out := n.must(k, c); !out.Applied || out.Acked != c.Seq {
			t.Fatalf("seq %d: %+v, want applied and acknowledged", c.Seq, out)
		}
		want = append(want, c)
	}

	store(a, mark(1, 0, 2))
	store(a, mark(2, 1, 3))
	if got := b.sheet(k); len(got.Marks) != 2 || got.Marks[crit[0]] != 2 || got.Marks[crit[1]] != 3 {
		t.Fatalf("node B's sheet %+v, want node A's two marks", got)
	}
	if ss := cellOf(t, b.view(), "S1", "C01").Sheets[0]; ss.Assessor != liam || ss.Status != StatusInProgress || ss.Marked != 2 {
		t.Fatalf("node B's lead view of liam's sheet %+v", ss)
	}

	// Liam's judgement reaches A, whose answer is lost; the client sends it
	// again through B, which reads the sheet before A's append lands.
	judge := roleplay.Change{By: liam, Seq: 3, Kind: roleplay.SetJudgement, Value: 3}
	b.via.beforeAppend(func() { store(a, judge) })
	out, err := b.svc.Apply(ctx, k, judge)
	if err != nil || out.Applied || out.Acked != 3 {
		t.Fatalf("re-sent judgement on node B: %+v, %v; want a duplicate acknowledged as 3", out, err)
	}
	if b.via.conflicts.Load() == 0 {
		t.Error("node B's append did not conflict with node A's")
	}

	// A takes the remaining marks while B's copy is behind; B must accept
	// the submit, which needs them.
	for i := 2; i < len(crit); i++ {
		store(a, mark(uint64(i+2), i, 2))
	}
	submit := roleplay.Change{By: liam, Seq: uint64(len(crit) + 2), Kind: roleplay.Submit}
	if out, err := b.svc.Apply(ctx, k, submit); err != nil || !out.Applied || !out.State.Submitted {
		t.Fatalf("submit on node B after marks stored on node A: %+v, %v", out, err)
	}
	want = append(want, submit)

	// The lead moderates on B while a moderation on A lands first: B's is
	// numbered after it.
	modA := Moderation{Station: "S1", Candidate: "C01", Assessor: liam, Criterion: crit[0], Value: 3, Reason: "Second viewing of the recording."}
	modB := Moderation{Station: "S1", Candidate: "C01", Assessor: liam, Value: 4, Reason: "Judgement follows the moderated marks."}
	b.via.beforeAppend(func() {
		if _, err := a.svc.Moderate(ctx, circuitID, iris, modA); err != nil {
			t.Errorf("moderation on node A: %v", err)
		}
	})
	if _, err := b.svc.Moderate(ctx, circuitID, iris, modB); err != nil {
		t.Fatalf("moderation on node B: %v", err)
	}
	want = append(want,
		roleplay.Change{By: iris, Seq: 1, Kind: roleplay.ModerateMark, Criterion: crit[0], Value: 3, Reason: modA.Reason},
		roleplay.Change{By: iris, Seq: 2, Kind: roleplay.ModerateJudgement, Value: 4, Reason: modB.Reason})

	c := f.node()
	a.hears(k)
	checkLog(t, "stored records", c.stored(k), want)
	checkLog(t, "log on a third node", c.audit(k), want)
	checkLog(t, "log on node A", a.audit(k), want)
	checkLog(t, "log on node B", b.audit(k), want)
	st := c.sheet(k)
	if !st.Submitted || st.Marks[crit[0]] != 3 || st.Original[crit[0]] != 2 || st.Judgement == nil || *st.Judgement != 4 || len(st.Moderations) != 2 {
		t.Errorf("sheet on a third node %+v", st)
	}
	if got, want := jsonOf(t, a.sheet(k)), jsonOf(t, st); got != want {
		t.Errorf("node A's sheet\n%s\nthird node's\n%s", got, want)
	}
}

// TestRedisConcurrentNodes: goroutines on two nodes send one assessor's
// changes to one sheet at once, numbered by a shared counter. Every
// acknowledged change is stored exactly once, as sent; no refused change
// is stored; and both nodes, and a third, read the same log.
func TestRedisConcurrentNodes(t *testing.T) {
	t.Parallel()
	const perNode, each = 4, 20
	f := newFleet(t)
	nodes := []*node{f.node(), f.node()}
	k := key("S1", "C01", liam)
	crit := criteria(t, nodes[0].model, k)

	type result struct {
		change roleplay.Change
		out    Outcome
		err    error
	}
	var seq atomic.Uint64
	results := make([][]result, len(nodes)*perNode)
	var wg sync.WaitGroup
	for g := range results {
		n := nodes[g%len(nodes)]
		wg.Go(func() {
			for range each {
				s := seq.Add(1)
				c := roleplay.Change{By: liam, Seq: s, Kind: roleplay.SetNote, Criterion: crit[s%uint64(len(crit))],
					Text: fmt.Sprintf("note %d", s)}
				out, err := n.svc.Apply(context.Background(), k, c)
				results[g] = append(results[g], result{c, out, err})
			}
		})
	}
	wg.Wait()

	stored := nodes[0].stored(k)
	at := map[uint64]int{} // how often each seq is stored
	for i, e := range stored {
		at[e.Seq]++
		if i > 0 && e.Seq <= stored[i-1].Seq {
			t.Errorf("record %d: seq %d after %d", i, e.Seq, stored[i-1].Seq)
		}
	}
	acked, refused := 0, map[int]int{}
	for _, rs := range results {
		for _, r := range rs {
			n := at[r.change.Seq]
			if r.err != nil {
				var pe *ProtocolError
				if !errors.As(r.err, &pe) || (pe.Code != CodeBadSeq && pe.Code != CodeStore) {
					t.Errorf("seq %d: %v, want a stale seq or a lost race refused", r.change.Seq, r.err)
				} else {
					refused[pe.Code]++
				}
				if n != 0 {
					t.Errorf("seq %d was refused (%v) but stored %d times", r.change.Seq, r.err, n)
				}
				continue
			}
			acked++
			if !r.out.Applied || n != 1 {
				t.Errorf("seq %d acknowledged (applied %v) and stored %d times, want once", r.change.Seq, r.out.Applied, n)
			}
		}
	}
	if len(stored) != acked || acked == 0 {
		t.Errorf("%d records stored, %d changes acknowledged", len(stored), acked)
	}
	for _, e := range stored {
		want := roleplay.Change{By: liam, Seq: e.Seq, Kind: roleplay.SetNote, Criterion: crit[e.Seq%uint64(len(crit))],
			Text: fmt.Sprintf("note %d", e.Seq)}
		if e.Change != want {
			t.Errorf("stored %+v, sent %+v", e.Change, want)
		}
	}
	t.Logf("%d changes: %d acknowledged, refused %v; append conflicts %d and %d",
		len(results)*each, acked, refused, nodes[0].via.conflicts.Load(), nodes[1].via.conflicts.Load())

	want := make([]roleplay.Change, len(stored))
	for i, e := range stored {
		want[i] = e.Change
	}
	for _, n := range nodes {
		n.hears(k)
	}
	for i, n := range append(nodes, f.node()) {
		checkLog(t, fmt.Sprintf("log on node %d", i), n.audit(k), want)
	}
}

// TestRedisDoubleMarking: the two markers of a double-marked station
// submit on different nodes with a discrepancy; either node's lead view
// flags it; the lead assigns a third marker on node A, who marks on node
// B; the lead cannot then reassign the station on either node.
func TestRedisDoubleMarking(t *testing.T) {
	t.Parallel()
	f := newFleet(t)
	a, b := f.node(), f.node()
	ctx := context.Background()
	a.complete(key("S1", "C01", liam), 1, 2, 2)  // score 12
	b.complete(key("S1", "C01", nadia), 1, 4, 3) // score 18: more than 3 apart
	for name, n := range map[string]*node{"A": a, "B": b} {
		v := n.view()
		if len(v.Flags) != 1 {
			t.Fatalf("node %s flags %+v, want S1/C01", name, v.Flags)
		}
		fl := v.Flags[0]
		if fl.Station != "S1" || fl.Candidate != "C01" || !fl.Discrepancy.ScoreFlag ||
			!scalar.EqualWithinAbsOrRel(fl.Discrepancy.ScoreDiff, 6, 1e-12, 1e-12) || fl.Resolver != nil || len(fl.ThirdMarkers) == 0 {
			t.Errorf("node %s flag %+v", name, fl)
		}
	}

	third := key("S1", "C01", helen)
	_, err := b.svc.Apply(ctx, third, roleplay.Change{By: helen, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 2})
	if pe := (*ProtocolError)(nil); !errors.As(err, &pe) || pe.Code != CodeNotAtStation {
		t.Fatalf("third marking before any assignment: %v, want code %d", err, CodeNotAtStation)
	}
	a.assign("S1", "C01", helen)
	if fl := a.view().Flags[0]; fl.Resolver == nil || fl.Resolver.Assessor != helen || fl.Resolver.Status != StatusNotStarted {
		t.Fatalf("node A's flag once assigned: %+v", fl)
	}
	b.complete(third, 1, 4, 3) // score 18
	a.hears(third)
	for name, n := range map[string]*node{"A": a, "B": b} {
		fl := n.view().Flags[0]
		if fl.Resolver == nil || fl.Resolver.Status != StatusSubmitted || fl.Resolved == nil ||
			!scalar.EqualWithinAbsOrRel(*fl.Resolved, 18, 1e-12, 1e-12) || len(fl.ThirdMarkers) != 0 {
			t.Errorf("node %s flag once third-marked: %+v", name, fl)
		}
	}
	for name, n := range map[string]*node{"A": a, "B": b} {
		_, err := n.svc.Assign(ctx, circuitID, iris, Assignment{Station: "S1", Candidate: "C01", Assessor: petra})
		if pe := (*ProtocolError)(nil); !errors.As(err, &pe) || pe.Code != CodeAssigned {
			t.Errorf("reassignment on node %s after third marking: %v, want code %d", name, err, CodeAssigned)
		}
	}
}

// TestRedisRestart: a node closed and opened again over a new Redis client
// replays every sheet as it was, and as the other node sees it; numbering
// resumes after the last stored sequence number.
func TestRedisRestart(t *testing.T) {
	t.Parallel()
	f := newFleet(t)
	a, b := f.node(), f.node()
	ctx := context.Background()
	ks := []roleplay.SheetKey{key("S1", "C01", liam), key("S1", "C01", nadia), key("S3", "C03", helen)}
	last := a.complete(ks[0], 1, 3, 2, 3, 1) - 1
	b.must(ks[1], roleplay.Change{By: nadia, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 1})
	b.must(ks[1], roleplay.Change{By: nadia, Seq: 2, Kind: roleplay.SetNote, Text: "Candidate left before the debrief."})
	if _, err := b.svc.Moderate(ctx, circuitID, iris, Moderation{Station: "S1", Candidate: "C01", Assessor: liam,
		Criterion: "safety", Value: 2, Reason: "Agreed at calibration."}); err != nil {
		t.Fatal(err)
	}
	b.must(ks[2], roleplay.Change{By: helen, Seq: 1, Kind: roleplay.SetNote, Text: "Weighed the school's account well."})
	b.complete(ks[2], 2, 2, 1)

	before := map[roleplay.SheetKey]string{}
	for _, k := range ks {
		a.hears(k)
		before[k] = jsonOf(t, a.sheet(k)) + jsonOf(t, a.audit(k))
	}
	a.close()
	a = f.node()
	for _, k := range ks {
		if got := jsonOf(t, a.sheet(k)) + jsonOf(t, a.audit(k)); got != before[k] {
			t.Errorf("%s after restart\n%s\nbefore\n%s", StreamName(k), got, before[k])
		}
		if got := jsonOf(t, b.sheet(k)) + jsonOf(t, b.audit(k)); got != before[k] {
			t.Errorf("%s on the other node\n%s\nrestarted node\n%s", StreamName(k), got, before[k])
		}
	}

	out, err := a.svc.Apply(ctx, ks[0], roleplay.Change{By: liam, Seq: last, Kind: roleplay.Submit})
	if err != nil || out.Applied || out.Acked != last {
		t.Errorf("submit re-sent after restart: %+v, %v; want a duplicate acknowledged as %d", out, err, last)
	}
	if out := a.must(ks[1], roleplay.Change{By: nadia, Seq: 3, Kind: roleplay.SetJudgement, Value: 2}); !out.Applied || out.Acked != 3 {
		t.Errorf("next change after restart: %+v", out)
	}
	b.hears(ks[1])
	if got := b.sheet(ks[1]); got.Judgement == nil || *got.Judgement != 2 || got.Marks["safety"] != 1 {
		t.Errorf("the other node's sheet after the restarted node's change: %+v", got)
	}
}
