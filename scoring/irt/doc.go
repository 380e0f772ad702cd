// Package irt fits item response models by marginal maximum likelihood:
// the two-parameter logistic model (2PL) and the one-parameter model with a
// common slope (1PL), by the Bock-Aitkin (1981) EM algorithm with
// Gauss-Hermite quadrature over a standard normal ability distribution.
// It also holds the shared helpers: GaussHermite nodes and weights, and the
// item and test information functions used by the charts.
//
// The model is P(x_i = 1 | θ) = 1 / (1 + exp(−a_i(θ − b_i))), θ ~ N(0, 1),
// without the 1.7 scaling constant. Responses are a respmatrix.Matrix;
// missing cells (items not presented) are skipped in each person's
// likelihood. Persons are grouped by response pattern, so the cost of an
// E-step is patterns × items × nodes.
//
// References: Bock, R. D. and Aitkin, M. (1981) Marginal maximum likelihood
// estimation of item parameters: application of an EM algorithm,
// Psychometrika 46; Golub, G. H. and Welsch, J. H. (1969) Calculation of
// Gauss quadrature rules, Math. Comp. 23; Louis, T. A. (1982) Finding the
// observed information matrix when using the EM algorithm, JRSS B 44.
//
// Functions are safe for concurrent use.
package irt
