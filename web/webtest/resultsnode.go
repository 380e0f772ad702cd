package webtest

import (
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

// ResultsNode serves the results fixture with the audit log: ResultsPeople
// people endorsed and booked at north and south, who have sat the
// knowledge test and been marked (but for station S2 of the unmarked); no
// standard adopted yet.
func ResultsNode(t testing.TB, unmarked ...string) (*Node, *ResultsFixture) {
	t.Helper()
	lib := ProgrammeLibrary(t)
	st := Bolt(t)
	clk := clock.NewFake(Start)
	log := audit.New(st, clk)
	f := Results(t, st, clk, lib, log)
	n := NewNode(t, Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk, Audit: log},
		Marking: marking.Config{Model: ResultsModel(t), Clock: clk, Audit: log},
		Web:     web.Config{Clock: clk, Audit: log, Programme: f.Programme, Results: f.Results}})
	f.Sit(t, n, unmarked...)
	return n, f
}
