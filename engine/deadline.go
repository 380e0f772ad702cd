package engine

import (
	"context"
	"errors"
	"time"
)

// arm schedules the attempt's next timed event: a warning or the deadline
// submission. l.mu held.
func (e *Engine) arm(l *live) {
	e.disarm(l)
	if l.a.Status != StatusInProgress || l.a.Paused {
		return
	}
	now := e.clock.Now()
	due := l.a.Deadline.Add(Grace)
	for _, w := range Warnings {
		if at := l.a.Deadline.Add(-w); at.After(now) && at.Before(due) {
			due = at
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
	defer l.mu.Unlock()
	l.timer = nil
	if l.a.Status != StatusInProgress || l.a.Paused {
		return
	}
	now := e.clock.Now()
	if !now.Before(l.a.Deadline.Add(Grace)) {
		e.submitLocked(context.Background(), l, ReasonDeadline, "")
		return
	}
	if l.peer != nil {
		rem := l.a.Remaining(now)
		msg := ServerMsg{Type: MsgTime, RemainingMS: ms(rem)}
		for _, w := range Warnings {
			if rem <= w {
				msg.Warning = w.String()
			}
		}
		l.peer.Send(msg)
	}
	e.arm(l)
}

// submitLocked submits the attempt for a reason other than the candidate's
// own submit. l.mu held.
func (e *Engine) submitLocked(ctx context.Context, l *live, reason, by string) error {
	ev := &event{T: evSubmit, At: e.clock.Now(), Reason: reason, By: by}
	err := e.appendEvent(ctx, l, ev, func() *ProtocolError {
		if l.a.Status != StatusInProgress {
			return perr(CodeSubmitted, "not in progress")
		}
		ev.Score = e.score(l)
		return nil
	})
	if err != nil {
		var pe *ProtocolError
		if errors.As(err, &pe) {
			return nil // submitted elsewhere meanwhile
		}
		e.log.Error("submit failed; retrying", "attempt", l.a.ID, "reason", reason, "err", err)
		id := l.a.ID
		l.timer = e.clock.AfterFunc(time.Second, func() { e.tick(id) })
		return err
	}
	if reason == ReasonDeadline {
		e.m.deadlineSubmit()
	}
	if l.peer != nil {
		l.peer.Send(e.submittedMsg(l.a))
	} else {
		e.publish(Notice{Kind: NoticeChanged, Attempt: l.a.ID})
	}
	return nil
}
