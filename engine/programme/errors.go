package programme

import (
	"errors"
	"fmt"
	"strings"

	"github.com/accredit/accredit/internal/refusal"
)

// Errors. A rule that refuses a change returns a *RefusedError, which
// wraps ErrRefused and lists every reason; a CSV import that fails returns
// an *ImportError, which wraps ErrImport and locates every fault.
var (
	// ErrRefused is wrapped by every *RefusedError: the change breaks a
	// rule and nothing was stored.
	ErrRefused = errors.New("programme: refused")
	// ErrNotFound is returned for an unknown employer, person, staff
	// member, sitting, role-play day or booking.
	ErrNotFound = errors.New("programme: not found")
	// ErrImport is wrapped by every *ImportError: nothing was imported.
	ErrImport = errors.New("programme: import refused")
	// ErrCorrupt is returned when a stored record cannot be decoded.
	ErrCorrupt = errors.New("programme: corrupt record")
	// ErrBusy is returned when other writers kept changing a stream
	// faster than this node could decide on it; nothing was stored and
	// the request may be repeated.
	ErrBusy = errors.New("programme: stream too busy, try again")
	// ErrInvalidConfig is returned by New and Config.Validate.
	ErrInvalidConfig = errors.New("programme: invalid configuration")
)

// Code names a reason for a refusal; pages and the API show the Message
// and may branch on the Code.
type Code string

// Reason codes.
const (
	CodeInvalid         Code = "invalid"          // a field is missing or malformed
	CodeExists          Code = "exists"           // the id or registration number is taken
	CodeUnknownEmployer Code = "unknown_employer" // no such employer
	CodeUnknownPerson   Code = "unknown_person"   // no such person
	CodeNotSupervisor   Code = "not_supervisor"   // the actor is not a supervisor of the person's employer
	CodeNotPermitted    Code = "not_permitted"    // the actor's role may not do this
	CodeTenure          Code = "agency_tenure"    // an agency worker has not been with the employer long enough
	CodeFeedback        Code = "service_user_feedback"
	CodeNoEndorsement   Code = "no_endorsement" // no endorsement for the status
	CodeNotReady        Code = "not_ready"      // the latest endorsement says not yet
	CodeWithdrawn       Code = "withdrawn"      // the endorsement was withdrawn
	CodeExpired         Code = "expired"        // the endorsement has expired, or will before the sitting
	CodeWrongStatus     Code = "wrong_status"   // the assessment is not for the status the person seeks
	CodeUnavailable     Code = "assessment_unavailable"
	CodeFull            Code = "full"           // no place left
	CodeAlreadyBooked   Code = "already_booked" // a live booking of the same kind exists
	CodeInProgress      Code = "booking_in_progress"
	CodeAdjustment      Code = "adjustment" // an adjustment outside its bounds
	CodeStarted         Code = "started"    // the sitting has started or passed
	CodeTooLate         Code = "too_late"   // inside the configured no-change period
	CodeNotLive         Code = "not_live"   // the booking or endorsement is no longer live
	CodeSat             Code = "sat"        // the candidate has sat
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

// Fault is one located error in an imported file: in a CSV file at a
// line and column, in a JSON content file at a record and field (Line 0).
type Fault struct {
	File    string `json:"file"`
	Line    int    `json:"line"`   // 1-based; the header is line 1; 0 in a JSON file
	Column  string `json:"column"` // the header name, or in a JSON file the record and field; "" for the whole line or file
	Message string `json:"message"`
}

func (f Fault) String() string {
	switch {
	case f.Line == 0 && f.Column == "":
		return fmt.Sprintf("%s: %s", f.File, f.Message)
	case f.Line == 0:
		return fmt.Sprintf("%s: %s: %s", f.File, f.Column, f.Message)
	case f.Column == "":
		return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Column, f.Message)
}

// ImportError lists every fault of a refused import.
type ImportError struct {
	Faults []Fault
}

// maxShownFaults bounds how many faults Error spells out.
const maxShownFaults = 10

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "import refused, %d error(s):", len(e.Faults))
	for i, f := range e.Faults {
		if i == maxShownFaults {
			fmt.Fprintf(&b, " and %d more", len(e.Faults)-i)
			break
		}
		b.WriteString(" " + f.String() + ";")
	}
	return b.String()
}

// Unwrap returns ErrImport.
func (e *ImportError) Unwrap() error { return ErrImport }
