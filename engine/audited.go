package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
)

// The engine's consequential acts go to the audit log (Config.Audit). An
// act that stores a change stores its entry in the same durable write
// (appendRecorded): the submission of an attempt at its deadline (the
// system's act), and the invigilators' acts, whose entries the server
// that takes them (web) hands over with the staff member's role
// (Command.Record, ReleaseRecorded). A connection taking over an attempt
// (the candidate's act) stores nothing else, so its entry is appended by
// itself, before the act (record).

// record appends an audit entry before the act it records; with no log
// configured it records nothing. An error means nothing was stored: the
// caller must not act.
func (e *Engine) record(ctx context.Context, ent audit.Entry) (int64, error) {
	if e.audit == nil {
		return -1, nil
	}
	i, err := e.audit.Append(ctx, ent)
	if err != nil {
		return -1, fmt.Errorf("record %s: %w", ent.Action, err)
	}
	return i, nil
}

// AuditState is what an audit entry records of an attempt before and
// after an act: status, paused, deadline, submission reason and, while the
// candidate is away, that they are and whether their rejoin is approved.
func (a *Attempt) AuditState() json.RawMessage {
	b, _ := json.Marshal(struct {
		Status   Status `json:"status"`
		Paused   bool   `json:"paused"`
		Deadline string `json:"deadline,omitempty"`
		Reason   string `json:"reason,omitempty"`
		Away     bool   `json:"away,omitempty"`
		Approved bool   `json:"rejoin_approved,omitempty"`
	}{a.Status, a.Paused, deadlineText(a), a.Reason, a.Away, a.RejoinApproved})
	return b
}

func deadlineText(a *Attempt) string {
	if a.Deadline.IsZero() {
		return ""
	}
	return a.Deadline.UTC().Format("2006-01-02T15:04:05.000Z")
}

// takeoverEntry is the record of a hello taking over attempt a's live
// connection.
func takeoverEntry(a *Attempt) audit.Entry {
	return audit.Entry{
		Actor:  audit.Actor{Kind: audit.ActorCandidate, ID: a.Candidate},
		Action: audit.AttemptTakeover, Target: audit.Target{Kind: audit.TargetAttempt, ID: a.ID},
		Reason: "the attempt was opened on another connection",
	}
}

// deadlineEntry is the record of the server submitting a at its deadline.
func deadlineEntry(a *Attempt) audit.Entry {
	return audit.Entry{
		Actor:  audit.Actor{Kind: audit.ActorSystem, ID: "deadline"},
		Action: audit.AttemptDeadlineSubmit, Target: audit.Target{Kind: audit.TargetAttempt, ID: a.ID},
		Reason: "time ran out", Before: a.AuditState(),
	}
}

// appendRecorded appends what next decides on l's stream together with
// the audit entry ent, in one store.AppendAll: both are stored or neither,
// and a conflict with another writer decides again and records again. The
// entry's Before is the state of the attempt decided on. A store that
// cannot write the two together (Redis Cluster, the attempt and the log
// in different hash slots) gets them apart, the record first
// (audit.Log.Take). A failed write wraps audit.ErrNotRecorded; a refusal
// by next is returned as it is, and nothing is recorded. l.mu held.
func (e *Engine) appendRecorded(ctx context.Context, l *live, ent audit.Entry, next func() ([][]byte, error)) error {
	ent.Before = l.a.AuditState()
	return e.audit.Take(ctx, e.store, ent, func(prepare func() (store.Write, error)) error {
		return audit.AppendNext(ctx, e.store, l.a.ID, l, next, prepare)
	}, func() error {
		return store.AppendNext(ctx, e.store, l.a.ID, l, next)
	})
}

// appendWith stores w, the whole of an act, with its audit entry rec
// in the same write when rec is set and a log configured
// (audit.Log.AppendWith); otherwise w alone.
func (e *Engine) appendWith(ctx context.Context, w store.Write, rec *audit.Entry) error {
	if rec == nil || e.audit == nil {
		_, err := e.store.Append(ctx, w.Stream, w.Expect, w.Records...)
		return err
	}
	return e.audit.AppendWith(ctx, e.store, *rec, w)
}

// sittingCopy follows a sitting's stream for store.AppendNext: its length
// is the node's copy's, and catching up reads the stream again.
type sittingCopy struct {
	e  *Engine
	id string
	st *sitting
}

func (c *sittingCopy) Len() int64 { return c.st.n }

func (c *sittingCopy) CatchUp(ctx context.Context) error {
	st, err := c.e.freshSitting(ctx, c.id)
	if err == nil {
		c.st = st
	}
	return err
}

// errReleased is what the release's decision returns on a sitting already
// released: nothing is appended.
var errReleased = errors.New("engine: the sitting is released already")

// appendRelease stores the release of sitting id, decided on the node's
// copy st, with its audit entry rec in the same write when rec is set and
// a log configured. A sitting found released already (by another node
// meanwhile) is left as it is, and nothing is recorded.
func (e *Engine) appendRelease(ctx context.Context, id string, st *sitting, by string, rec *audit.Entry) error {
	c := &sittingCopy{e: e, id: id, st: st}
	next := func() ([][]byte, error) {
		if c.st.released {
			return nil, errReleased
		}
		b, err := json.Marshal(sittingEvent{T: sevRelease, At: e.clock.Now(), By: by})
		return [][]byte{b}, err
	}
	var err error
	if rec == nil || e.audit == nil {
		err = store.AppendNext(ctx, e.store, sittingStream(id), c, next)
	} else {
		err = e.audit.Take(ctx, e.store, *rec, func(prepare func() (store.Write, error)) error {
			return audit.AppendNext(ctx, e.store, sittingStream(id), c, next, prepare)
		}, func() error {
			return store.AppendNext(ctx, e.store, sittingStream(id), c, next)
		})
	}
	if errors.Is(err, errReleased) {
		return nil
	}
	return err
}
