package respmatrix

import (
	"errors"
	"fmt"
)

// Sentinel errors; the errors returned by the readers wrap one of them in a
// *ParseError that names the file, line and column.
var (
	ErrEmpty           = errors.New("no header row")
	ErrHeader          = errors.New("bad header")
	ErrDuplicateColumn = errors.New("duplicate column")
	ErrNoItems         = errors.New("no item columns")
	ErrGroupColumn     = errors.New("group column not in header")
	ErrRagged          = errors.New("wrong number of fields")
	ErrCell            = errors.New("cell is not 1, 0, 9 or empty")
	ErrDuplicatePerson = errors.New("duplicate person")
	ErrNoPersonColumn  = errors.New("no person column")
	ErrUnknownPerson   = errors.New("person not in candidate file")
	ErrKey             = errors.New("bad key")
	ErrUnknownItem     = errors.New("unknown item")
	ErrSyntax          = errors.New("CSV syntax")
)

// ParseError locates a data failure in an input file.
type ParseError struct {
	File   string // file name as given to the reader
	Line   int    // 1-based line of the file; 0 when the whole file is at fault
	Column string // header name of the column; "" when no single column is at fault
	Err    error  // one of the sentinel errors, possibly wrapped with detail
}

func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(": line %d", e.Line)
	}
	if e.Column != "" {
		s += fmt.Sprintf(", column %q", e.Column)
	}
	return s + ": " + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

func parseErr(file string, line int, col string, err error, detail string, args ...any) *ParseError {
	if detail != "" {
		err = fmt.Errorf("%w: "+detail, append([]any{err}, args...)...)
	}
	return &ParseError{File: file, Line: line, Column: col, Err: err}
}
