// Package fairness measures whether a test treats groups of candidates
// alike: differential item functioning (DIF) by the Mantel-Haenszel
// procedure and by logistic regression, and adverse impact of pass/fail
// decisions (pass rates, impact ratios, the four-fifths rule, a
// two-proportion z test and Fisher's exact test).
//
// Groups come from a column of labels (Matrix.Groups); Membership turns the
// labels into reference (0), focal (1) or neither (-1).
//
// # Matching and exclusions
//
// DIF matches persons on their total score: the number of items answered
// correctly, the studied item included (Holland and Thayer 1988), over the
// items each person was presented. A person not in the reference or focal
// group, or not presented with the studied item, is left out of that item's
// analysis. An item whose Mantel-Haenszel statistics are undefined (no
// stratum holding both groups with variation, e.g. an item everyone got
// right) is listed in Report.Excluded with the reason rather than given NaN.
// A logistic fit that does not converge leaves the item's Logistic nil and
// sets LogisticError.
//
// Functions are pure and safe for concurrent use.
package fairness
