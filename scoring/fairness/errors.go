package fairness

import (
	"errors"

	"github.com/accredit/accredit/scoring/logistic"
)

// Errors for groups or data on which an analysis is undefined.
var (
	ErrNoReference = errors.New("fairness: no person in the reference group")
	ErrNoFocal     = errors.New("fairness: no person in the focal group")
	ErrSameGroup   = errors.New("fairness: reference and focal groups are the same")
	// ErrNoConvergence and ErrSingular are the logistic fit's errors; a
	// failed fit's error reads "fairness: " and theirs.
	ErrNoConvergence = logistic.ErrNoConvergence
	ErrSingular      = logistic.ErrSingular
	ErrTooFewGroups  = errors.New("fairness: fewer than two groups with persons")
	ErrUnknownGroup  = errors.New("fairness: no person in the comparison group")
)
