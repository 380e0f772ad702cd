package results

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/store"
)

// benchCohort fills g with n practitioners across three employers, their
// knowledge and role-play scores drawn from a seeded source.
func benchCohort(g *rig, n int) {
	rnd := rand.New(rand.NewPCG(15, 30000))
	employers := []string{"bury", "leeds", "wigan"}
	for i := range n {
		id := fmt.Sprintf("p%05d", i)
		g.ros.cands = append(g.ros.cands, practitioner(id, employers[i%3], t0.Add(time.Duration(i%60)*time.Hour)))
		g.ev.setKnowledge("k1", "form-p", id, float64(20+rnd.IntN(40)))
		var failed []string
		if rnd.IntN(20) == 0 {
			failed = []string{"S2"}
		}
		g.ev.setRolePlay("circuit-p", id, 30+60*rnd.Float64(), failed...)
	}
	g.clk.Advance(t0.AddDate(0, 1, 0).Sub(g.clk.Now()))
}

// benchRig is a rig on st holding benchCohort's n practitioners, with
// standardP adopted.
func benchRig(t testing.TB, st store.Store, n int) *rig {
	t.Helper()
	g := newRig(t, st)
	benchCohort(g, n)
	g.adoptStandard(t)
	return g
}

// BenchmarkDecide30000 decides 30,000 people against the standard in the
// store, their evidence in memory.
func BenchmarkDecide30000(b *testing.B) {
	for name, open := range map[string]func(testing.TB) store.Store{"bolt": openBolt} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			g := benchRig(b, open(b), 30000)
			b.ResetTimer()
			for b.Loop() {
				decs, err := g.r.Decide(ctx)
				if err != nil || len(decs) != 30000 {
					b.Fatalf("%d decisions, %v", len(decs), err)
				}
			}
		})
	}
}
