package jsonfile

import (
	"errors"
	"fmt"
	"testing"
)

var errTooMany = errors.New("test: too many errors")

func TestFieldErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    FieldError
		want string
	}{
		{"with path", FieldError{File: "a.json", Path: "items[0].key", Msg: "missing", Kind: errBad}, "a.json: items[0].key: missing"},
		{"whole file", FieldError{File: "a.json", Msg: "not a regular file", Kind: errBad}, "a.json: not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.e.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if !errors.Is(&tc.e, errBad) {
				t.Error("errors.Is does not find the kind")
			}
		})
	}
}

func TestErrorsCap(t *testing.T) {
	more := func(n int) error { return fmt.Errorf("%w: %d more not shown", errTooMany, n) }
	for _, tc := range []struct {
		name  string
		added int
		want  string
	}{
		{"none", 0, ""},
		{"under the cap", 2, "f0: p: m0\nf1: p: m1"},
		{"at the cap", 3, "f0: p: m0\nf1: p: m1\nf2: p: m2"},
		{"over the cap", 7, "f0: p: m0\nf1: p: m1\nf2: p: m2\ntest: too many errors: 4 more not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewErrors(3, more)
			for i := range tc.added {
				l.Add(errBad, fmt.Sprintf("f%d", i), "p", "m%d", i)
			}
			if l.Empty() != (tc.added == 0) {
				t.Errorf("Empty() = %v after %d added", l.Empty(), tc.added)
			}
			err := l.Err()
			if tc.added == 0 {
				if err != nil {
					t.Errorf("Err() = %v, want nil", err)
				}
				return
			}
			if err.Error() != tc.want {
				t.Errorf("Err() = %q, want %q", err, tc.want)
			}
			if !errors.Is(err, errBad) || errors.Is(err, errTooMany) != (tc.added > 3) {
				t.Errorf("errors.Is: kind %v, too many %v", errors.Is(err, errBad), errors.Is(err, errTooMany))
			}
			// Err leaves the list as it was: asking twice gives the same.
			if again := l.Err(); again.Error() != err.Error() {
				t.Errorf("second Err() = %q, want %q", again, err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	kind := errors.New("bad")
	more := func(n int) error { return fmt.Errorf("%d more", n) }
	for _, tc := range []struct {
		name      string
		readFails bool
		want      string
		checked   int
	}{
		{"clean", false, "", 2},
		{"malformed file", true, "a.json: malformed", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewErrors(5, more)
			checked := 0
			read := func() {
				if tc.readFails {
					l.Add(kind, "a.json", "", "malformed")
				}
			}
			check := func() { checked++ }
			err := l.Check(read, check, check)
			if checked != tc.checked {
				t.Errorf("%d checks ran, want %d", checked, tc.checked)
			}
			if (err == nil) != (tc.want == "") || (err != nil && err.Error() != tc.want) {
				t.Errorf("Check() = %v, want %q", err, tc.want)
			}
		})
	}
}
