package results

import (
	"context"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/scoring/impact"
)

// Impact is the workforce-impact report (scoring/impact) of every person
// decided, live: pass rates by employer, rollout phase, cohort, status and
// element, adverse impact by the monitoring fields, trends across windows.
// Incomplete decisions are left out (no decision yet), and so are people
// outside every window. It is for the programme team: the caller checks
// who asks, and min is the smallest count published (0 for the default).
func (r *Results) Impact(ctx context.Context, p *programme.Programme, min int) (*impact.Report, error) {
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
func (r *Results) ImpactRows(ctx context.Context, p *programme.Programme) ([]impact.Row, error) {
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
