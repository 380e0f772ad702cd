package engine

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
)

// Incident is one entry of a sitting's incident log: what happened in the
// room, when, who reported it and which candidates it touched.
type Incident struct {
	At         time.Time `json:"at"`
	Category   string    `json:"category"`
	Reporter   string    `json:"reporter"`
	Candidates []string  `json:"candidates"` // empty: the whole room
	Text       string    `json:"text"`
	// Record, when set, is the act's audit entry, stored in the same write
	// as the incident or not at all.
	Record *audit.Entry `json:"-"`
}

// incidentCategories are the categories of an incident.
var incidentCategories = []string{"environment", "candidate", "staff", "technical", "other"}

// IncidentCategories returns the categories of an incident.
func IncidentCategories() []string { return slices.Clone(incidentCategories) }

// MaxIncidentText bounds an incident's text, in bytes.
const MaxIncidentText = 4000

func incidentStream(sittingID string) string { return "incidents/" + sittingID }

// LogIncident appends an incident to the sitting's log, stamped with the
// engine's clock, and returns it as stored. An unknown category, an empty
// or long text, or a candidate not booked on the sitting fails with
// ErrBadIncident.
func (e *Engine) LogIncident(ctx context.Context, sittingID string, in Incident) (Incident, error) {
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return Incident{}, err
	}
	in.Text = strings.TrimSpace(in.Text)
	switch {
	case !slices.Contains(incidentCategories, in.Category):
		return Incident{}, fmt.Errorf("%w: category %q is not one of %v", ErrBadIncident, in.Category, incidentCategories)
	case in.Text == "" || len(in.Text) > MaxIncidentText:
		return Incident{}, fmt.Errorf("%w: the text has 1 to %d bytes", ErrBadIncident, MaxIncidentText)
	}
	for _, c := range in.Candidates {
		if !slices.ContainsFunc(s.Candidates, func(b content.Candidate) bool { return b.ID == c }) {
			return Incident{}, fmt.Errorf("%w: candidate %q is not booked on this sitting", ErrBadIncident, c)
		}
	}
	in.Candidates = slices.Compact(slices.Sorted(slices.Values(in.Candidates)))
	if in.Candidates == nil {
		in.Candidates = []string{}
	}
	in.At = e.clock.Now().UTC()
	rec, err := json.Marshal(in)
	if err != nil {
		return Incident{}, err
	}
	if err := e.appendWith(ctx, store.Write{Stream: incidentStream(sittingID), Expect: -1, Records: [][]byte{rec}}, in.Record); err != nil {
		return Incident{}, fmt.Errorf("log incident: %w", err)
	}
	in.Record = nil
	return in, nil
}

// Incidents returns a sitting's incident log, oldest first.
func (e *Engine) Incidents(ctx context.Context, sittingID string) ([]Incident, error) {
	if _, err := e.roster.Sitting(ctx, sittingID); err != nil {
		return nil, err
	}
	recs, err := e.store.Read(ctx, incidentStream(sittingID), 0)
	if err != nil {
		return nil, fmt.Errorf("read incidents: %w", err)
	}
	out := make([]Incident, 0, len(recs))
	for i, r := range recs {
		var in Incident
		if err := json.Unmarshal(r, &in); err != nil {
			return nil, fmt.Errorf("incident %d of %s: %w", i, sittingID, err)
		}
		out = append(out, in)
	}
	return out, nil
}

// IncidentsByCandidate indexes incidents by the candidates they touched:
// for each candidate of the sitting, the positions in ins of the incidents
// naming them or the whole room.
func (e *Engine) IncidentsByCandidate(ctx context.Context, sittingID string, ins []Incident) (map[string][]int, error) {
	out := map[string][]int{}
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	for _, c := range s.Candidates {
		for i, in := range ins {
			if len(in.Candidates) == 0 || slices.Contains(in.Candidates, c.ID) {
				out[c.ID] = append(out[c.ID], i)
			}
		}
	}
	return out, nil
}

// WriteIncidentsCSV writes a sitting's incidents as CSV: sitting, time
// (RFC 3339, UTC), category, reporter, the candidates affected separated by
// spaces ("all" for the whole room) and the text.
func WriteIncidentsCSV(w io.Writer, sittingID string, ins []Incident) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"sitting", "at", "category", "reporter", "candidates", "text"})
	for _, in := range ins {
		who := strings.Join(in.Candidates, " ")
		if who == "" {
			who = "all"
		}
		_ = cw.Write([]string{sittingID, in.At.UTC().Format(time.RFC3339), in.Category, in.Reporter, who, in.Text})
	}
	cw.Flush()
	return cw.Error()
}

// IncidentAttempt is what a psychometrician reads of one candidate's
// attempt beside the incidents that touched it: how it ended, whether it
// is scored, the time added to it and the incidents' positions in the log.
type IncidentAttempt struct {
	Candidate string `json:"candidate"`
	Status    string `json:"status"` // not_joined, waiting, in_progress, submitted
	Reason    string `json:"reason,omitempty"`
	Detail    string `json:"detail,omitempty"` // the invigilator's account of a void or withdrawal
	// Counts: submitted, and neither voided nor withdrawn.
	Counts    bool  `json:"counts"`
	Answered  int   `json:"answered"`
	Items     int   `json:"items"`
	PlannedMS int64 `json:"planned_ms"` // the time the booked adjustment adds
	ExtraMS   int64 `json:"extra_ms"`   // the incident time added (negative: taken)
	// Drops are the drops the running nodes saw; a restarted node forgets.
	Drops     int   `json:"drops"`
	Incidents []int `json:"incidents"` // positions in the log, oldest first
}

// IncidentAttempts lists the sitting's candidates, in booking order, each
// with their attempt and the positions in ins of the incidents naming them
// or the whole room.
func (e *Engine) IncidentAttempts(ctx context.Context, sittingID string, ins []Incident) ([]IncidentAttempt, error) {
	sum, err := e.Sitting(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	by, err := e.IncidentsByCandidate(ctx, sittingID, ins)
	if err != nil {
		return nil, err
	}
	out := make([]IncidentAttempt, 0, len(sum.Candidates))
	for _, r := range sum.Candidates {
		out = append(out, IncidentAttempt{Candidate: r.Candidate, Status: r.Status, Reason: r.Reason, Detail: r.Detail,
			Counts: r.Status == string(StatusSubmitted) && Counts(r.Reason), Answered: r.Answered, Items: r.Items,
			PlannedMS: r.PlannedMS, ExtraMS: r.ExtraMS, Drops: r.Drops, Incidents: append([]int{}, by[r.Candidate]...)})
	}
	return out, nil
}
