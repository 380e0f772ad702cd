package marking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
)

// Assignment makes an assessor the third marker of a flagged station, on a
// circuit that resolves discrepancies by a third marker. The lead assigns;
// the latest assignment of a station stands.
type Assignment struct {
	Station   string    `json:"station"`
	Candidate string    `json:"candidate"`
	Assessor  string    `json:"assessor"`
	By        string    `json:"by,omitempty"` // the lead; set by the server
	At        time.Time `json:"at,omitzero"`  // set by the server
	// Record, when set, is the act's audit entry, stored in the same
	// write as the assignment or not at all.
	Record *audit.Entry `json:"-"`
}

type cellKey struct{ station, candidate string }

// assignStream is the store stream of a circuit's assignments.
func assignStream(circuit string) string { return "assign/" + circuit }

// assignments returns the standing assignment of each station and
// candidate of a circuit, and the number of records read.
func (s *Service) assignments(ctx context.Context, circuit string) (map[cellKey]Assignment, int64, error) {
	recs, err := s.store.Read(ctx, assignStream(circuit), 0)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", assignStream(circuit), err)
	}
	out := make(map[cellKey]Assignment, len(recs))
	for i, rec := range recs {
		var a Assignment
		if err := json.Unmarshal(rec, &a); err != nil {
			return nil, 0, fmt.Errorf("%w: %s record %d: %v", ErrCorrupt, assignStream(circuit), i, err)
		}
		out[cellKey{a.Station, a.Candidate}] = a
	}
	return out, int64(len(recs)), nil
}

// Assign makes a.Assessor the third marker of a flagged station of
// circuit, for lead. The assessor must be one of the model's, not one of the
// station's own; a station whose third marker has begun marking keeps
// them. It returns ErrNotLead, or a *ProtocolError the lead is shown.
func (s *Service) Assign(ctx context.Context, circuit, lead string, a Assignment) (Assignment, error) {
	c, ok := s.m.Circuits[circuit]
	if !ok {
		return Assignment{}, perr(CodeUnknownSheet, "no circuit %q", circuit)
	}
	if lead != c.LeadAssessor {
		return Assignment{}, ErrNotLead
	}
	if c.DoubleMarking.Resolution != roleplay.ResolveThirdMarker {
		return Assignment{}, perr(CodeNotAtStation, "circuit %s resolves discrepancies by %s, not by a third marker", circuit, c.DoubleMarking.Resolution)
	}
	st, ok := c.Station(a.Station)
	if !ok {
		return Assignment{}, perr(CodeUnknownSheet, "no station %q in circuit %q", a.Station, circuit)
	}
	if _, ok := s.m.Assessors[a.Assessor]; !ok {
		return Assignment{}, perr(CodeUnknownSheet, "no assessor %q", a.Assessor)
	}
	if st.Marks(a.Assessor) {
		return Assignment{}, perr(CodeNotAtStation, "%s marks station %s already: a third marker must come from outside it", a.Assessor, a.Station)
	}
	p, err := s.pair(ctx, c, a.Station, a.Candidate)
	if err != nil {
		return Assignment{}, s.protocolErr(err)
	}
	if d, ok := p.discrepancy(s.m, c); !ok || !d.Flagged() {
		return Assignment{}, perr(CodeNotAtStation, "station %s of candidate %s is not flagged", a.Station, a.Candidate)
	}
	a.By, a.At = lead, s.clock.Now().UTC()
	for range 3 {
		cur, n, err := s.assignments(ctx, circuit)
		if err != nil {
			return Assignment{}, s.protocolErr(err)
		}
		if prev, ok := cur[cellKey{a.Station, a.Candidate}]; ok {
			if prev.Assessor == a.Assessor {
				return prev, nil
			}
			_, stored, err := s.view(ctx, roleplay.SheetKey{Circuit: circuit, Station: a.Station, Candidate: a.Candidate, Assessor: prev.Assessor})
			if err != nil {
				return Assignment{}, s.protocolErr(err)
			}
			if stored > 0 {
				return Assignment{}, perr(CodeAssigned, "%s has begun third-marking station %s of candidate %s", prev.Assessor, a.Station, a.Candidate)
			}
		}
		rec, _ := json.Marshal(a)
		err = s.appendAssignment(ctx, store.Write{Stream: assignStream(circuit), Expect: n, Records: [][]byte{rec}}, a.Record)
		if err == nil {
			s.refresh(ctx, a.Assessor)
			return a, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return Assignment{}, s.notStored(err)
		}
	}
	return Assignment{}, s.protocolErr(store.ErrConflict)
}

// appendAssignment stores w, an assignment, with its audit entry rec in
// the same write when rec is set and a log configured
// (audit.Log.AppendWith). A conflict stores neither.
func (s *Service) appendAssignment(ctx context.Context, w store.Write, rec *audit.Entry) error {
	if rec == nil || s.audit == nil {
		_, err := s.store.Append(ctx, w.Stream, w.Expect, w.Records...)
		return err
	}
	return s.audit.AppendWith(ctx, s.store, *rec, w)
}
