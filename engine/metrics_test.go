package engine_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/store"
)

// meteredEngine is an engine on r's library and clock over s, counting
// into a registry of its own with its attempt gauges, and closed when the
// test ends; it returns the registry too.
func meteredEngine(t testing.TB, r *rig, s store.Store) (*engine.Engine, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	eng := engine.New(engine.Config{Library: r.lib, Store: s, Clock: r.clock, Metrics: engine.NewMetrics(reg)})
	eng.RegisterAttemptGauges(reg)
	t.Cleanup(eng.Close)
	return eng, reg
}

// oneInProgress is the attempts gauge of a node holding one attempt, in
// progress.
const oneInProgress = `
# HELP accredit_attempts Attempts held in memory by this node, by status.
# TYPE accredit_attempts gauge
accredit_attempts{status="in_progress"} 1
accredit_attempts{status="submitted"} 0
accredit_attempts{status="waiting"} 0
`

func TestMetrics(t *testing.T) {
	r := newRig(t)
	eng, reg := meteredEngine(t, r, r.store)
	ctx := context.Background()
	p, id := joinOn(t, eng, codeOne)
	eng.Join(ctx, codeOne, &peer{}) // a reconnect takes over
	eng.Release(ctx, "s1", "inv1")
	eng.Handle(ctx, id, p, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}}) // taken over: ignored
	want := oneInProgress + `# HELP accredit_joins_total Candidate hellos: first join of an attempt (new) or a reconnect (resume).
# TYPE accredit_joins_total counter
accredit_joins_total{kind="new"} 1
accredit_joins_total{kind="resume"} 1
# HELP accredit_takeovers_total Connections replaced by a newer connection to the same attempt.
# TYPE accredit_takeovers_total counter
accredit_takeovers_total 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "accredit_attempts", "accredit_joins_total", "accredit_takeovers_total"); err != nil {
		t.Fatal(err)
	}
}

// gatedStore holds every Append until the test lets it go, as a store
// stalled under load does.
type gatedStore struct {
	store.Store
	armed   atomic.Bool
	entered chan struct{} // an Append has begun, once armed
	release chan struct{} // closed: Appends proceed
}

func (g *gatedStore) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if g.armed.Load() {
		g.entered <- struct{}{}
		<-g.release
	}
	return g.Store.Append(ctx, stream, expect, recs...)
}

// TestScrapeDuringAppend: a scrape takes no attempt's lock, so it answers
// while an answer's durable append holds that attempt; before, it waited
// for every append in flight.
func TestScrapeDuringAppend(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	id := joinReleased(t, r.eng, r.eng, &peer{})
	r.eng.Close()
	g := &gatedStore{Store: r.store, entered: make(chan struct{}, 1), release: make(chan struct{})}
	eng, reg := meteredEngine(t, r, g)
	p, _ := joinOn(t, eng, codeOne)
	g.armed.Store(true)
	done := make(chan struct{})
	go func() {
		defer close(done)
		eng.Handle(ctx, id, p, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	}()
	<-g.entered // the answer's append holds the attempt's lock now
	want := oneInProgress
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "accredit_attempts"); err != nil {
		t.Error(err)
	}
	close(g.release)
	<-done
}

// TestAnswersCounted: every candidate change is counted by its outcome.
func TestAnswersCounted(t *testing.T) {
	r := newRig(t)
	eng, reg := meteredEngine(t, r, r.store)
	ctx := context.Background()
	p, id := joinOn(t, eng, codeOne)
	answer := func(seq uint64, item string, opts ...string) {
		eng.Handle(ctx, id, p, engine.ClientMsg{Type: "answer", Seq: seq, Item: item, Options: opts})
	}
	answer(1, "q1", "b") // 301: not started
	if err := eng.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	answer(1, "q1", "b")
	answer(1, "q1", "b")   // a re-send
	answer(2, "nope", "a") // 304
	answer(3, "q1", "zzz") // 305
	answer(0, "q1", "b")   // 306
	answer(4, "q2", "a")
	want := `
# HELP accredit_answers_total Candidate changes (answer, flag, navigate, submit) by outcome: acked (stored now), duplicate (stored before, acknowledged again) or the refusal's error code.
# TYPE accredit_answers_total counter
accredit_answers_total{result="301"} 1
accredit_answers_total{result="304"} 1
accredit_answers_total{result="305"} 1
accredit_answers_total{result="306"} 1
accredit_answers_total{result="acked"} 2
accredit_answers_total{result="duplicate"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "accredit_answers_total"); err != nil {
		t.Fatal(err)
	}
}
