package located

import (
	"errors"
	"testing"
)

func TestError(t *testing.T) {
	cause := errors.New("bad cell")
	for _, tc := range []struct {
		name string
		err  Error
		want string
	}{
		{"lines", Error{File: "a.csv", Line: 3, Column: "b", Err: cause}, `a.csv: line 3, column "b": bad cell`},
		{"lines no line", Error{File: "a.csv", Column: "b", Err: cause}, `a.csv, column "b": bad cell`},
		{"lines whole file", Error{File: "a.csv", Err: cause}, `a.csv: bad cell`},
		{"rows", Error{File: "p.csv", Line: 3, Column: "i1", Err: cause, Format: Rows}, `p.csv, row 3, column "i1": bad cell`},
		{"rows unnamed", Error{Err: cause, Format: Rows}, `input: bad cell`},
		{"plain", Error{File: "r.csv", Line: 2, Column: "score", Err: cause, Format: Plain}, `r.csv: line 2, column score: bad cell`},
		{"plain line 0", Error{File: "r.csv", Err: cause, Format: Plain}, `r.csv: line 0: bad cell`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if !errors.Is(&tc.err, cause) {
				t.Error("errors.Is does not find the cause")
			}
		})
	}
}

func TestErrorKind(t *testing.T) {
	kind, cause := errors.New("bad file"), errors.New("bad cell")
	if err := (&Error{Err: cause}); errors.Is(err, kind) {
		t.Error("an Error without a Kind matches a sentinel it does not wrap")
	}
	if err := (&Error{Err: cause, Kind: kind}); !errors.Is(err, kind) || !errors.Is(err, cause) {
		t.Error("errors.Is misses the Kind or the cause")
	}
}
