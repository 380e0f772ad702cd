// Package audittest holds an in-memory recorder of audit entries for the
// tests of the packages that record into the audit log, and an open-loop
// driver for their benchmarks of audited acts.
package audittest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/accredit/accredit/engine/audit"
)

// ErrUnavailable is what a failing Recorder answers.
var ErrUnavailable = errors.New("audit log unavailable")

// Recorder keeps the entries it is given, in order, refusing an unknown
// action; SetFail makes it refuse every entry, as a log that cannot be
// written does.
type Recorder struct {
	mu      sync.Mutex // protects entries, fail
	entries []audit.Entry
	fail    bool
}

// Record keeps e, or refuses it.
func (r *Recorder) Record(_ context.Context, e audit.Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return ErrUnavailable
	}
	if !e.Action.Known() {
		return fmt.Errorf("unknown action %q", e.Action)
	}
	r.entries = append(r.entries, e)
	return nil
}

// SetFail makes Record refuse (true) or keep (false) what follows.
func (r *Recorder) SetFail(fail bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = fail
}

// Entries returns the entries kept, in order.
func (r *Recorder) Entries() []audit.Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]audit.Entry(nil), r.entries...)
}

// Actions returns the actions of the entries kept, in order.
func (r *Recorder) Actions() []audit.Action {
	var out []audit.Action
	for _, e := range r.Entries() {
		out = append(out, e.Action)
	}
	return out
}
