package programme

import (
	"context"
	"time"
)

// Gate is a further booking rule, consulted by Book and Move after the
// programme's own: the results' re-sit rules (engine/results) are one.
// MayBook returns every reason q may not be booked, none meaning it may;
// an error refuses the booking without a reason (the gate could not
// decide). It is called while the person's stream is being decided, so it
// must not call back into the Programme for that person, and it may be
// called more than once for one booking.
//
// With a Gate, a live booking whose event has started no longer blocks a
// new booking of its kind: whether the person may sit again is the gate's
// to say. Without one, a person sits each kind once.
type Gate interface {
	MayBook(ctx context.Context, q GateQuery) ([]Reason, error)
}

// GateQuery is a booking the Gate is asked about.
type GateQuery struct {
	Person Person
	Status Status    // the assessment booked
	Kind   Kind      // knowledge or roleplay
	Event  string    // the sitting or role-play day
	Form   string    // the sitting's form or the day's circuit
	Start  time.Time // the sitting's or slot's start
	Now    time.Time
	// Bookings are the person's bookings so far, in the order begun,
	// the booking asked about excluded.
	Bookings []Booking
}

// assessment is the form of a sitting or the circuit of a role-play day.
func (l *ledger) assessment() string {
	switch {
	case l.sitting != nil:
		return l.sitting.Form
	case l.day != nil:
		return l.day.Circuit
	}
	return ""
}

// gated returns the Gate's reasons for b, or nil without a Gate.
func (p *Programme) gated(ctx context.Context, per Person, st *personState, b *Booking, form string, now time.Time) ([]Reason, error) {
	if p.gate == nil {
		return nil, nil
	}
	_, bs := st.snapshot()
	return p.gate.MayBook(ctx, GateQuery{Person: per, Status: b.Status, Kind: b.Kind, Event: b.Event, Form: form,
		Start: b.Start, Now: now, Bookings: bs})
}
