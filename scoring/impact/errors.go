package impact

import (
	"errors"
	"fmt"
)

// Errors for input that cannot be analysed. A bad row is reported as a
// *RowError wrapping one of them.
var (
	ErrNoRows        = errors.New("impact: no decisions")
	ErrEmpty         = errors.New("is empty")
	ErrPhase         = errors.New("is not a rollout phase (pilot, phase1, phase2, national)")
	ErrStatus        = errors.New("is not a status (practitioner, supervisor, leader)")
	ErrOutcome       = errors.New("is not an outcome (met, partially_met, not_met)")
	ErrDuplicate     = errors.New("decides the same person twice in one cohort")
	ErrUnknownWindow = errors.New("is not one of Options.Windows")
	ErrMinCount      = errors.New("impact: MinCount must be at least 1")
	ErrWindows       = errors.New("impact: Options.Windows lists a window twice or an empty one")
)

// RowError names the row (0-based index into the input) and the field that
// made it unusable.
type RowError struct {
	Row   int
	Field string
	Value string
	Err   error
}

func (e *RowError) Error() string {
	return fmt.Sprintf("impact: row %d: %s %q %v", e.Row, e.Field, e.Value, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }
