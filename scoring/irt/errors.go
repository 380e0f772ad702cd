package irt

import "errors"

var (
	// ErrTooFewItems: fewer than two items remain after excluding items
	// that everyone answered right, or everyone wrong.
	ErrTooFewItems = errors.New("irt: fewer than two estimable items")
	// ErrNoPersons: no person answered any item.
	ErrNoPersons = errors.New("irt: no person with a response")
	// ErrNoConvergence: EM reached its iteration limit.
	ErrNoConvergence = errors.New("irt: EM did not converge")
)
