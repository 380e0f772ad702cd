package roleplay

import (
	"errors"
	"fmt"
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

// FieldError is one problem at one place in a model file.
type FieldError struct {
	File string // path within the tree, e.g. "rubrics/home-visit.json"
	Path string // field path, e.g. "domains[0].criteria[2].points"; empty for the whole file
	Msg  string
	Kind error // ErrSyntax, ErrInvalid, ErrDuplicate or ErrReference
}

// Error returns "file: path: message".
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// Unwrap returns the kind, so errors.Is(err, ErrReference) works.
func (e *FieldError) Unwrap() error { return e.Kind }

// maxErrors bounds how many problems Load reports.
const maxErrors = 25

type errorList struct {
	errs    []error
	dropped int
}

func (l *errorList) add(kind error, file, path, format string, args ...any) {
	if len(l.errs) >= maxErrors {
		l.dropped++
		return
	}
	l.errs = append(l.errs, &FieldError{File: file, Path: path, Msg: fmt.Sprintf(format, args...), Kind: kind})
}

func (l *errorList) err() error {
	errs := l.errs
	if l.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("%d more problems not shown", l.dropped))
	}
	return errors.Join(errs...)
}
