// Package scoring turns candidates' responses and assessors' observations
// into scores.
//
// This package scores the knowledge test: an attempt's raw score overall and
// per knowledge-and-skills domain, computed from the item keys after the
// attempt is submitted, and the response-matrix CSV the psychometric analyses
// read. Subpackages hold the analyses themselves (respmatrix, itemanalysis,
// rasch, irt, fairness, agreement), the numerics they share (logistic,
// reliability) and role-play scoring (rpscore).
//
// Functions here are pure and safe for concurrent use.
package scoring
