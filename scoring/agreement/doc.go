// Package agreement measures how far raters agree: Cohen's kappa, unweighted
// and weighted, with the large-sample variances of Fleiss, Cohen and Everitt
// (1969); Fleiss' (1971) kappa for many raters; the six intraclass
// correlations of Shrout and Fleiss (1979) with their F tests and confidence
// intervals; and each rater's severity, the mean deviation of the rater's
// scores from the mean score of the targets the rater scored.
//
// The conventions follow the R package psych (Revelle), whose cohen.kappa and
// ICC functions produced the reference values the tests check: kappa weights
// are agreement weights 1 - |i-j|^e/(k-1)^e over the categories observed, in
// increasing order; confidence bounds are normal-theory and clipped to [-1, 1].
//
// Typical use reads a long file of ratings and runs every analysis:
//
//	ratings, err := agreement.ReadCSV(f, "ratings.csv")
//	report, err := agreement.Analyse(ratings, 0.05)
//
// Every function is pure and safe for concurrent use.
package agreement
