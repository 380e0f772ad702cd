package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/accredit/accredit/engine"
)

func TestMetrics(t *testing.T) {
	r := newRig(t)
	reg := prometheus.NewRegistry()
	m := engine.NewMetrics(reg)
	eng := engine.New(engine.Config{Library: r.lib, Store: r.store, Clock: r.clock, Metrics: m})
	eng.RegisterAttemptGauges(reg)
	defer eng.Close()
	ctx := context.Background()
	p := &peer{}
	id, err := eng.Join(ctx, codeOne, p)
	if err != nil {
		t.Fatal(err)
	}
	eng.Join(ctx, codeOne, &peer{}) // a reconnect takes over
	eng.Release(ctx, "s1", "inv1")
	eng.Handle(ctx, id, p, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}}) // taken over: ignored
	want := `
# HELP accredit_attempts Attempts held in memory by this node, by status.
# TYPE accredit_attempts gauge
accredit_attempts{status="in_progress"} 1
accredit_attempts{status="submitted"} 0
accredit_attempts{status="waiting"} 0
# HELP accredit_joins_total Candidate hellos: first join of an attempt (new) or a reconnect (resume).
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
