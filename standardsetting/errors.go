package standardsetting

import (
	"errors"
	"fmt"

	"github.com/accredit/accredit/internal/located"
)

// Sentinel errors. Data failures wrap one of these, usually inside an
// *InputError that names the file, row and column.
var (
	// ErrFormat: a file is not the CSV layout the method reads (missing
	// column, wrong number of fields, unparsable number).
	ErrFormat = errors.New("malformed input")
	// ErrRange: a value lies outside its permitted range (a rating outside
	// [0,1], a page beyond the booklet, a negative count).
	ErrRange = errors.New("value out of range")
	// ErrMissing: a required value is empty or NA (a judge with a missing item).
	ErrMissing = errors.New("missing value")
	// ErrDuplicate: the same judge, item or candidate appears twice.
	ErrDuplicate = errors.New("duplicate entry")
	// ErrMismatch: files or rounds that must agree do not (rounds with
	// different item lists, panels rating different items).
	ErrMismatch = errors.New("inputs do not match")
	// ErrTooFew: too few judges, items, candidates or distinct values for the
	// statistic (a standard error needs two judges).
	ErrTooFew = errors.New("too few observations")
	// ErrNoBorderline: a station has no candidate graded borderline.
	ErrNoBorderline = errors.New("no borderline candidates")
	// ErrDegenerate: the data make the statistic undefined (zero variance,
	// a panel SE of zero under inverse-variance weighting).
	ErrDegenerate = errors.New("degenerate data")
	// ErrSeparation: logistic regression does not converge because the
	// groups are perfectly separated by the score.
	ErrSeparation = errors.New("groups perfectly separated")
	// ErrConfig: a decision rule or option is inconsistent.
	ErrConfig = errors.New("invalid configuration")
)

// InputError locates a data failure: the file, its 1-based line (0 when the
// failure is not tied to a line) and the column or field. Its message names
// the line as a row: `panelA.csv, row 3, column "i1": ...`.
type InputError = located.Error

// inputErr builds an *InputError whose message wraps sentinel with detail.
func inputErr(file string, row int, col string, sentinel error, format string, args ...any) error {
	return inputAt(file, row, col, fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...)))
}

// inputAt places err at row and col of file.
func inputAt(file string, row int, col string, err error) *InputError {
	return &InputError{File: file, Line: row, Column: col, Err: err, Format: located.Rows}
}
