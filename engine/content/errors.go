package content

import (
	"errors"
	"fmt"

	"github.com/accredit/accredit/internal/jsonfile"
)

// Kinds of content error; a *FieldError wraps one of them.
var (
	// ErrSyntax: a file is not valid JSON or does not match the schema
	// (wrong type, unknown or repeated field).
	ErrSyntax = errors.New("content: malformed file")
	// ErrInvalid: a field is missing or holds a value the rules refuse.
	ErrInvalid = errors.New("content: invalid value")
	// ErrDuplicate: an id or code is used more than once.
	ErrDuplicate = errors.New("content: duplicate")
	// ErrReference: a reference names something that does not exist or
	// cannot be used there (a draft item on a live form).
	ErrReference = errors.New("content: bad reference")
	// ErrTooMany: more errors were found than Load reports.
	ErrTooMany = errors.New("content: too many errors")
)

// maxErrors is how many errors Load reports before giving up; a tree with
// more problems than this is usually wrong in one systematic way.
const maxErrors = 25

// FieldError is one problem at one place in a content file. File is the
// path within the content tree ("items/bank1.json"), Path the field path
// within the file ("items[3].key[0]", empty for the whole file), Msg what is
// wrong and Kind one of ErrSyntax, ErrInvalid, ErrDuplicate or ErrReference.
// Error returns "file: path: message"; Unwrap returns the kind, so
// errors.Is(err, ErrDuplicate) works.
type FieldError = jsonfile.FieldError

// newErrors returns the list that collects the errors of one Load, up to
// maxErrors.
func newErrors() *jsonfile.Errors {
	return jsonfile.NewErrors(maxErrors, func(n int) error {
		return fmt.Errorf("%w: %d more not shown", ErrTooMany, n)
	})
}
