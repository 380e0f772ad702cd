package jsonfile

import (
	"errors"
	"fmt"
)

// FieldError is one problem at one place in a file of a tree.
type FieldError struct {
	File string // path within the tree, e.g. "items/bank1.json"
	Path string // field path within the file, e.g. "items[3].key[0]"; empty for the whole file
	Msg  string // what is wrong
	Kind error  // the loader's sentinel for this kind of problem
}

// Error returns "file: path: message".
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// Unwrap returns the kind, so errors.Is(err, kind) works.
func (e *FieldError) Unwrap() error { return e.Kind }

// Errors collects *FieldError values up to a limit and counts the rest: a
// tree with more problems than the limit is usually wrong in one systematic
// way, and a long list hides that.
type Errors struct {
	max     int
	more    func(n int) error
	errs    []error
	dropped int
}

// NewErrors returns an empty list that keeps max errors; more builds the
// error that stands last for the n errors dropped.
func NewErrors(max int, more func(n int) error) *Errors {
	if max < 1 || more == nil {
		panic("jsonfile: NewErrors needs max >= 1 and a more function")
	}
	return &Errors{max: max, more: more}
}

// Add records a *FieldError of kind at file and path, with a message built
// by fmt.Sprintf(format, args...), or counts it once the list is full.
func (l *Errors) Add(kind error, file, path, format string, args ...any) {
	if len(l.errs) >= l.max {
		l.dropped++
		return
	}
	l.errs = append(l.errs, &FieldError{File: file, Path: path, Msg: fmt.Sprintf(format, args...), Kind: kind})
}

// Empty reports whether no error has been added.
func (l *Errors) Empty() bool { return len(l.errs) == 0 }

// Check runs read, then, if read added no error, each check in order, and
// returns Err: a tree with a malformed file is reported by its decoding
// errors alone, and a tree that decodes by every rule its checks find broken.
func (l *Errors) Check(read func(), checks ...func()) error {
	read()
	if l.Empty() {
		for _, check := range checks {
			check()
		}
	}
	return l.Err()
}

// Err joins the collected errors, followed by the one that counts those
// dropped, or returns nil when there are none.
func (l *Errors) Err() error {
	errs := l.errs
	if l.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], l.more(l.dropped))
	}
	return errors.Join(errs...)
}
