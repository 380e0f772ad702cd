package itemanalysis

import "errors"

// Errors for data on which the analysis is undefined.
var (
	ErrTooFewItems   = errors.New("itemanalysis: fewer than two items with variance")
	ErrTooFewPersons = errors.New("itemanalysis: fewer than two persons with responses")
	ErrNoVariance    = errors.New("itemanalysis: total scores have no variance")
)
