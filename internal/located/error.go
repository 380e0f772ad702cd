package located

import (
	"cmp"
	"fmt"
)

// Format is how an Error writes its place before the cause.
type Format int

const (
	// Lines writes `file: line 3, column "c": cause`, leaving out the line
	// when Line is 0 and the column when Column is "".
	Lines Format = iota
	// Rows writes `file, row 3, column "c": cause`, leaving out what Lines
	// leaves out, and "input" for an unnamed file.
	Rows
	// Plain writes `file: line 3, column c: cause`: the line always, the
	// column unquoted.
	Plain
)

// Error is a data failure at one place in an input file.
type Error struct {
	File   string // file name as given to the reader
	Line   int    // 1-based line of the file; 0 when no single line is at fault
	Column string // name or number of the column; "" when no single column is at fault
	Err    error  // the cause, usually wrapping a sentinel error
	// Kind, when set, is a sentinel that errors.Is finds whatever the cause.
	Kind   error
	Format Format
}

// Error returns the place, then ": " and the cause.
func (e *Error) Error() string {
	loc, line, col := e.File, fmt.Sprintf(": line %d", e.Line), fmt.Sprintf(", column %q", e.Column)
	switch e.Format {
	case Rows:
		loc, line = cmp.Or(loc, "input"), fmt.Sprintf(", row %d", e.Line)
	case Plain:
		col = ", column " + e.Column
	}
	if e.Line > 0 || e.Format == Plain {
		loc += line
	}
	if e.Column != "" {
		loc += col
	}
	return loc + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the Error's Kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }
