package engine

import (
	"context"
	"errors"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// AttemptSummary is one line of an invigilator's view of a sitting: one
// candidate. It holds no answers.
type AttemptSummary struct {
	Candidate string `json:"candidate"`
	Name      string `json:"name"`
	// Status is not_joined, waiting, in_progress, paused (in progress with
	// its clock stopped by the invigilator) or submitted.
	Status   string `json:"status"`
	Answered int    `json:"answered"`
	Flagged  int    `json:"flagged"`
	Items    int    `json:"items"`
	// Position is the screen the candidate is on: 0 to Items-1 a
	// question, Items the review screen.
	Position    int    `json:"position"`
	RemainingMS int64  `json:"remaining_ms"`
	Connected   bool   `json:"connected"`
	Drops       int    `json:"drops"`
	Reason      string `json:"reason,omitempty"`
	Detail      string `json:"detail,omitempty"` // the invigilator's account of a void or withdrawal
	CheckedIn   bool   `json:"checked_in"`
	// NeedsAdmit: past the late cut-off, not joined and not admitted.
	NeedsAdmit bool   `json:"needs_admit,omitempty"`
	Paused     bool   `json:"paused"`
	PauseNote  string `json:"pause_reason,omitempty"`
	// Accommodation is the planned time factor (1.25 for +25%);
	// PlannedMS the time it adds; ExtraMS the incident time since.
	Accommodation float64    `json:"accommodation"`
	PlannedMS     int64      `json:"planned_ms"`
	ExtraMS       int64      `json:"extra_ms"`
	LastActivity  *time.Time `json:"last_activity,omitempty"`
	// AwaySince: the candidate left during the test, where rejoins need
	// approval; NeedsRejoin: away longer than the grace, so their rejoin
	// waits for the invigilator; RejoinApproved: it no longer does.
	AwaySince      *time.Time `json:"away_since,omitempty"`
	NeedsRejoin    bool       `json:"needs_rejoin,omitempty"`
	RejoinApproved bool       `json:"rejoin_approved,omitempty"`
}

// StatusPausedView is the room's status of an attempt in progress whose
// clock the invigilator has stopped: not an attempt status of its own.
const StatusPausedView = "paused"

// SittingSummary is an invigilator's view of a sitting.
type SittingSummary struct {
	ID            string               `json:"id"`
	Centre        string               `json:"centre"`
	Form          string               `json:"form"`
	Released      bool                 `json:"released"`
	ReleasedAt    *time.Time           `json:"released_at,omitempty"`
	Rules         content.SittingRules `json:"rules"`
	VoidReasons   []string             `json:"void_reasons"`
	Announcements []Announcement       `json:"announcements"`
	Candidates    []AttemptSummary     `json:"candidates"`
}

// Sitting summarises a sitting for its invigilator, read from the store.
func (e *Engine) Sitting(ctx context.Context, sittingID string) (*SittingSummary, error) {
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	st, err := e.freshSitting(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	out := &SittingSummary{ID: s.ID, Centre: s.Centre, Form: s.Form, Released: st.released,
		Rules: s.SittingRules, VoidReasons: s.Reasons(), Announcements: append([]Announcement{}, st.announcements...)}
	out.Rules.VoidReasons = nil
	if st.released {
		t := st.releasedAt
		out.ReleasedAt = &t
	}
	for i := range s.Candidates {
		sum, err := e.summary(ctx, s, &s.Candidates[i], st)
		if err != nil {
			return nil, err
		}
		out.Candidates = append(out.Candidates, sum)
	}
	return out, nil
}

// Rows summarises some candidates of a sitting, in the order given;
// candidates not booked on it are left out.
func (e *Engine) Rows(ctx context.Context, sittingID string, cands []string) ([]AttemptSummary, error) {
	st, err := e.freshSitting(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	out := []AttemptSummary{}
	for _, id := range cands {
		c := bookedOn(s, id)
		if c == nil {
			continue
		}
		sum, err := e.summary(ctx, s, c, st)
		if err != nil {
			return nil, err
		}
		out = append(out, sum)
	}
	return out, nil
}

// summary is one candidate's line, caught up with the store.
func (e *Engine) summary(ctx context.Context, s *content.Sitting, c *content.Candidate, st *sitting) (AttemptSummary, error) {
	sum := AttemptSummary{Candidate: c.ID, Name: c.Name, Status: "not_joined", Accommodation: c.TimeFactor(),
		CheckedIn: st.checkedIn[c.ID]}
	form := e.lib.Forms[s.Form]
	limit := time.Duration(float64(form.TimeLimit) * c.TimeFactor()).Round(time.Second)
	sum.PlannedMS = (limit - time.Duration(form.TimeLimit)).Milliseconds()
	id := AttemptID(s.ID, c.ID)
	l, err := e.load(ctx, id)
	switch {
	case errors.Is(err, ErrUnknownAttempt):
		sum.NeedsAdmit = s.LateAfterMinutes > 0 && admission(&s.SittingRules, st, c.ID, false, e.clock.Now()) != nil &&
			(!s.CheckIn || st.checkedIn[c.ID])
		return sum, nil
	case err != nil:
		return sum, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.CatchUp(ctx); err != nil {
		return sum, err
	}
	a := l.a
	sum.Status, sum.Answered, sum.Flagged, sum.Items = string(a.Status), len(a.Answers), len(a.Flags), a.lay.count
	sum.Position, sum.RemainingMS, sum.Reason, sum.Detail = a.Position, a.Remaining(e.clock.Now()).Milliseconds(), a.Reason, a.Detail
	sum.Paused, sum.PauseNote, sum.ExtraMS = a.Paused, a.PauseNote, a.Extra.Milliseconds()
	if a.Paused && a.Status == StatusInProgress {
		sum.Status = StatusPausedView
	}
	sum.Connected, sum.Drops = e.presenceOf(id)
	sum.Connected = sum.Connected || l.peer != nil
	if !a.LastAt.IsZero() {
		t := a.LastAt
		sum.LastActivity = &t
	}
	if a.Away && a.Status == StatusInProgress {
		t := a.AwaySince
		sum.AwaySince, sum.RejoinApproved = &t, a.RejoinApproved
		sum.NeedsRejoin = !a.RejoinApproved && e.clock.Now().Sub(t) > s.RejoinGrace()
	}
	return sum, nil
}
