package webtest

import (
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

// ProgrammeNode is a node serving ProgrammeLibrary and the Programme
// fixture with the audit log, on a fake clock at Start; it returns the
// programme and the clock beside it.
func ProgrammeNode(t testing.TB) (*Node, *programme.Programme, *clock.Fake) {
	t.Helper()
	lib := ProgrammeLibrary(t)
	st := Bolt(t)
	clk := clock.NewFake(Start)
	log := audit.New(st, clk)
	prog := Programme(t, st, clk, lib, log)
	n := NewNode(t, Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk},
		Web: web.Config{Clock: clk, Audit: log, Programme: prog}})
	return n, prog, clk
}
