// Package reliability holds the classical-test-theory reliability
// coefficients and standard errors of measurement shared by item analysis
// (scoring/itemanalysis) and standard setting: Cronbach's alpha, KR-20 and
// KR-21, the SEM and Lord's binomial-error conditional SEM.
//
// Following gonum's conventions, the functions panic on a programmer error
// (too few items, a ragged matrix) and return an error when the data leave
// a coefficient undefined (ErrNoVariance).
//
// Functions are pure and safe for concurrent use.
package reliability
