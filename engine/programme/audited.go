package programme

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
)

// Every act of the programme is recorded in the audit log with the record
// that takes it, in one durable write (one store.AppendAll), so that the
// log holds an act if and only if it was taken: a refused act writes no
// entry, and an entry that cannot be stored fails the act with
// audit.ErrNotRecorded. Where that cannot be (the Recorder is not an audit
// log on the programme's store, or the store cannot write the two streams
// together, store.ErrNotAtomic), the entry is recorded first, once, and an
// act that then fails is recorded as not taken.

type auditActorKey struct{}

// AuditActor returns ctx naming a as the actor of the audit entries of
// the acts taken under it, for a caller that knows more of who acts than
// an Actor says (the server knows a staff member's role).
func AuditActor(ctx context.Context, a audit.Actor) context.Context {
	return context.WithValue(ctx, auditActorKey{}, a)
}

// entry returns the audit entry of act on target by by, with after as the
// state it leaves, or nil when nothing is recorded: no Recorder, or ctx
// marked Recorded.
func (p *Programme) entry(ctx context.Context, by Actor, act audit.Action, target audit.Target, after any) *audit.Entry {
	if p.rec == nil || ctx.Value(recordedKey{}) != nil {
		return nil
	}
	actor, ok := ctx.Value(auditActorKey{}).(audit.Actor)
	if !ok {
		actor = auditActor(by)
	}
	e := &audit.Entry{Action: act, Target: target, Actor: actor}
	if after != nil {
		if b, err := json.Marshal(after); err == nil && len(b) <= audit.MaxState {
			e.After = b
		}
	}
	return e
}

// audited queues decide on w, with side if set, and records the entry
// decide returns with its record (nil: nothing to record). With a side
// write on a store that cannot take both streams in one write it fails
// with store.ErrNotAtomic, nothing stored or recorded, for its caller to
// take the act another way.
func audited[S state](ctx context.Context, p *Programme, w *writer[S], side *sideWrite, decide func(S) (*record, *audit.Entry, error)) (*record, error) {
	if p.rec == nil || ctx.Value(recordedKey{}) != nil {
		return w.queueOp(ctx, p.st, &op[S]{decide: func(st S) (*record, error) {
			rec, _, err := decide(st)
			return rec, err
		}, side: side, done: make(chan struct{})})
	}
	log := LogOf(ctx, p.rec)
	if log != nil && log.On(p.st) {
		var e *audit.Entry
		o := &op[S]{side: side, done: make(chan struct{})}
		o.decide = func(st S) (rec *record, err error) {
			rec, e, err = decide(st)
			return rec, err
		}
		o.entry = func() ([]byte, error) {
			if e == nil {
				return nil, nil
			}
			lw, err := log.Prepare(*e)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", audit.ErrNotRecorded, e.Action, err)
			}
			return lw.Records[0], nil
		}
		rec, err := w.queueOp(ctx, p.st, o)
		if !errors.Is(err, store.ErrNotAtomic) || side != nil {
			return rec, err
		}
	}
	return recordFirst(ctx, p, log, w, side, decide)
}

// recordFirst is audited where the entry cannot go with the record: the
// entry is recorded once, when decide first takes the act, before its
// record is appended; an act that then fails is recorded as not taken
// (with an audit log to say so).
func recordFirst[S state](ctx context.Context, p *Programme, log *audit.Log, w *writer[S], side *sideWrite, decide func(S) (*record, *audit.Entry, error)) (*record, error) {
	var first *audit.Entry
	index := int64(-1)
	rec, err := w.queueOp(ctx, p.st, &op[S]{decide: func(st S) (*record, error) {
		rec, e, err := decide(st)
		if err != nil || rec == nil || e == nil || first != nil {
			return rec, err
		}
		if log != nil {
			index, err = log.Append(ctx, *e)
		} else {
			err = p.rec.Record(ctx, *e)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", audit.ErrNotRecorded, e.Action, err)
		}
		first = e
		return rec, nil
	}, side: side, done: make(chan struct{})})
	if err != nil && index >= 0 {
		if _, aerr := log.Abort(context.WithoutCancel(ctx), index, *first, err.Error()); aerr != nil {
			return nil, errors.Join(err, fmt.Errorf("record entry %d as not taken: %w", index, aerr))
		}
	}
	return rec, err
}
