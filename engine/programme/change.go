package programme

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
)

// Cancel cancels a person's booking under the change rules: never once
// its sitting has started, nor inside Rules.ChangeCutoff. Cancelling a
// cancelled booking gives back its place if an interruption kept it.
func (p *Programme) Cancel(ctx context.Context, by Actor, person, booking string) error {
	per, err := p.lookupPerson(ctx, person)
	if err != nil {
		return err
	}
	if err := p.mayBook(ctx, "cancel", by, per); err != nil {
		return err
	}
	return p.cancel(ctx, by, per.ID, booking, "cancelled", true)
}

// cancel records the cancellation, then gives back the place. With rules
// false only the start is checked (a withdrawal cancels inside the
// cutoff).
func (p *Programme) cancel(ctx context.Context, by Actor, person, id, why string, rules bool) error {
	_, err := audited(ctx, p, p.persons.get(personStream(person)), nil, func(st *personState) (*record, *audit.Entry, error) {
		b := st.bookings[id]
		if b != nil && b.State == BookingCancelled && b.MovedTo == "" {
			return nil, nil, nil // cancelled before: give back the place below
		}
		now := p.now()
		cutoff := p.rules.ChangeCutoff
		if !rules {
			cutoff = 0
		}
		rs := changeRules(st, id, now, cutoff)
		if err := refuse("cancel", rs); err != nil {
			return nil, nil, err
		}
		e := p.entry(ctx, by, audit.BookingCancel, audit.Target{Kind: audit.TargetPerson, ID: person}, map[string]any{"booking": id, "event": b.Event, "reason": why})
		if e != nil {
			e.Reason = why
		}
		return &record{Kind: recCancel, At: now, By: &by, ID: id, Reason: why}, e, nil
	})
	if err != nil {
		return err
	}
	return p.freeOld(ctx, person, id)
}

// Move moves a live booking to another sitting, role-play day or slot of
// the same kind, under the change rules; the old place is kept until the
// new one is taken. The moved booking keeps its adjustments and their
// approval and gets a new access code.
func (p *Programme) Move(ctx context.Context, by Actor, person, booking, event, slot string) (Booking, error) {
	per, err := p.lookupPerson(ctx, person)
	if err != nil {
		return Booking{}, err
	}
	if err := p.mayBook(ctx, "move", by, per); err != nil {
		return Booking{}, err
	}
	var old Booking
	err = p.persons.get(personStream(per.ID)).view(ctx, p.st, func(st *personState) {
		if b := st.bookings[booking]; b != nil {
			old = *b
		}
	})
	if err != nil {
		return Booking{}, err
	}
	if old.ID == "" {
		return Booking{}, fmt.Errorf("%w: booking %q of %s", ErrNotFound, booking, per.ID)
	}
	b := Booking{ID: newID("bk-"), Person: per.ID, Kind: old.Kind, Event: event, Slot: slot, Code: NewCode(),
		Adjustments: old.Adjustments, Approved: old.Approved, ApprovedBy: old.ApprovedBy, Replaces: old.ID, By: by}
	return p.place(ctx, per, b, audit.BookingMove)
}

// ApproveAdjustments approves the adjustments requested on a booking.
// Only a programme administrator may.
func (p *Programme) ApproveAdjustments(ctx context.Context, by Actor, person, booking string) error {
	if err := p.requireAdmin("approve adjustments", by); err != nil {
		return err
	}
	_, err := audited(ctx, p, p.persons.get(personStream(person)), nil, func(st *personState) (*record, *audit.Entry, error) {
		b := st.bookings[booking]
		var rs []Reason
		switch {
		case b == nil:
			rs = append(rs, reason(CodeNotLive, "%s has no booking %q", person, booking))
		case b.State != BookingLive && b.State != BookingPending:
			rs = append(rs, reason(CodeNotLive, "booking %s is %s", booking, b.State))
		case !b.Adjustments.Any():
			rs = append(rs, reason(CodeAdjustment, "booking %s requests no adjustments", booking))
		case b.Approved:
			return nil, nil, nil
		}
		if err := refuse("approve adjustments", rs); err != nil {
			return nil, nil, err
		}
		e := p.entry(ctx, by, audit.AdjustmentApprove, audit.Target{Kind: audit.TargetPerson, ID: person}, map[string]any{"booking": booking, "adjustments": b.Adjustments})
		return &record{Kind: recApprove, At: p.now(), By: &by, ID: booking}, e, nil
	})
	return err
}

// Attendee is a person with a place, as the sitting's room needs them.
type Attendee struct {
	Booking Booking
	// Candidate carries the access code and the approved extra time into
	// the attempt; unapproved adjustments are not applied.
	Candidate content.Candidate
}

// Attendance lists the people with a place at event, with their codes
// and approved adjustments, in booking order.
func (p *Programme) Attendance(ctx context.Context, kind Kind, event string) ([]Attendee, error) {
	var seats []Seat
	err := p.ledgers.get(eventStream(kind, event)).view(ctx, p.st, func(l *ledger) {
		for _, s := range l.seats {
			seats = append(seats, *s)
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]Attendee, 0, len(seats))
	for _, s := range seats {
		per, err := p.lookupPerson(ctx, s.Person)
		if err != nil {
			return nil, err
		}
		var b Booking
		err = p.persons.get(personStream(s.Person)).view(ctx, p.st, func(st *personState) {
			if x := st.bookings[s.Booking]; x != nil {
				b = *x
			}
		})
		if err != nil {
			return nil, err
		}
		c := content.Candidate{ID: per.ID, Name: per.Name, Employer: per.Employer, AccessCode: s.Code}
		if b.Approved {
			c.Accommodation = b.Adjustments.TimeFactor
		}
		out = append(out, Attendee{Booking: b, Candidate: c})
	}
	sortAttendees(out)
	return out, nil
}

func sortAttendees(as []Attendee) {
	slices.SortFunc(as, func(a, b Attendee) int {
		if c := a.Booking.Made.Compare(b.Booking.Made); c != 0 {
			return c
		}
		return strings.Compare(a.Booking.ID, b.Booking.ID)
	})
}
