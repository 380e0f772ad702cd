package results

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// Roster says who is decided and where their evidence is.
type Roster interface {
	// Candidates lists every person to decide.
	Candidates(ctx context.Context) ([]Candidate, error)
	// Candidate returns one person; ErrNotFound if unknown.
	Candidate(ctx context.Context, person string) (Candidate, error)
	// FromBookings builds a person's Candidate from their bookings, for
	// the booking Gate, which may not read the person's record itself.
	FromBookings(ctx context.Context, per programme.Person, bookings []programme.Booking) (Candidate, error)
	// Form returns the form of a knowledge sitting.
	Form(ctx context.Context, sitting string) (string, error)
}

// ProgrammeRoster is the Roster of a Programme: every person, with the
// live bookings that count. Sittings' forms and role-play days' circuits
// never change, so it keeps them once read.
type ProgrammeRoster struct {
	P *programme.Programme

	mu     sync.Mutex        // protects events
	events map[string]string // "knowledge/"+sitting to form, "roleplay/"+day to circuit
}

var _ Roster = (*ProgrammeRoster)(nil)

// Candidates lists every person by id.
func (r *ProgrammeRoster) Candidates(ctx context.Context) ([]Candidate, error) {
	people, err := r.P.People(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, 0, len(people))
	for _, per := range people {
		rec, err := r.P.Record(ctx, per.ID)
		if err != nil {
			return nil, err
		}
		c, err := r.FromBookings(ctx, per, rec.Bookings)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Candidate returns person's Candidate.
func (r *ProgrammeRoster) Candidate(ctx context.Context, person string) (Candidate, error) {
	rec, err := r.P.Record(ctx, person)
	if errors.Is(err, programme.ErrNotFound) {
		return Candidate{}, fmt.Errorf("%w: %v", ErrNotFound, err)
	}
	if err != nil {
		return Candidate{}, err
	}
	return r.FromBookings(ctx, rec.Person, rec.Bookings)
}

// FromBookings counts the person's latest live knowledge booking and
// latest live role-play booking. The cohort start is the knowledge
// sitting's, or the role-play's when that is a re-sit (an earlier live
// role-play booking exists) starting later.
func (r *ProgrammeRoster) FromBookings(ctx context.Context, per programme.Person, bookings []programme.Booking) (Candidate, error) {
	c := Candidate{Person: per.ID, Employer: per.Employer, Status: per.Seeks}
	var k, rp *programme.Booking
	roleplays := 0
	for i := range bookings {
		b := &bookings[i]
		if b.State != programme.BookingLive {
			continue
		}
		switch b.Kind {
		case programme.Knowledge:
			k = b
		case programme.RolePlay:
			rp = b
			roleplays++
		}
	}
	if k != nil {
		c.Status, c.Sitting, c.KnowledgeStart, c.Start = k.Status, k.Event, k.Start, k.Start
	}
	if rp != nil {
		circuit, err := r.event(ctx, programme.RolePlay, rp.Event)
		if err != nil {
			return Candidate{}, err
		}
		c.Circuit, c.RolePlayStart = circuit, rp.Start
		if k == nil {
			c.Status, c.Start = rp.Status, rp.Start
		} else if roleplays > 1 && rp.Start.After(c.Start) {
			c.Start = rp.Start
		}
	}
	return c, nil
}

// Form returns the form of a knowledge sitting.
func (r *ProgrammeRoster) Form(ctx context.Context, sitting string) (string, error) {
	return r.event(ctx, programme.Knowledge, sitting)
}

func (r *ProgrammeRoster) event(ctx context.Context, kind programme.Kind, id string) (string, error) {
	key := string(kind) + "/" + id
	r.mu.Lock()
	v, ok := r.events[key]
	r.mu.Unlock()
	if ok {
		return v, nil
	}
	a, err := r.P.Availability(ctx, kind, id)
	if err != nil {
		return "", err
	}
	switch {
	case a.Sitting != nil:
		v = a.Sitting.Form
	case a.Day != nil:
		v = a.Day.Circuit
	}
	r.mu.Lock()
	if r.events == nil {
		r.events = map[string]string{}
	}
	r.events[key] = v
	r.mu.Unlock()
	return v, nil
}

// started reports whether t is set and not after now.
func started(t, now time.Time) bool { return !t.IsZero() && !t.After(now) }
