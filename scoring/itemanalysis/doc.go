// Package itemanalysis computes classical test theory statistics for a
// dichotomous response matrix: per item the facility, point-biserial and
// corrected item-total correlations, upper-lower 27% discrimination and alpha
// if the item is deleted; for the test Cronbach's alpha (KR-20), KR-21, the
// standard error of measurement and Lord's conditional SEM; for raw
// multiple-choice responses a distractor analysis; and flags for items to
// review.
//
// # Exclusions
//
// An item that every person presented with it answered the same way (all
// right or all wrong), or that nobody was presented, has no variance and
// carries no information about differences between persons: it is left out
// of every statistic and listed in Report.ExcludedItems with the reason.
// A person with no response to any remaining item is left out and listed in
// Report.ExcludedPersons. Fewer than two remaining items or persons, or a
// total score with no variance, is an error.
//
// # Missing cells
//
// A missing cell (item not presented) counts nothing towards the person's
// total, the number of items answered correctly. Item statistics (facility,
// correlations, D) use the persons presented with the item; item variances in
// alpha use those persons too, while the total-score variance uses every
// analysed person. With complete data these are the textbook formulas; with
// many missing cells alpha is an approximation, and Report.MissingCells says
// how many there were. A correlation that is undefined (a constant score
// among the persons presented with the item) is nil, encoded as JSON null.
//
// Functions are pure and safe for concurrent use.
package itemanalysis
