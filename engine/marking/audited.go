package marking

import (
	"context"
	"encoding/json"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/roleplay"
)

// The lead's decision on a flagged station is taken over the assessor
// protocol (a submit of the lead's decision sheet), so the service records
// it in the audit log (Config.Audit), in the same write as the change. The
// lead's other acts (moderation, third-marker assignment) come through the
// HTTP API, whose server hands over their entries (Moderation.Record,
// Assignment.Record).

// applyRecorded is Apply for a change that must be audited: stored with
// its entry in one write, or neither (a refused or re-sent change records
// nothing).
func (s *Service) applyRecorded(ctx context.Context, k roleplay.SheetKey, c roleplay.Change) (Outcome, error) {
	ent := audit.Entry{
		Actor:  audit.Actor{Kind: audit.ActorStaff, ID: c.By, Role: string(s.m.Assessors[c.By].Role)},
		Action: audit.SheetLeadDecision,
		Target: audit.Target{Kind: audit.TargetSheet, ID: k.Circuit + "/" + k.Station + "/" + k.Candidate + "/" + k.Assessor},
	}
	if l, err := s.fresh(ctx, k); err == nil {
		st := l.sheet.State()
		l.mu.Unlock()
		ent.After, _ = json.Marshal(map[string]any{"marks": st.Marks, "judgement": st.Judgement})
	}
	return s.apply(ctx, k, func(*roleplay.Sheet) roleplay.Change { return c }, &ent)
}

// audited reports whether change c of sheet k must be recorded first: the
// submit of a lead's decision, with an audit log configured.
func (s *Service) audited(k roleplay.SheetKey, c roleplay.Change) bool {
	if s.audit == nil || c.Kind != roleplay.Submit {
		return false
	}
	m, err := s.markerFor(k)
	return err == nil && m == roleplay.LeadDecision
}
