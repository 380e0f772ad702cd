package fairness

import "errors"

// Errors for groups or data on which an analysis is undefined.
var (
	ErrNoReference   = errors.New("fairness: no person in the reference group")
	ErrNoFocal       = errors.New("fairness: no person in the focal group")
	ErrSameGroup     = errors.New("fairness: reference and focal groups are the same")
	ErrNoConvergence = errors.New("fairness: logistic regression did not converge")
	ErrSingular      = errors.New("fairness: logistic regression information matrix is singular")
	ErrTooFewGroups  = errors.New("fairness: fewer than two groups with persons")
	ErrUnknownGroup  = errors.New("fairness: no person in the comparison group")
)
