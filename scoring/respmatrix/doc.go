// Package respmatrix holds dichotomous response matrices (persons by items,
// cells 1, 0 or missing) and reads them from the CSV files that the engine
// exports and the psychometric analyses consume.
//
// File format (see docs/psychometrics.md): a header row of item ids, an
// optional first column "person", cells 1, 0, 9 (omitted: presented and left
// unanswered, scored 0 and remembered, see Matrix.IsOmitted) or empty
// (missing: the item was not presented to that person). Columns named in
// Options.GroupColumns are group labels, not items; JoinGroups adds group
// columns from a separate candidate file matched on person. ReadChoices reads
// raw multiple-choice option codes for distractor analysis, and Choices.Score
// scores them against a key read by ReadKey; in a choices file OmittedChoice
// marks an omission.
// CheckItems refuses item ids that a key or an item bank does not know.
//
// Every data failure is a *ParseError naming the file, line and column and
// wrapping one of the sentinel errors.
//
// A Matrix or Choices is immutable once built and safe for concurrent readers.
package respmatrix
