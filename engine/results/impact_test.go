package results

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// fakeDirectory holds the employers' phases and everyone's monitoring.
type fakeDirectory struct {
	employers []programme.Employer
	mon       []programme.MonitoringRecord
}

func (d *fakeDirectory) Employers(context.Context) ([]programme.Employer, error) {
	return d.employers, nil
}
func (d *fakeDirectory) Monitoring(context.Context) ([]programme.MonitoringRecord, error) {
	return d.mon, nil
}

// directoryOf is the directory of g's candidates, age bands in turn.
func directoryOf(g *rig) *fakeDirectory {
	d := &fakeDirectory{employers: []programme.Employer{{ID: "bury", Phase: programme.PhasePilot},
		{ID: "leeds", Phase: programme.Phase1}, {ID: "wigan", Phase: programme.Phase2}}}
	bands := []string{"under 25", "25-34", "35-44", "45-54", "55 and over"}
	for i, c := range g.ros.cands {
		d.mon = append(d.mon, programme.MonitoringRecord{Person: c.Person, Employer: c.Employer,
			Monitoring: programme.Monitoring{AgeBand: bands[i%len(bands)]}})
	}
	return d
}

// TestImpactCache: the report is built once, served as it is while fresh,
// served stale while one rebuild runs once MaxAge has passed, and then
// holds the change.
func TestImpactCache(t *testing.T) {
	ctx := context.Background()
	g := benchRig(t, openBolt(t), 200)
	c := &ImpactCache{R: g.r, Dir: directoryOf(g), MaxAge: time.Minute}
	first, at, err := c.Report(ctx, 0)
	must(t, err)
	if first.Overall.N != 200 || !at.Equal(g.clk.Now()) {
		t.Fatalf("first report: %+v at %s", first.Overall, at)
	}
	passed := first.Overall.Passed
	// Someone who met fails the knowledge test on a re-mark.
	for _, cand := range g.ros.cands {
		d, err := g.r.DecisionOf(ctx, admin, cand.Person)
		must(t, err)
		if d.Outcome == Met {
			g.ev.setKnowledge("k1", "form-p", cand.Person, 0)
			break
		}
	}
	if again, _, err := c.Report(ctx, 0); err != nil || again != first {
		t.Fatalf("a fresh report was rebuilt: %v", err)
	}
	g.clk.Advance(2 * time.Minute)
	stale, _, err := c.Report(ctx, 0)
	if err != nil || stale != first {
		t.Fatalf("a stale report was not served at once: %v", err)
	}
	c.wg.Wait()
	now, at, err := c.Report(ctx, 0)
	must(t, err)
	if now == first || now.Overall.Passed != passed-1 || !at.Equal(g.clk.Now()) {
		t.Fatalf("after the rebuild: passed %d (was %d) at %s", now.Overall.Passed, passed, at)
	}
	if fair := now.Impact[0]; fair.Field != "age_band" || len(fair.Groups) != 5 {
		t.Fatalf("adverse impact by age band: %+v", fair)
	}
}

// gatedDirectory is a directory whose Monitoring, once armed, says it has
// begun and then waits for its context to end.
type gatedDirectory struct {
	*fakeDirectory
	armed   atomic.Bool
	entered chan struct{}
}

func (d *gatedDirectory) Monitoring(ctx context.Context) ([]programme.MonitoringRecord, error) {
	if d.armed.Load() {
		d.entered <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return d.fakeDirectory.Monitoring(ctx)
}

// TestImpactCacheClose: Close cancels a rebuild under way and waits for it;
// after Close a stale report is served as it is, with no rebuild begun.
func TestImpactCacheClose(t *testing.T) {
	ctx := context.Background()
	g := benchRig(t, openBolt(t), 20)
	dir := &gatedDirectory{fakeDirectory: directoryOf(g), entered: make(chan struct{}, 1)}
	c := &ImpactCache{R: g.r, Dir: dir, MaxAge: time.Minute}
	first, _, err := c.Report(ctx, 0)
	must(t, err)
	dir.armed.Store(true)
	g.clk.Advance(2 * time.Minute)
	if stale, _, err := c.Report(ctx, 0); err != nil || stale != first {
		t.Fatalf("the stale report was not served at once: %v", err)
	}
	<-dir.entered // the rebuild is under way
	c.Close()     // returns only once the rebuild has ended
	if c.building[0] {
		t.Fatal("a rebuild is still marked under way after Close")
	}
	if again, _, err := c.Report(ctx, 0); err != nil || again != first {
		t.Fatalf("after Close: %v, or not the stale report", err)
	}
	c.wg.Wait() // a rebuild begun after Close would end at once: its context is cancelled
	select {
	case <-dir.entered:
		t.Fatal("a rebuild began after Close")
	default:
	}
}

// BenchmarkImpact30000: the impact page's report for 30,000 decided
// people: built from the decisions (cold), and served from the cache.
func BenchmarkImpact30000(b *testing.B) {
	ctx := context.Background()
	g := benchRig(b, openBolt(b), 30000)
	dir := directoryOf(g)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			if rep, err := g.r.Impact(ctx, dir, 0); err != nil || rep.Overall.N != 30000 {
				b.Fatalf("%v", err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		c := &ImpactCache{R: g.r, Dir: dir, MaxAge: time.Minute}
		_, _, err := c.Report(ctx, 0)
		must(b, err)
		b.ResetTimer()
		for b.Loop() {
			if rep, _, err := c.Report(ctx, 0); err != nil || rep.Overall.N != 30000 {
				b.Fatalf("%v", err)
			}
		}
	})
}
