package content

import (
	"errors"
	"fmt"
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

// FieldError is one problem at one place in a content file.
type FieldError struct {
	File string // path within the content tree, e.g. "items/bank1.json"
	Path string // field path within the file, e.g. "items[3].key[0]"; empty for the whole file
	Msg  string // what is wrong
	Kind error  // ErrSyntax, ErrInvalid, ErrDuplicate, ErrReference or ErrTooMany
}

// Error returns "file: path: message".
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// Unwrap returns the kind of error, so errors.Is(err, ErrDuplicate) works.
func (e *FieldError) Unwrap() error { return e.Kind }

// errorList collects errors up to maxErrors and counts the rest.
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

func (l *errorList) empty() bool { return len(l.errs) == 0 }

// err joins the collected errors, or returns nil when there are none.
func (l *errorList) err() error {
	errs := l.errs
	if l.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("%w: %d more not shown", ErrTooMany, l.dropped))
	}
	return errors.Join(errs...)
}
