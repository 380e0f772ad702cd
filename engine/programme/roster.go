package programme

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/accredit/accredit/engine/content"
)

// The programme's knowledge sittings as the delivery engine sees them:
// each sitting with the candidates holding a place on it, each with the
// access code issued at booking and the extra time approved. A place taken
// on any node is seen here at the next read of the sitting's stream; a
// cancelled or moved booking's code stops working at once, because every
// code is checked against the stream as stored before it is accepted.

// rosterCache keeps the last content.Sitting built from each sitting's
// ledger, and which sitting each issued code belongs to.
type rosterCache struct {
	mu       sync.Mutex
	sittings map[string]cachedSitting
	codes    map[string]string // normalised code -> sitting id
}

type cachedSitting struct {
	n     int // ledger records it was built from
	s     *content.Sitting
	seats map[string]Seat // by normalised code
}

// DeliverySittings lists the knowledge sittings' ids, sorted.
func (p *Programme) DeliverySittings(ctx context.Context) ([]string, error) {
	ids, err := p.Events(ctx, Knowledge)
	slices.Sort(ids)
	return ids, err
}

// DeliverySitting returns knowledge sitting id with its booked candidates,
// read from the store; ErrNotFound when there is no such sitting. The
// result is shared: read it, never change it.
func (p *Programme) DeliverySitting(ctx context.Context, id string) (*content.Sitting, error) {
	c, err := p.deliverySitting(ctx, id)
	return c.s, err
}

func (p *Programme) deliverySitting(ctx context.Context, id string) (cachedSitting, error) {
	if checkID(id) != "" {
		return cachedSitting{}, fmt.Errorf("%w: sitting %q", ErrNotFound, id)
	}
	var def *Sitting
	var seats []Seat
	var n int
	err := p.ledgers.get(eventStream(Knowledge, id)).view(ctx, p.st, func(l *ledger) {
		if l.sitting == nil {
			return
		}
		def, n = l.sitting, l.n
		if c, ok := p.cached(id); ok && c.n == n {
			return
		}
		for _, s := range l.seats {
			seats = append(seats, *s)
		}
	})
	if err != nil {
		return cachedSitting{}, err
	}
	if def == nil {
		return cachedSitting{}, fmt.Errorf("%w: sitting %q", ErrNotFound, id)
	}
	if c, ok := p.cached(id); ok && c.n == n {
		return c, nil
	}
	c := cachedSitting{n: n, seats: make(map[string]Seat, len(seats)),
		s: &content.Sitting{ID: def.ID, Form: def.Form, Centre: def.Centre, Scheduled: def.Start,
			Invigilators: def.Invigilators, Candidates: make([]content.Candidate, 0, len(seats)),
			SittingRules: def.rules()}}
	for _, seat := range seats {
		cand, err := p.seatCandidate(ctx, seat, false)
		if err != nil {
			return cachedSitting{}, err
		}
		c.s.Candidates = append(c.s.Candidates, cand)
		c.seats[content.NormCode(seat.Code)] = seat
	}
	slices.SortFunc(c.s.Candidates, func(a, b content.Candidate) int { return strings.Compare(a.ID, b.ID) })
	p.roster.mu.Lock()
	if old, ok := p.roster.sittings[id]; !ok || old.n < n {
		p.roster.sittings[id] = c
	}
	for code := range c.seats {
		p.roster.codes[code] = id
	}
	p.roster.mu.Unlock()
	return c, nil
}

func (p *Programme) cached(id string) (cachedSitting, bool) {
	p.roster.mu.Lock()
	defer p.roster.mu.Unlock()
	c, ok := p.roster.sittings[id]
	return c, ok
}

// seatCandidate is the candidate holding seat: their name and employer,
// the seat's code, and the extra time if approved. fresh reads the
// person's stream first, so that an approval made on another node counts.
func (p *Programme) seatCandidate(ctx context.Context, seat Seat, fresh bool) (content.Candidate, error) {
	per, err := p.lookupPerson(ctx, seat.Person)
	if err != nil {
		return content.Candidate{}, err
	}
	c := content.Candidate{ID: per.ID, Name: per.Name, Employer: per.Employer, AccessCode: seat.Code}
	read := func(st *personState) {
		if b := st.bookings[seat.Booking]; b != nil && b.Approved {
			c.Accommodation, c.LargerText = b.Adjustments.TimeFactor, b.Adjustments.LargerText
		}
	}
	w := p.persons.get(personStream(per.ID))
	if fresh {
		err = w.view(ctx, p.st, read)
	} else {
		err = w.peek(ctx, p.st, read)
	}
	return c, err
}

// ByAccessCode finds the knowledge sitting and candidate an issued access
// code admits, checked against the sitting's stream as stored: only a live
// place's code is accepted. ErrNotFound when no live place has the code.
func (p *Programme) ByAccessCode(ctx context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	norm := content.NormCode(code)
	p.roster.mu.Lock()
	id, ok := p.roster.codes[norm]
	p.roster.mu.Unlock()
	if !ok && norm != "" {
		// A code this node has not seen: another node issued it, or it
		// is wrong. Read every sitting to know.
		ids, err := p.DeliverySittings(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, sid := range ids {
			if _, err := p.deliverySitting(ctx, sid); err != nil {
				return nil, nil, err
			}
		}
		p.roster.mu.Lock()
		id, ok = p.roster.codes[norm]
		p.roster.mu.Unlock()
	}
	if !ok {
		return nil, nil, fmt.Errorf("%w: access code", ErrNotFound)
	}
	c, err := p.deliverySitting(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	seat, ok := c.seats[norm]
	if !ok {
		// Given back (cancelled, moved) since it was indexed.
		p.roster.mu.Lock()
		if p.roster.codes[norm] == id {
			delete(p.roster.codes, norm)
		}
		p.roster.mu.Unlock()
		return nil, nil, fmt.Errorf("%w: access code", ErrNotFound)
	}
	cand, err := p.seatCandidate(ctx, seat, true)
	if err != nil {
		return nil, nil, err
	}
	return c.s, &cand, nil
}
