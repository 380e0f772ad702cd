// Package refusal is the shape of a refused change shared by the
// programme's and the results' rules: every reason at once, each with a
// code the pages may branch on and a message they show.
package refusal

import (
	"errors"
	"fmt"
	"strings"
)

// Reason is one thing that blocks a change.
type Reason[C ~string] struct {
	Code    C      `json:"code"`
	Message string `json:"message"`
}

// Make returns the reason c with a formatted message.
func Make[C ~string](c C, format string, args ...any) Reason[C] {
	return Reason[C]{Code: c, Message: fmt.Sprintf(format, args...)}
}

// Error is a refusal with every reason that applies. It unwraps to the
// package's sentinel, so errors.Is(err, pkg.ErrRefused) holds.
type Error[C ~string] struct {
	Op       string      // what was refused: "book", "adopt"
	Reasons  []Reason[C] // never empty
	Sentinel error       // what Unwrap returns
}

func (e *Error[C]) Error() string {
	msgs := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		msgs[i] = r.Message
	}
	return e.Op + " refused: " + strings.Join(msgs, "; ")
}

// Unwrap returns the package's sentinel error.
func (e *Error[C]) Unwrap() error { return e.Sentinel }

// Has reports whether one of the reasons has code c.
func (e *Error[C]) Has(c C) bool {
	for _, r := range e.Reasons {
		if r.Code == c {
			return true
		}
	}
	return false
}

// New returns an *Error for op wrapping sentinel, or nil when reasons is
// empty.
func New[C ~string](sentinel error, op string, reasons []Reason[C]) error {
	if len(reasons) == 0 {
		return nil
	}
	return &Error[C]{Op: op, Reasons: reasons, Sentinel: sentinel}
}

// Reasons returns the reasons of an *Error in err's chain, or nil.
func Reasons[C ~string](err error) []Reason[C] {
	var re *Error[C]
	if errors.As(err, &re) {
		return re.Reasons
	}
	return nil
}
