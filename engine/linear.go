package engine

// Linear navigation: a form whose navigation is linear (docs/content.md,
// "Linear navigation") is delivered one question after another. The
// candidate answers or flags the question they are on, moves on to the
// next one, and never goes back; after the last comes the review screen,
// from which they submit. The mode is fixed in the attempt's create
// record, as a timed form's section limits are.

import (
	"slices"

	"github.com/accredit/accredit/engine/content"
)

// CodeLinear: in a linear test, a change to another question than the
// current one, or a move other than to the next position (docs/protocol.md).
const CodeLinear = 316

// checkLinear refuses, in a linear attempt, an answer or flag to a
// question other than the current one and a move other than on to the
// next position. Commands outside the test are left to be refused as
// such; a submission is taken anywhere.
func (a *Attempt) checkLinear(cmd Command) *ProtocolError {
	if !a.Linear {
		return nil
	}
	switch cmd.Kind {
	case CmdAnswer, CmdFlag:
		pos := a.lay.position(cmd.Item)
		switch {
		case pos < 0:
			return nil
		case pos < a.Position:
			return perr(CodeLinear, "this test goes one question after another: an earlier question cannot be changed")
		case pos > a.Position:
			return perr(CodeLinear, "this test goes one question after another: answer the current question first")
		}
	case CmdNavigate:
		switch p := cmd.Position; {
		case p < 0 || p > a.lay.count:
			return nil
		case p < a.Position:
			return perr(CodeLinear, "this test goes one question after another: you cannot go back")
		case p > a.Position+1:
			return perr(CodeLinear, "this test goes one question after another: you cannot skip ahead")
		}
	}
	return nil
}

// position returns the delivery position of item id, or -1.
func (l *layout) position(id string) int {
	return slices.IndexFunc(l.order, func(it *content.Item) bool { return it.ID == id })
}
