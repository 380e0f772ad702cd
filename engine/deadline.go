package engine

import (
	"errors"
	"time"
)

// warnings are the remaining times at which a connected candidate is sent a
// "time" message with a warning; at the same times before a timed
// section's deadline, a "time" message with the section's time left.
var warnings = [...]time.Duration{5 * time.Minute, time.Minute}

// arm schedules the attempt's next timed event: a warning or the deadline
// submission. l.mu held.
func (e *Engine) arm(l *live) {
	e.disarm(l)
	if l.a.Status != StatusInProgress || l.a.Paused {
		return
	}
	now := e.clock.Now()
	due := l.a.Deadline.Add(Grace)
	deadlines := []time.Time{l.a.Deadline}
	if sd := l.a.SectionDeadline; l.a.BySection() && !sd.IsZero() && sd.Before(l.a.Deadline) {
		due = sd.Add(Grace) // the current section closes first
		deadlines = append(deadlines, sd)
	}
	for _, d := range deadlines { // the test's warnings, and the section's
		for _, w := range warnings {
			if at := d.Add(-w); at.After(now) && at.Before(due) {
				due = at
			}
		}
	}
	id := l.a.ID
	l.timer = e.clock.AfterFunc(max(due.Sub(now), 0), func() { e.tick(id) })
}

func (e *Engine) disarm(l *live) {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
}

// tick runs when an attempt's timer fires: it sends a due warning, or
// submits the attempt once the deadline and the grace have passed, whether
// or not the candidate is connected.
func (e *Engine) tick(id string) {
	e.mu.Lock()
	l, ok := e.attempts[id]
	closed := e.closed
	e.mu.Unlock()
	if !ok || closed {
		return
	}
	l.mu.Lock()
	notices := e.tickLocked(l)
	l.mu.Unlock()
	e.publish(notices...)
}

// tickLocked is tick with l.mu held; it returns the notices to publish
// once the lock is released.
func (e *Engine) tickLocked(l *live) []Notice {
	l.timer = nil
	if l.a.Status != StatusInProgress || l.a.Paused {
		return nil
	}
	now := e.clock.Now()
	if l.a.due(now) || l.a.sectionDue(now) && l.a.lastSection() {
		return e.submitAtDeadline(l, now)
	}
	if l.a.sectionDue(now) {
		return e.closeSectionAtDeadline(l, now)
	}
	if l.peer != nil {
		rem := l.a.Remaining(now)
		msg := ServerMsg{Type: MsgTime, RemainingMS: ms(rem), SectionRemainingMS: sectionMS(l.a, now)}
		for _, w := range warnings {
			if rem <= w {
				msg.Warning = w.String()
			}
		}
		l.peer.Send(msg)
	}
	e.arm(l)
	return nil
}

// submitAtDeadline submits an attempt out of time, with its audit entry in
// the same write (no submission without its record), and tells its
// connection, on this node or (by the notices returned) another. A failed
// append is tried again a second later. l.mu held.
func (e *Engine) submitAtDeadline(l *live, now time.Time) []Notice {
	ent := deadlineEntry(l.a)
	ev, err := e.decide(e.bg, l, Command{Kind: CmdDeadline, Record: &ent}, now)
	var pe *ProtocolError
	switch {
	case errors.As(err, &pe):
		return nil // submitted elsewhere meanwhile
	case err != nil:
		e.log.Error("submit failed; retrying", "attempt", l.a.ID, "reason", ReasonDeadline, "err", err)
		id := l.a.ID
		l.timer = e.clock.AfterFunc(time.Second, func() { e.tick(id) })
		return nil
	case ev == nil:
		e.arm(l) // the deadline moved elsewhere meanwhile
		return nil
	}
	e.m.deadlineSubmit()
	if l.peer == nil {
		return []Notice{{Kind: NoticeChanged, Attempt: l.a.ID}}
	}
	l.peer.Send(e.submittedMsg(l.a))
	return nil
}

// closeSectionAtDeadline closes the current section out of time and opens
// the next, telling the attempt's connection, on this node or (by the
// notices returned) another, with the new state. A failed append is tried
// again a second later. l.mu held.
func (e *Engine) closeSectionAtDeadline(l *live, now time.Time) []Notice {
	ev, err := e.decide(e.bg, l, Command{Kind: CmdSectionDeadline}, now)
	var pe *ProtocolError
	switch {
	case errors.As(err, &pe):
		return nil // submitted elsewhere meanwhile
	case err != nil:
		e.log.Error("close section failed; retrying", "attempt", l.a.ID, "err", err)
		id := l.a.ID
		l.timer = e.clock.AfterFunc(time.Second, func() { e.tick(id) })
		return nil
	}
	e.arm(l) // the next section's deadline, or the moved one
	if ev == nil {
		return nil
	}
	if l.peer == nil {
		return []Notice{{Kind: NoticeChanged, Attempt: l.a.ID}}
	}
	e.sendState(l)
	return nil
}

// sectionMS is the current section's time left at now, in milliseconds, or
// nil if it is untimed.
func sectionMS(a *Attempt, now time.Time) *int64 {
	if d, ok := a.SectionRemaining(now); ok {
		return ms(d)
	}
	return nil
}
