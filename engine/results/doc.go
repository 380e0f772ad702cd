// Package results turns the stored evidence into outcomes: it joins each
// person's knowledge score (from their submitted attempt) and role-play
// element score (from settled marking sheets) to the standard the
// psychometricians adopted for their status, decides each element pass
// or fail and the standard met, partially met or not met, holds the
// outcomes under embargo until an administrator releases the person's
// sitting window, and applies the re-sit rules to bookings.
//
// Use:
//
//	ev := &results.StoreEvidence{Engine: eng, Marking: mk, Library: lib}
//	roster := &results.ProgrammeRoster{}
//	res, err := results.New(results.Config{Store: st, Clock: clk, Evidence: ev, Roster: roster,
//		Recorder: rec, Blueprints: rules.Blueprints, Windows: windows, Resit: resit})
//	p, err := programme.New(programme.Config{Store: st, Gate: res.Gate(), ...})
//	roster.P = p
//
//	std, err := res.Adopt(ctx, psychometrician, results.Standard{Status: programme.Practitioner, ...})
//	changes, err := res.Preview(ctx, programme.Practitioner, candidateStandard)
//	decisions, err := res.DecideWindow(ctx, "2026-spring")
//	rel, err := res.Release(ctx, administrator, "2026-spring")
//	out, err := res.Outcome(ctx, results.Viewer{Role: results.RoleCandidate, ID: person}, person)
//
// Decide is the pure decision of one person; Decision is the programme
// team's view of it (scores and cuts), CandidateOutcome the candidate's
// and the employer's (no score, no cut, no grade). CheckResit is the pure
// re-sit check that Gate applies inside programme booking.
//
// Standards, releases and appeals live in the store (docs/results.md
// gives the streams), so several Results on one Redis see one programme;
// each change is a conditional append decided again on a conflict.
// Refusals are *RefusedError values listing every reason with a Code;
// missing evidence is a *MissingError with its reason. Time comes from
// the injected clock only. Monitoring data is neither read nor shown
// here. Results is safe for concurrent use.
package results
