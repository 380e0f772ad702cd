package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/accredit/accredit/engine/audit"
)

// The engine's own consequential acts go to the audit log (Config.Audit):
// a connection taking over an attempt (the candidate's act) and the
// submission of an attempt at its deadline (the system's). Invigilators'
// acts are recorded by the server that takes them (web), with the staff
// member's role.

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

// abort records that the act of entry i was not taken after all, and why.
func (e *Engine) abort(ctx context.Context, i int64, ent audit.Entry, why string) {
	if e.audit == nil || i < 0 {
		return
	}
	if _, err := e.audit.Abort(ctx, i, ent, why); err != nil {
		e.log.Error("audit: record an act not taken", "entry", i, "action", ent.Action, "err", err)
	}
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
