// Package roleplay holds the simulated-practice element of an assessment:
// the model (scenarios, rubrics, the global judgement scale, assessors,
// circuits of stations and their schedules, double-marking rules), loaded
// from JSON files, and the marking sheet, a deterministic state machine for
// one assessor's marks of one candidate at one station.
//
// A model tree has this layout (docs/roleplay.md gives every field):
//
//	domains.json      domains of the knowledge-and-skills statements
//	judgement.json    optional global judgement scale (default: clear fail .. excellent)
//	assessors.json    assessors and lead assessors, by assessor code
//	scenarios/*.json  one scenario each: actor brief, candidate brief, duration
//	rubrics/*.json    one rubric each: criteria grouped by domain, anchored scales
//	circuits/*.json   one circuit each: stations, candidates, schedule, double marking
//
//	m, err := roleplay.Load(roleplay.Demo())
//	c := m.Circuits[roleplay.DemoPractitionerCircuit]
//	sheet, err := roleplay.NewSheet(m, c.ID, "S1", "C01", "ASR-LIAM")
//	res, err := sheet.Apply(roleplay.Change{Seq: 1, By: "ASR-LIAM",
//		Kind: roleplay.SetMark, Criterion: "safety", Value: 2}, now)
//
// The sheet does no I/O and reads no clock: the caller passes the time of
// each change, stores the applied changes (Sheet.Log) durably before
// acknowledging them, and rebuilds a sheet after a restart with Restore.
//
// A Model is immutable after Load and safe for concurrent use. A Sheet is
// not: one owner goroutine applies its changes.
package roleplay
