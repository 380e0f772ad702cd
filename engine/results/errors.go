package results

import (
	"errors"
	"fmt"

	"github.com/accredit/accredit/internal/refusal"
)

// Errors. A rule that refuses a change returns a *RefusedError, which
// wraps ErrRefused and lists every reason; missing evidence is a
// *MissingError, which wraps ErrMissing.
var (
	// ErrRefused is wrapped by every *RefusedError: nothing was stored.
	ErrRefused = errors.New("results: refused")
	// ErrMissing is wrapped by every *MissingError: a piece of evidence
	// is not there, or does not count.
	ErrMissing = errors.New("results: evidence missing")
	// ErrEmbargoed is returned by Outcome before the person's window is
	// released, to anyone outside the programme team, and always to a
	// viewer with no right to the person's outcome: the caller shows
	// nothing.
	ErrEmbargoed = errors.New("results: no outcome to show")
	// ErrNotFound is returned for a person, status, window or appeal
	// that is not known.
	ErrNotFound = errors.New("results: not found")
	// ErrCorrupt is returned when a stored record cannot be decoded.
	ErrCorrupt = errors.New("results: corrupt record")
	// ErrBusy is returned when other nodes kept changing a stream faster
	// than this one could decide on it; nothing was stored.
	ErrBusy = errors.New("results: stream too busy, try again")
	// ErrInvalidConfig is returned by New and the Validate methods.
	ErrInvalidConfig = errors.New("results: invalid configuration")
)

// Code names a reason; pages may branch on it and show the message.
type Code string

// Reason codes.
const (
	CodeInvalid      Code = "invalid"         // a field is missing or malformed
	CodeNotPermitted Code = "not_permitted"   // the viewer's role may not do this
	CodeUnknown      Code = "unknown"         // a status, form or circuit the blueprint lacks
	CodeOutOfRange   Code = "out_of_range"    // a cut outside the score range
	CodeNeedsReason  Code = "needs_reason"    // a change after release without a reason
	CodeReleased     Code = "released"        // the window is released already
	CodeNoStandard   Code = "no_standard"     // no adopted cut for the person's form or circuit
	CodeAbsent       Code = "absent"          // never sat, or not booked
	CodeNotSubmitted Code = "not_submitted"   // the attempt is not submitted yet
	CodeVoided       Code = "voided"          // the attempt was voided or withdrawn
	CodeUnsettled    Code = "sheet_unsettled" // a role-play station has no settled score yet
	CodeNoResit      Code = "no_resit"        // the re-sit rules do not allow this booking
	CodeTooSoon      Code = "too_soon"        // inside the minimum interval
	CodeTooLate      Code = "too_late"        // outside the re-sit window
	CodeTooMany      Code = "too_many"        // the re-sit allowance is used up
	CodeSameForm     Code = "same_form"       // a re-sit must be on a different form
	CodeAppealOpen   Code = "appeal_open"     // an open appeal blocks re-sit booking
	CodeAppealWindow Code = "appeal_window"   // inside the appeals window
	CodeNotReleased  Code = "not_released"    // the outcome is not released yet
)

// Reason is one thing that blocks a change.
type Reason = refusal.Reason[Code]

func reason(c Code, format string, args ...any) Reason { return refusal.Make(c, format, args...) }

// RefusedError is a refusal with every reason that applies; it wraps
// ErrRefused.
type RefusedError = refusal.Error[Code]

// refuse returns a *RefusedError for op, or nil when reasons is empty.
func refuse(op string, reasons []Reason) error { return refusal.New(ErrRefused, op, reasons) }

// Reasons returns the reasons of a *RefusedError in err's chain, or nil.
func Reasons(err error) []Reason { return refusal.Reasons[Code](err) }

// MissingError says why a piece of evidence is missing: Code is
// CodeAbsent, CodeNotSubmitted, CodeVoided or CodeUnsettled; Stations
// lists the unsettled stations.
type MissingError struct {
	Element  Element  `json:"element"`
	Code     Code     `json:"code"`
	Message  string   `json:"message"`
	Stations []string `json:"stations,omitempty"`
}

func (e *MissingError) Error() string { return string(e.Element) + ": " + e.Message }

// Unwrap returns ErrMissing.
func (e *MissingError) Unwrap() error { return ErrMissing }

// Pending reports whether the evidence may yet arrive (an attempt not
// submitted, a sheet unsettled) rather than being missing for good.
func (e *MissingError) Pending() bool { return e.Code == CodeNotSubmitted || e.Code == CodeUnsettled }

// pending reports whether a decision missing c may yet be made: evidence
// to come, or a cut to adopt.
func pending(c Code) bool { return c == CodeNotSubmitted || c == CodeUnsettled || c == CodeNoStandard }

func missing(el Element, c Code, format string, args ...any) *MissingError {
	return &MissingError{Element: el, Code: c, Message: fmt.Sprintf(format, args...)}
}
