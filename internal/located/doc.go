// Package located provides Error, a data failure placed in an input file by
// its line and column, for the readers of CSV and other line-based files.
//
// A reader returns a *Error whose Err wraps one of its sentinel errors, so
// callers test the kind with errors.Is and the place with errors.As:
//
//	return &located.Error{File: name, Line: 3, Column: "score", Err: fmt.Errorf("%w: %q", ErrCell, raw)}
//
// Format chooses how the place is written; each reader keeps to one. An
// Error is immutable once returned and safe to share.
package located
