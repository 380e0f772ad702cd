package respmatrix

import (
	"errors"
	"fmt"

	"github.com/accredit/accredit/internal/located"
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

// ParseError locates a data failure in an input file: the file name as
// given to the reader, the 1-based line (0 when the whole file is at fault),
// the header name of the column ("" when no single column is at fault) and
// one of the sentinel errors, possibly wrapped with detail.
type ParseError = located.Error

func parseErr(file string, line int, col string, err error, detail string, args ...any) *ParseError {
	if detail != "" {
		err = fmt.Errorf("%w: "+detail, append([]any{err}, args...)...)
	}
	return &ParseError{File: file, Line: line, Column: col, Err: err}
}
