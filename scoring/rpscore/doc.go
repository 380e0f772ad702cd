// Package rpscore scores the simulated-practice element: station scores
// from a rubric (weighted sums, must-pass criteria, domain sub-scores), the
// element score across stations, double-marking discrepancies and their
// resolution, and the CSV files standard setting reads.
//
//	m := rpscore.FromState(sheet.State(), judgementScale)
//	s, err := rpscore.Score(rubric, m.Marks)
//	d := rpscore.Compare(circuit.DoubleMarking, scale, first, second, sa, sb)
//	r, err := rpscore.Resolve(circuit.DoubleMarking, scale, rubric, first, second, nil)
//
// Every function is pure and safe for concurrent use.
package rpscore
