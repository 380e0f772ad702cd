package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
)

// sitting returns the node's copy of a sitting's state: as kept, once the
// sitting is released and no notice says its stream has grown; otherwise
// caught up with the stream first.
func (e *Engine) sitting(ctx context.Context, id string) (*sitting, error) {
	e.mu.Lock()
	st, ok := e.sittings[id]
	fresh := ok && st.released && !e.staleSittings[id]
	e.mu.Unlock()
	if fresh {
		return st, nil
	}
	return e.freshSitting(ctx, id)
}

// freshSitting catches the node's copy of a sitting up with its stream,
// reading only the records appended since the copy's length, by this node
// or another, and keeps it. A copy, once kept, is never changed: catching
// up folds the new records into a clone, so callers may read the copy
// they hold without a lock.
func (e *Engine) freshSitting(ctx context.Context, id string) (*sitting, error) {
	e.mu.Lock()
	old := e.sittings[id]
	delete(e.staleSittings, id) // a notice arriving from now on marks it again
	e.mu.Unlock()
	var from int64
	if old != nil {
		from = old.n
	}
	recs, err := e.store.Read(ctx, sittingStream(id), from)
	if err != nil {
		return nil, err
	}
	if old != nil && len(recs) == 0 {
		return old, nil
	}
	st := old.clone()
	if err := st.fold(id, recs); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if cur := e.sittings[id]; cur != nil && cur.n >= st.n {
		return cur, nil // another caller caught up as far or further
	}
	e.sittings[id] = st
	return st, nil
}

// staleSitting notes that a sitting's stream has grown, here or on another
// node: the next look at the sitting catches up.
func (e *Engine) staleSitting(id string) {
	e.mu.Lock()
	e.staleSittings[id] = true
	e.mu.Unlock()
}

// Release opens the sitting: every candidate already joined starts now, and
// candidates who join later start when they join. Releasing twice is a no-op.
func (e *Engine) Release(ctx context.Context, sittingID, by string) error {
	return e.ReleaseRecorded(ctx, sittingID, by, nil)
}

// ReleaseRecorded is Release with the act's audit entry rec, stored in the
// same durable write as the release (appendRelease); nil records nothing.
// When the release cannot be stored the error wraps audit.ErrNotRecorded
// and no candidate is started.
func (e *Engine) ReleaseRecorded(ctx context.Context, sittingID, by string, rec *audit.Entry) error {
	if _, err := e.roster.Sitting(ctx, sittingID); err != nil {
		return err
	}
	st, err := e.sitting(ctx, sittingID)
	if err != nil {
		return err
	}
	if !st.released {
		if err := e.appendRelease(ctx, sittingID, st, by, rec); err != nil {
			return err
		}
		e.staleSitting(sittingID)
		e.log.Info("sitting released", "sitting", sittingID, "by", by)
		e.touch(sittingID, "")
	}
	ids, err := e.store.Streams(ctx, "attempt/"+sittingID+"/")
	if err != nil {
		return err
	}
	t0 := e.clock.Now()
	ls, err := e.loadAll(ctx, ids)
	if err != nil {
		return err
	}
	t1 := e.clock.Now()
	now := e.clock.Now()
	waiting, err := e.recordDeadlines(ctx, ls, now)
	if err != nil {
		return err
	}
	t2 := e.clock.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(waiting))
	for i, l := range waiting {
		wg.Go(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.a.Status != StatusWaiting {
				return
			}
			if errs[i] = e.startAt(ctx, l, now); errs[i] == nil {
				e.sendState(l)
			}
		})
	}
	wg.Wait()
	e.log.Info("attempts started", "sitting", sittingID, "started", len(waiting), "load", t1.Sub(t0),
		"deadlines", t2.Sub(t1), "start", e.clock.Now().Sub(t2))
	e.publish(Notice{Kind: NoticeReleased, Sitting: sittingID})
	return errors.Join(errs...)
}

// recordDeadlines records, in one append before any clock starts, the
// deadline of every waiting attempt started at now, so that any node can
// submit these attempts even if this one dies next. It returns the waiting
// attempts.
func (e *Engine) recordDeadlines(ctx context.Context, ls []*live, now time.Time) ([]*live, error) {
	var waiting []*live
	var recs [][]byte
	for _, l := range ls {
		l.mu.Lock()
		if l.a.Status == StatusWaiting {
			waiting = append(waiting, l)
			rec, _ := json.Marshal(deadlineRec{Attempt: l.a.ID, Deadline: now.Add(l.a.Limit)})
			recs = append(recs, rec)
		}
		l.mu.Unlock()
	}
	if len(recs) > 0 {
		if _, err := e.store.Append(ctx, deadlinesStream, -1, recs...); err != nil {
			return nil, err
		}
	}
	return waiting, nil
}

