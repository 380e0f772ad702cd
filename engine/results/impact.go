package results

import (
	"context"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/scoring/impact"
)

// Directory is what the impact report reads of the programme: the
// employers' rollout phases and the monitoring answers.
// *programme.Programme is one.
type Directory interface {
	Employers(ctx context.Context) ([]programme.Employer, error)
	Monitoring(ctx context.Context) ([]programme.MonitoringRecord, error)
}

// Impact is the workforce-impact report (scoring/impact) of every person
// decided, live: pass rates by employer, rollout phase, cohort, status and
// element, adverse impact by the monitoring fields, trends across windows.
// Incomplete decisions are left out (no decision yet), and so are people
// outside every window. It is for the programme team: the caller checks
// who asks, and min is the smallest count published (0 for the default).
func (r *Results) Impact(ctx context.Context, p Directory, min int) (*impact.Report, error) {
	rows, err := r.ImpactRows(ctx, p)
	if err != nil {
		return nil, err
	}
	windows := make([]string, len(r.cfg.Windows))
	for i, w := range r.cfg.Windows {
		windows[i] = w.ID
	}
	return impact.Build(rows, impact.Options{MinCount: min, Windows: windows})
}

// ImpactRows are the decided people as rows of the workforce-impact
// report, with their employer's rollout phase and their monitoring
// answers, which reach nothing else.
func (r *Results) ImpactRows(ctx context.Context, p Directory) ([]impact.Row, error) {
	ds, err := r.Decide(ctx)
	if err != nil {
		return nil, err
	}
	es, err := p.Employers(ctx)
	if err != nil {
		return nil, err
	}
	phase := make(map[string]impact.Phase, len(es))
	for _, e := range es {
		phase[e.ID] = impact.Phase(e.Phase)
	}
	ms, err := p.Monitoring(ctx)
	if err != nil {
		return nil, err
	}
	mon := make(map[string]programme.Monitoring, len(ms))
	for _, m := range ms {
		mon[m.Person] = m.Monitoring
	}
	rows := make([]impact.Row, 0, len(ds))
	for _, d := range ds {
		if d.Outcome == Incomplete || d.Window == "" {
			continue
		}
		m := mon[d.Person]
		row := impact.Row{Person: d.Person, Employer: d.Employer, Phase: phase[d.Employer], Cohort: d.Window,
			Status: impact.Status(d.Status), Outcome: impact.Outcome(d.Outcome), Elements: map[string]bool{},
			Monitoring: impact.Monitoring{AgeBand: m.AgeBand, Sex: m.Sex, EthnicGroup: m.Ethnicity, Disability: m.Disability}}
		for _, e := range d.Elements {
			row.Elements[string(e.Element)] = e.Passed
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// ImpactCache serves the impact report from a copy at most MaxAge old.
// The first request builds it; a request that finds the copy stale gets it
// at once while one rebuild runs in the background, so the page answers
// without deciding everyone again, its numbers at most MaxAge (plus one
// build) behind the store. Safe for concurrent use.
type ImpactCache struct {
	R      *Results
	Dir    Directory
	MaxAge time.Duration

	mu       sync.Mutex           // protects the fields below
	reports  map[int]cachedReport // by minimum count
	building map[int]bool         // rebuilds under way
	bg       context.Context      // the rebuilds' context, made with the first; nil until then
	cancel   context.CancelFunc   // cancels bg
	closed   bool                 // Close was called: no more rebuilds
	wg       sync.WaitGroup       // the background rebuilds
}

type cachedReport struct {
	rep *impact.Report
	at  time.Time
}

// Report returns the report with cells under min suppressed (0: the
// default) and when it was built.
func (c *ImpactCache) Report(ctx context.Context, min int) (*impact.Report, time.Time, error) {
	now := c.R.clk.Now()
	c.mu.Lock()
	if c.reports == nil {
		c.reports, c.building = map[int]cachedReport{}, map[int]bool{}
	}
	got, ok := c.reports[min]
	if ok && now.Sub(got.at) >= c.MaxAge && !c.building[min] && !c.closed {
		c.building[min] = true
		if c.bg == nil {
			c.bg, c.cancel = context.WithCancel(context.Background())
		}
		bg := c.bg
		c.wg.Go(func() {
			ctx, cancel := context.WithTimeout(bg, time.Minute)
			defer cancel()
			c.build(ctx, min)
		})
	}
	c.mu.Unlock()
	if ok {
		return got.rep, got.at, nil
	}
	return c.build(ctx, min)
}

// Close stops the background rebuilds, cancelling one under way, and
// waits for them to end; afterwards a stale report is served as it is.
func (c *ImpactCache) Close() {
	c.mu.Lock()
	c.closed = true
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// build makes the report for min and keeps it.
func (c *ImpactCache) build(ctx context.Context, min int) (*impact.Report, time.Time, error) {
	at := c.R.clk.Now()
	rep, err := c.R.Impact(ctx, c.Dir, min)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.building, min)
	if err != nil {
		return nil, time.Time{}, err
	}
	if old, ok := c.reports[min]; !ok || !old.at.After(at) {
		c.reports[min] = cachedReport{rep: rep, at: at}
	}
	return rep, at, nil
}
