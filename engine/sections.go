package engine

// Timed sections: a form with a section that has its own time limit is
// delivered section by section (docs/content.md, "Timed sections"). The
// candidate works in the current section only; it closes when they finish
// it (CmdFinishSection) or when its time runs out (CmdSectionDeadline,
// sent by the server's timer), and the next one opens. A closed section's
// answers stay as stored. The limits are fixed in the attempt's create
// record, so a restart, another node or a later change to the content
// rebuilds the same attempt; a stream without them is an attempt at a form
// delivered whole.

import (
	"time"

	"github.com/accredit/accredit/engine/content"
)

// Error codes of timed sections (docs/protocol.md).
const (
	CodeSectionClosed  = 313 // the item or position is in a section already closed
	CodeSectionNotOpen = 314 // the item or position is in a later section, not yet open
	CodeLastSection    = 315 // finish_section on the last section: submit the test instead
)

// evSection closes the current section and opens event.Section, the
// candidate at event.Pos, its first position; Reason says who closed it.
const evSection = "section"

// sectionLimits returns each section's limit times the candidate's time
// factor, rounded to the second as the form's is, or nil for a form
// delivered whole.
func sectionLimits(f *content.Form, factor float64) []int64 {
	if !f.BySection() {
		return nil
	}
	out := make([]int64, len(f.Sections))
	for i, s := range f.Sections {
		out[i] = time.Duration(float64(s.TimeLimit) * factor).Round(time.Second).Milliseconds()
	}
	return out
}

// BySection reports whether the attempt is delivered section by section.
func (a *Attempt) BySection() bool { return len(a.SectionLimits) > 0 }

// lastSection reports whether the current section is the form's last (of
// the limits recorded, and of the form as loaded, should they differ).
func (a *Attempt) lastSection() bool {
	n := len(a.SectionLimits)
	if a.lay != nil {
		n = min(n, len(a.lay.ends))
	}
	return a.Section >= n-1
}

// sectionDue reports whether the current section is timed and its deadline
// and the grace have passed at now.
func (a *Attempt) sectionDue(now time.Time) bool {
	return a.BySection() && !a.SectionDeadline.IsZero() && !now.Before(a.SectionDeadline.Add(Grace))
}

// SectionRemaining returns the current section's time left at now, never
// more than the test's and never negative; false if the attempt is not in
// progress or its current section is untimed.
func (a *Attempt) SectionRemaining(now time.Time) (time.Duration, bool) {
	if a.Status != StatusInProgress || !a.BySection() || a.SectionDeadline.IsZero() {
		return 0, false
	}
	if a.Paused {
		now = a.PausedAt
	}
	return max(min(a.SectionDeadline.Sub(now), a.Remaining(now)), 0), true
}

// openSection sets the clock of section i, entered at: its deadline, or
// none for an untimed section.
func (a *Attempt) openSection(i int, at time.Time) {
	a.Section, a.SectionDeadline = i, time.Time{}
	if i < len(a.SectionLimits) && a.SectionLimits[i] > 0 {
		a.SectionDeadline = at.Add(a.SectionLimits[i])
	}
}

// closeSection folds in an evSection event.
func (a *Attempt) closeSection(e *event) {
	a.SectionsClosed = append(a.SectionsClosed, e.Reason)
	a.openSection(e.Section, e.At)
	a.Position = e.Pos
}

// moveSection moves the current section's deadline by d, as a pause or
// incident time moves the test's.
func (a *Attempt) moveSection(d time.Duration) {
	if !a.SectionDeadline.IsZero() {
		a.SectionDeadline = a.SectionDeadline.Add(d)
	}
}

// sectionOf says which section holds position pos of the layout.
func (l *layout) sectionOf(pos int) int {
	for i, end := range l.ends {
		if pos < end {
			return i
		}
	}
	return len(l.ends)
}

// sectionStart returns the first position of section i.
func (l *layout) sectionStart(i int) int {
	if i == 0 {
		return 0
	}
	return l.ends[i-1]
}

// checkSection refuses, in an attempt delivered by section, a change to an
// item of a section other than the current one, a move out of it, or an
// answer, flag or move once the current section's time and grace have run
// out (a submission is not refused). The review screen (position count)
// belongs to the last section.
func (a *Attempt) checkSection(cmd Command, now time.Time) *ProtocolError {
	if !a.BySection() {
		return nil
	}
	var sec int
	switch cmd.Kind {
	case CmdAnswer, CmdFlag:
		var ok bool
		if sec, ok = a.lay.fi.section[cmd.Item]; !ok {
			return nil // not in the test: refused as such
		}
	case CmdNavigate:
		if cmd.Position < 0 || cmd.Position > a.lay.count {
			return nil // outside the test: refused as such
		}
		sec = min(a.lay.sectionOf(cmd.Position), len(a.lay.ends)-1)
	default:
		return nil // a submission is taken in any section
	}
	switch {
	case a.sectionDue(now):
		return perr(CodeSectionClosed, "time for this section is up: changes to it are not accepted")
	case sec < a.Section:
		return perr(CodeSectionClosed, "that question is in a section already closed: it cannot be changed or visited")
	case sec > a.Section:
		return perr(CodeSectionNotOpen, "that question is in a later section, not yet open: finish this section first")
	}
	return nil
}

// decideFinish decides the candidate's finish_section: cmd.Section must
// name the current section, which may not be the last (the test is
// submitted instead), and Confirm must be set.
func (a *Attempt) decideFinish(cmd Command, now time.Time) (*event, error) {
	switch {
	case !a.BySection():
		return nil, notAllowed("finish_section")
	case !cmd.Confirm:
		return nil, perr(CodeNotConfirmed, "finish_section needs \"confirm\": true")
	case a.sectionDue(now):
		return nil, perr(CodeSectionClosed, "time for this section is up: it is being closed")
	case cmd.Section < a.Section:
		return nil, perr(CodeSectionClosed, "section %d is already closed", cmd.Section+1)
	case cmd.Section > a.Section:
		return nil, perr(CodeSectionNotOpen, "section %d is not open yet", cmd.Section+1)
	case a.lastSection():
		return nil, perr(CodeLastSection, "this is the last section: submit the test to finish it")
	}
	return a.nextSection(now, ReasonCandidate, cmd.Seq), nil
}

// decideSectionDeadline decides the server's closing of a section out of
// time: nothing before its deadline and grace have passed or while
// paused; the last section's time running out submits the test.
func (a *Attempt) decideSectionDeadline(now time.Time) (*event, error) {
	if a.Status != StatusInProgress {
		return nil, perr(CodeSubmitted, "not in progress")
	}
	if a.Paused || !a.sectionDue(now) {
		return nil, nil
	}
	if a.lastSection() {
		return &event{T: evSubmit, At: now, Reason: ReasonDeadline, Score: a.score()}, nil
	}
	return a.nextSection(now, ReasonDeadline, 0), nil
}

// nextSection is the event that closes the current section for reason and
// opens the next, the candidate at its first question.
func (a *Attempt) nextSection(now time.Time, reason string, seq uint64) *event {
	next := a.Section + 1
	return &event{T: evSection, At: now, Seq: seq, Section: next, Pos: a.lay.sectionStart(next), Reason: reason}
}
