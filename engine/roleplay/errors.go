package roleplay

import (
	"errors"
	"fmt"

	"github.com/accredit/accredit/internal/jsonfile"
)

// Errors of this package. Load wraps the first four in *FieldError values;
// the marking sheet returns the others, wrapped with detail. Test them with
// errors.Is.
var (
	// ErrSyntax: a file is not valid JSON or does not match the schema.
	ErrSyntax = errors.New("roleplay: malformed file")
	// ErrInvalid: a field is missing or holds a value the rules refuse.
	ErrInvalid = errors.New("roleplay: invalid value")
	// ErrDuplicate: an id or code is used more than once.
	ErrDuplicate = errors.New("roleplay: duplicate")
	// ErrReference: a reference names something that does not exist or
	// cannot be used there.
	ErrReference = errors.New("roleplay: bad reference")

	// ErrMarkOutOfScale: a mark is not a point of the criterion's scale, or
	// a judgement not a point of the judgement scale.
	ErrMarkOutOfScale = errors.New("roleplay: mark outside the scale")
	// ErrUnknownCriterion: the criterion is not in the station's rubric.
	ErrUnknownCriterion = errors.New("roleplay: unknown criterion")
	// ErrNotAtStation: the candidate is not scheduled at the station, or
	// the assessor does not mark it.
	ErrNotAtStation = errors.New("roleplay: candidate not at this assessor's station")
	// ErrAlreadySubmitted: a second submit of the same sheet.
	ErrAlreadySubmitted = errors.New("roleplay: sheet already submitted")
	// ErrLocked: a change to a submitted sheet that is not a moderation.
	ErrLocked = errors.New("roleplay: sheet is submitted; changes need a moderation action")
	// ErrNotSubmitted: a moderation of a sheet not yet submitted.
	ErrNotSubmitted = errors.New("roleplay: sheet not submitted")
	// ErrIncompleteSheet: a submit with a criterion or the global judgement
	// unmarked.
	ErrIncompleteSheet = errors.New("roleplay: sheet incomplete")
	// ErrNoReason: a moderation action without a reason.
	ErrNoReason = errors.New("roleplay: moderation needs a reason")
	// ErrNotPermitted: the author may not make this change (marking someone
	// else's sheet, moderating without being the lead assessor).
	ErrNotPermitted = errors.New("roleplay: not permitted")
	// ErrSequence: a sequence number of 0, or one reused for a different
	// change.
	ErrSequence = errors.New("roleplay: bad sequence number")
	// ErrBadChange: a change of unknown kind, or a note too long.
	ErrBadChange = errors.New("roleplay: bad change")
)

// FieldError is one problem at one place in a model file. File is the path
// within the tree ("rubrics/home-visit.json"), Path the field path
// ("domains[0].criteria[2].points", empty for the whole file), Msg what is
// wrong and Kind one of ErrSyntax, ErrInvalid, ErrDuplicate or ErrReference.
// Error returns "file: path: message"; Unwrap returns the kind, so
// errors.Is(err, ErrReference) works.
type FieldError = jsonfile.FieldError

// maxErrors bounds how many problems Load reports.
const maxErrors = 25

// newErrors returns the list that collects the errors of one Load.
func newErrors() *jsonfile.Errors {
	return jsonfile.NewErrors(maxErrors, func(n int) error {
		return fmt.Errorf("%d more problems not shown", n)
	})
}
