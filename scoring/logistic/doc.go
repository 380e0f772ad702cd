// Package logistic fits binary logistic regression by maximum likelihood,
// the model behind R's glm(family = binomial): the logistic-regression DIF
// tests of scoring/fairness and the contrasting-groups cut of
// standardsetting.
//
// Following gonum's conventions, Fit panics on a programmer error (columns
// of different lengths, a response that is not 0 or 1) and returns an error
// when the data defeat the fit (ErrSingular, ErrNoConvergence).
//
// Functions are pure and safe for concurrent use.
package logistic
