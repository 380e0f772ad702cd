package agreement

import "errors"

// Errors returned for data the statistics cannot use. Callers test them with
// errors.Is; the returned errors wrap them with the detail.
var (
	// ErrTooFew: fewer targets, raters or ratings than the statistic needs.
	ErrTooFew = errors.New("agreement: too few observations")
	// ErrNoVariance: the data leave the statistic undefined (all ratings in
	// one category, or identical scores everywhere).
	ErrNoVariance = errors.New("agreement: no variance")
	// ErrIncomplete: a target was not scored by every rater, or was scored
	// twice by the same rater, so the two-way design is not fully crossed.
	ErrIncomplete = errors.New("agreement: incomplete design")
	// ErrUnequalRaters: targets were rated by different numbers of raters.
	ErrUnequalRaters = errors.New("agreement: unequal number of ratings per target")
	// ErrBadCSV: the ratings file cannot be read; see the wrapped *CSVError.
	ErrBadCSV = errors.New("agreement: bad ratings file")
)