// loadAll loads attempts with a few readers at a time.
func (e *Engine) loadAll(ctx context.Context, ids []string) ([]*live, error) {
	out := make([]*live, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i], errs[i] = e.load(ctx, id)
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// AddTime extends an attempt in progress by d.
func (e *Engine) AddTime(ctx context.Context, id string, d time.Duration, by string) error {
	return e.invigilate(ctx, id, Command{Kind: CmdExtraTime, Extra: d, By: by})
}

// Attempt returns a copy of an attempt's state, for scoring and export.
func (e *Engine) Attempt(ctx context.Context, id string) (*Attempt, []*content.Item, error) {
	l, err := e.load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.CatchUp(ctx); err != nil {
		return nil, nil, err
	}
	a := *l.a
	return &a, l.a.lay.items(), nil
}

// Pause stops an attempt's clock: the candidate can change nothing until
// Resume, and the time paused is added to the deadline.
func (e *Engine) Pause(ctx context.Context, id, by string) error {
	return e.invigilate(ctx, id, Command{Kind: CmdPause, By: by})
}

// Resume restarts a paused attempt's clock.
func (e *Engine) Resume(ctx context.Context, id, by string) error {
	return e.invigilate(ctx, id, Command{Kind: CmdResume, By: by})
}

// Void ends an attempt at once; it is submitted with reason "voided" and
// does not count.
func (e *Engine) Void(ctx context.Context, id, by string) error {
	return e.invigilate(ctx, id, Command{Kind: CmdVoid, By: by})
}

// Invigilate applies an invigilator's command (CmdPause, CmdResume,
// CmdExtraTime, CmdVoid, CmdApprove) to an attempt in progress, within the
// bounds of its sitting's rules. A time change out of bounds fails with
// ErrExtraTime; approving the rejoin of a candidate who has not left, with
// ErrNotAway.
func (e *Engine) Invigilate(ctx context.Context, id string, cmd Command) error {
	switch cmd.Kind {
	case CmdPause, CmdResume, CmdExtraTime, CmdVoid, CmdApprove:
	default:
		return fmt.Errorf("engine: %q is not an invigilator's command", cmd.Kind)
	}
	if s, _, ok := sittingOf(id); ok && cmd.Kind == CmdExtraTime {
		st, err := e.roster.Sitting(ctx, s)
		if err != nil {
			return err
		}
		cmd.MaxExtra = st.MaxExtra()
	}
	return e.invigilate(ctx, id, cmd)
}

// invigilate applies an invigilator's command to an attempt in progress,
// re-arms the clock, records a moved deadline, and tells the candidate's
// connection, on this node or another. A command that changes nothing
// (pausing a paused attempt) succeeds; one on an attempt not in progress
// fails with ErrNotInProgress.
func (e *Engine) invigilate(ctx context.Context, id string, cmd Command) error {
	l, err := e.load(ctx, id)
	if err != nil {
		return err
	}
	l.mu.Lock()
	notices, err := e.invigilateLocked(ctx, l, cmd)
	l.mu.Unlock()
	e.publish(notices...)
	return err
}

// invigilateLocked is invigilate with l.mu held; it returns the notices to
// publish once the lock is released.
func (e *Engine) invigilateLocked(ctx context.Context, l *live, cmd Command) ([]Notice, error) {
	// This node's copy may be behind: an attempt started on another node
	// is refused here as not in progress unless read again first.
	if err := l.CatchUp(ctx); err != nil {
		return nil, err
	}
	ev, err := e.decide(ctx, l, cmd, e.clock.Now())
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return nil, ErrNotInProgress
	}
	if err != nil || ev == nil {
		return nil, err
	}
	e.arm(l)
	if ev.T == evExtra || ev.T == evResume {
		if err := e.recordDeadline(ctx, l.a.ID, l.a.Deadline); err != nil {
			e.log.Warn("record moved deadline", "attempt", l.a.ID, "err", err) // this node's timer still holds it
		}
	}
	e.log.Info("invigilator action", "attempt", l.a.ID, "action", ev.T, "reason", ev.Reason, "by", ev.By)
	switch {
	case l.peer == nil:
		n := Notice{Kind: NoticeChanged, Attempt: l.a.ID}
		if ev.T == evExtra { // the node holding the connection says so as this one would
			n.Warning, n.Text = timeWarning(ev), ev.Reason
		}
		return []Notice{n}, nil
	case ev.T == evExtra:
		e.sendTime(l, timeWarning(ev), ev.Reason)
	default:
		e.sendState(l)
	}
	return nil, nil
}

// timeWarning is the warning of the time message telling a candidate of
// the time change ev.
func timeWarning(ev *event) string {
	if ev.ExtraMS < 0 {
		return "time_reduced"
	}
	return "extra_time"
}

// sendTime tells the attempt's connection of a time change: its time
// left, the warning and the invigilator's reason. l.mu held.
func (e *Engine) sendTime(l *live, warning, note string) {
	now := e.clock.Now()
	l.peer.Send(ServerMsg{Type: MsgTime, RemainingMS: ms(l.a.Remaining(now)), SectionRemainingMS: sectionMS(l.a, now), Warning: warning, Note: note})
}
