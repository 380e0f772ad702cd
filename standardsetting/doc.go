// Package standardsetting sets pass marks from expert panels' judgements and
// turns them into pass/fail decisions. There is never a grade, rank or
// percentile: an element is passed or failed, a standard is met, partially
// met or not met.
//
// The methods each return a cut on the raw and percent scales with its
// standard error and diagnostics: modified Angoff (probabilities and
// yes/no) with a judges x items G study, Ebel, Nedelsky, Hofstee, Beuk,
// Cohen's method, Bookmark on a Rasch ordered item booklet, borderline
// group, borderline regression and contrasting groups. Two or more panels
// are reconciled by inverse-variance weighting (the default), a simple
// mean or DerSimonian-Laird random effects; their agreement is tested by a
// z test and Cochran's Q. The reconciled cut is moved by k standard errors
// of measurement and rounded to the score scale (ceiling by default) to give
// the operational cut, whose impact is the pass rate overall and by group.
// Decide applies operational cuts to candidates' element scores under
// conjunctive, compensatory or N-of-M rules.
//
// Readers (ReadRatings, ReadCandidates, ReadOSCE ...) parse the documented
// CSV files and return *InputError values naming the file, row and column
// of bad data; docs/standard-setting.md gives the formats. Numeric functions
// panic on programmer errors (too few rows for a statistic the reader
// guarantees) and return errors for data failures.
//
// Everything here is a pure function of its inputs and safe for concurrent
// use; nothing reads the clock or the file system.
package standardsetting
