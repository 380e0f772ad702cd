package programme

import (
	"fmt"
	"time"
)

// Outcome is a supervisor's endorsement decision.
type Outcome string

// Outcomes.
const (
	Ready  Outcome = "ready"
	NotYet Outcome = "not_yet"
)

// Endorsement is a supervisor's practice endorsement of a person for a
// status, after reflective supervision.
type Endorsement struct {
	ID         string      `json:"id"` // set when recorded
	Person     string      `json:"person"`
	Status     Status      `json:"status"`
	Supervisor string      `json:"supervisor"` // set from the actor
	Sessions   []time.Time `json:"sessions"`   // days of the reflective supervision sessions
	Summary    string      `json:"summary"`
	// FeedbackConsidered says service-user feedback was considered; it
	// must be, with FeedbackSummary.
	FeedbackConsidered bool    `json:"feedback_considered"`
	FeedbackSummary    string  `json:"feedback_summary"`
	Outcome            Outcome `json:"outcome"`
	Reason             string  `json:"reason,omitempty"` // why not yet
	// At and Expires are set when recorded.
	At      time.Time `json:"at"`
	Expires time.Time `json:"expires"`
	// Withdrawn, WithdrawnBy and WithdrawnReason are set by a withdrawal.
	Withdrawn       time.Time `json:"withdrawn,omitzero"`
	WithdrawnBy     string    `json:"withdrawn_by,omitempty"`
	WithdrawnReason string    `json:"withdrawn_reason,omitempty"`
}

// Live reports whether e lets its person book at time t.
func (e *Endorsement) Live(t time.Time) bool {
	return e.Outcome == Ready && e.Withdrawn.IsZero() && t.Before(e.Expires)
}

// BookingState is where a booking stands.
type BookingState string

// Booking states.
const (
	BookingPending   BookingState = "pending"   // begun; its place not yet confirmed
	BookingLive      BookingState = "live"      // has its place
	BookingRefused   BookingState = "refused"   // never had a place (Reason says why)
	BookingCancelled BookingState = "cancelled" // cancelled, or moved to another booking
)

// personState is the copy of a person's stream: their endorsements and
// bookings.
type personState struct {
	endorsements []*Endorsement // in order recorded
	bookings     map[string]*Booking
	order        []string // booking ids in order begun
}

func newPersonState() *personState { return &personState{bookings: map[string]*Booking{}} }

func (s *personState) apply(r *record) error {
	if r.Kind == recEndorse {
		e := *r.Endorsement
		s.endorsements = append(s.endorsements, &e)
		return nil
	}
	if r.Kind == recHold || r.Kind == recBooked {
		b := *r.Booking
		b.State = BookingPending
		if r.Kind == recBooked {
			b.State = BookingLive
		}
		s.bookings[b.ID] = &b
		s.order = append(s.order, b.ID)
		return nil
	}
	if r.Kind == recWithdraw {
		e := s.endorsement(r.ID)
		if e == nil {
			return fmt.Errorf("withdraw of unknown endorsement %q", r.ID)
		}
		e.Withdrawn, e.WithdrawnBy, e.WithdrawnReason = r.At, r.By.ID, r.Reason
		return nil
	}
	b := s.bookings[r.ID]
	if b == nil {
		return fmt.Errorf("%s of unknown booking %q", r.Kind, r.ID)
	}
	switch r.Kind {
	case recConfirm:
		b.State = BookingLive
		if old := s.bookings[b.Replaces]; old != nil {
			old.State, old.MovedTo, old.Changed = BookingCancelled, b.ID, r.At
		}
	case recRelease:
		b.State, b.Reason, b.Changed = BookingRefused, r.Reason, r.At
	case recCancel:
		b.State, b.Reason, b.Changed = BookingCancelled, r.Reason, r.At
	case recApprove:
		b.Approved, b.ApprovedBy = true, r.By.ID
	default:
		return fmt.Errorf("unexpected %q record", r.Kind)
	}
	return nil
}

func (s *personState) endorsement(id string) *Endorsement {
	for _, e := range s.endorsements {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// latest returns the latest endorsement for status, or nil.
func (s *personState) latest(status Status) *Endorsement {
	for i := len(s.endorsements) - 1; i >= 0; i-- {
		if s.endorsements[i].Status == status {
			return s.endorsements[i]
		}
	}
	return nil
}

// active returns the person's pending or live booking of kind, or nil;
// a booking that is being replaced by a pending move is the live one.
func (s *personState) active(kind Kind) *Booking {
	var found *Booking
	for _, id := range s.order {
		b := s.bookings[id]
		if b.Kind == kind && b.State == BookingLive {
			found = b
		}
	}
	for _, id := range s.order {
		b := s.bookings[id]
		if b.Kind == kind && b.State == BookingPending && (found == nil || b.Replaces != found.ID) {
			return b
		}
	}
	return found
}

// pendingMove returns a pending booking that replaces id, or nil.
func (s *personState) pendingMove(id string) *Booking {
	for _, b := range s.bookings {
		if b.State == BookingPending && b.Replaces == id {
			return b
		}
	}
	return nil
}

// snapshot copies the person's records for a caller.
func (s *personState) snapshot() ([]Endorsement, []Booking) {
	es := make([]Endorsement, len(s.endorsements))
	for i, e := range s.endorsements {
		es[i] = *e
	}
	bs := make([]Booking, len(s.order))
	for i, id := range s.order {
		bs[i] = *s.bookings[id]
	}
	return es, bs
}
