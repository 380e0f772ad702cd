// Package impact computes the workforce-impact statistics of a programme's
// decisions: pass (met) rates by employer, rollout phase, cohort (sitting
// window), status and element and their crossings, each with its count and
// Wilson 95% score interval; adverse impact by each monitoring field (impact
// ratio, four-fifths rule, Fisher's exact p, from scoring/fairness); the rate
// at which each endorsing employer's candidates met the standard; and trends
// across windows.
//
// Build takes one Row per decision and Options, and returns a Report in which
// every cell of fewer than Options.MinCount decisions (default 10) is
// suppressed, with further cells suppressed so that none can be worked out by
// subtraction from published totals (docs/impact.md gives the rule). A
// suppressed cell carries no count, rate or interval. No output names a
// person: Row.Person is read only to refuse a duplicated decision.
//
//	rep, err := impact.Build(rows, impact.Options{Windows: []string{"2018-07", "2018-10"}})
//	if err != nil { ... }
//	err = rep.WriteCSV(w)
//
// Output is deterministic: tables come in a fixed order, cells sorted by
// their keys (phases in rollout order, statuses practitioner, supervisor,
// leader, cohorts in window order, everything else by label).
//
// Functions are pure and safe for concurrent use; a Report is not modified
// after Build returns.
package impact
