package rpscore

import "errors"

// Errors for markings that cannot be scored; the returned errors wrap them.
var (
	// ErrMissingMark: a criterion of the rubric has no mark.
	ErrMissingMark = errors.New("roleplay scoring: criterion not marked")
	// ErrUnknownCriterion: a mark names a criterion the rubric lacks.
	ErrUnknownCriterion = errors.New("roleplay scoring: unknown criterion")
	// ErrOutOfRange: a mark lies outside its criterion's scale.
	ErrOutOfRange = errors.New("roleplay scoring: mark outside the scale")
	// ErrMismatch: markings of different candidates or stations were
	// compared, or the same assessor marked twice.
	ErrMismatch = errors.New("roleplay scoring: markings do not match")
	// ErrUnresolved: a flagged station needs the lead's or a third
	// marker's marking, which was not given.
	ErrUnresolved = errors.New("roleplay scoring: discrepancy not yet resolved")
)
