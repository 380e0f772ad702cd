package rasch

import "errors"

var (
	// ErrTooFewItems: fewer than two items remain after excluding items
	// that every informative person answered right, or every one wrong.
	ErrTooFewItems = errors.New("rasch: fewer than two estimable items")
	// ErrNoInformativePersons: no person has a raw score strictly between
	// zero and the number of items presented.
	ErrNoInformativePersons = errors.New("rasch: no person with a non-extreme raw score")
	// ErrNotConnected: the design of presented items does not link all
	// items, so their difficulties are not on one scale.
	ErrNotConnected = errors.New("rasch: item design not connected (singular information matrix)")
	// ErrNoConvergence: Newton-Raphson did not reach the tolerance.
	ErrNoConvergence = errors.New("rasch: no convergence")
	// ErrOverflow: the elementary symmetric functions overflowed float64
	// (very many items with a very wide spread of difficulties).
	ErrOverflow = errors.New("rasch: elementary symmetric functions overflow")
)
