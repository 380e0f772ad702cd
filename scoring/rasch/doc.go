// Package rasch calibrates the dichotomous Rasch model by conditional maximum
// likelihood (CML) and derives what a psychometrician reads from it: sum-zero
// item difficulties with standard errors, the conditional log-likelihood,
// person abilities (maximum likelihood and Warm's weighted likelihood) with
// standard errors, a raw-score-to-ability table, infit and outfit mean
// squares, and Andersen's likelihood-ratio test.
//
// CML needs the data only through sufficient statistics: for each pattern of
// presented items (missing cells are items not presented), the number of
// persons at each raw score and their item totals. Summarise makes one pass
// over a respmatrix.Matrix to build them; everything else (Newton-Raphson on
// the conditional likelihood, fit statistics, the LR test's median split,
// observed proportions for charts) works on those tables, so a calibration of
// 100 items on 50,000 persons costs one pass over the cells plus a few
// milliseconds.
//
// Usage:
//
//	res, err := rasch.Analyse(m, rasch.Options{})
//	for i, it := range res.Items { fmt.Println(it.ID, it.Difficulty, it.SE) }
//
// References: Fischer, G. H. (1974) Einführung in die Theorie psychologischer
// Tests; Andersen, E. B. (1973) A goodness of fit test for the Rasch model,
// Psychometrika 38; Warm, T. A. (1989) Weighted likelihood estimation of
// ability in item response theory, Psychometrika 54; Wright, B. D. and
// Masters, G. N. (1982) Rating Scale Analysis; Mair, P. and Hatzinger, R.
// (2007) Extended Rasch modeling: the eRm package, J. Stat. Software 20(9),
// whose conventions (sum-zero difficulties, median split) this package follows.
//
// All functions are safe for concurrent use; results are plain values.
package rasch
