package programme

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
)

// Adjustments are reasonable adjustments requested at booking.
type Adjustments struct {
	// TimeFactor multiplies the time limit: 0 for none, else more than 1
	// and at most Rules.MaxTimeFactor (1.25 for 25% extra time).
	TimeFactor   float64 `json:"time_factor,omitempty"`
	LargerText   bool    `json:"larger_text,omitempty"`
	RestBreaks   bool    `json:"rest_breaks,omitempty"`
	SeparateRoom bool    `json:"separate_room,omitempty"`
}

// Any reports whether any adjustment is requested.
func (a Adjustments) Any() bool { return a != Adjustments{} }

// Booking is a person's place at a sitting or on a role-play day.
type Booking struct {
	ID     string    `json:"id"`
	Person string    `json:"person"`
	Kind   Kind      `json:"kind"`
	Event  string    `json:"event"` // the sitting or role-play day
	Slot   string    `json:"slot,omitempty"`
	Status Status    `json:"status"` // the assessment booked
	Start  time.Time `json:"start"`
	// Code is the access code issued to the candidate.
	Code        string      `json:"code"`
	Adjustments Adjustments `json:"adjustments,omitzero"`
	Approved    bool        `json:"approved,omitempty"` // the adjustments, by an administrator
	ApprovedBy  string      `json:"approved_by,omitempty"`
	Replaces    string      `json:"replaces,omitempty"` // the booking this one moves
	By          Actor       `json:"by"`
	Made        time.Time   `json:"made"`
	// Source is the content file an imported booking came from
	// (importfiles.go); "" for a booking made in the programme.
	Source string `json:"source,omitempty"`

	State   BookingState `json:"state,omitempty"`
	Reason  string       `json:"reason,omitempty"`   // why refused or cancelled
	MovedTo string       `json:"moved_to,omitempty"` // the booking that replaced this one
	Changed time.Time    `json:"changed,omitzero"`
}

// Request asks for a booking.
type Request struct {
	Person      string
	Kind        Kind
	Event       string
	Slot        string // on a role-play day
	Adjustments Adjustments
}

// errStale is returned by a hold decision that found an interrupted
// booking to clear first.
var errStale = errors.New("interrupted booking")

// Book books req.Person a place; the candidate, their employer's staff or
// a programme administrator may. Every reason it may not is returned.
func (p *Programme) Book(ctx context.Context, by Actor, req Request) (Booking, error) {
	per, err := p.lookupPerson(ctx, req.Person)
	if err != nil {
		return Booking{}, err
	}
	if err := p.mayBook(ctx, "book", by, per); err != nil {
		return Booking{}, err
	}
	b := Booking{ID: newID("bk-"), Person: per.ID, Kind: req.Kind, Event: req.Event, Slot: req.Slot,
		Code: NewCode(), Adjustments: req.Adjustments, By: by}
	return p.place(ctx, per, b, audit.BookingCreate)
}

// mayBook lets the person themselves, their employer's staff or an
// administrator act on their bookings.
func (p *Programme) mayBook(ctx context.Context, op string, by Actor, per Person) error {
	if by.Kind == ActorCandidate && by.ID == per.ID {
		return nil
	}
	return p.employerSide(ctx, op, by, per)
}

// place takes b's place: a hold on the person's stream (nobody holds two
// of a kind), then the place on the event's stream (capacity), then the
// confirmation. A refused place releases the hold.
func (p *Programme) place(ctx context.Context, per Person, b Booking, act audit.Action) (Booking, error) {
	if b.Kind != Knowledge && b.Kind != RolePlay {
		return Booking{}, refuse("book", []Reason{reason(CodeInvalid, "kind %q: want knowledge or roleplay", b.Kind)})
	}
	lw := p.ledgers.get(eventStream(b.Kind, b.Event))
	var status Status
	var form string
	var ok bool
	look := func(l *ledger) { status, b.Start, ok = slotOf(l, b.Slot); form = l.assessment() }
	if err := lw.peek(ctx, p.st, look); err != nil {
		return Booking{}, err
	}
	if !ok { // defined since this node read it?
		if err := lw.view(ctx, p.st, look); err != nil {
			return Booking{}, err
		}
	}
	if !ok {
		return Booking{}, fmt.Errorf("%w: %s %q slot %q", ErrNotFound, b.Kind, b.Event, b.Slot)
	}
	b.Status = status
	pw := p.persons.get(personStream(per.ID))
	if b.Replaces == "" && !p.notAtomic.Load() {
		nb, err := p.placeOnce(ctx, per, b, form, act)
		if !errors.Is(err, store.ErrNotAtomic) {
			return nb, err
		}
		p.notAtomic.Store(true)
	}
	for range 3 {
		var stale Booking
		var ent *audit.Entry
		_, err := pw.do(ctx, p.st, func(st *personState) (rec *record, err error) {
			rec, ent, err = p.decideHold(ctx, per, st, &b, form, &stale, act)
			return rec, err
		})
		if errors.Is(err, errStale) {
			if err := p.resolve(ctx, stale); err != nil {
				return Booking{}, err
			}
			continue
		}
		if err != nil {
			return Booking{}, err
		}
		return p.seat(ctx, b, ent)
	}
	return Booking{}, ErrBusy
}

// placeOnce takes a new booking's place and the person's record of it in
// one durable write: the booking is decided on the person's stream as
// stored, and its seat is stored with a booked record on that stream only
// if the stream has not moved since. A move decides it again.
func (p *Programme) placeOnce(ctx context.Context, per Person, b Booking, form string, act audit.Action) (Booking, error) {
	pw := p.persons.get(personStream(per.ID))
	lw := p.ledgers.get(eventStream(b.Kind, b.Event))
	for range 5 {
		var stale Booking
		var hold *record
		var ent *audit.Entry
		var n int64
		var derr error
		nb := b
		err := pw.viewAt(ctx, p.st, func(st *personState, at int64) {
			n = at
			hold, ent, derr = p.decideHold(ctx, per, st, &nb, form, &stale, act)
		})
		if err == nil {
			err = derr
		}
		if errors.Is(err, errStale) {
			if err := p.resolve(ctx, stale); err != nil {
				return Booking{}, err
			}
			continue
		}
		if err != nil {
			return Booking{}, err
		}
		booked := &record{Kind: recBooked, At: hold.At, By: hold.By, Booking: hold.Booking}
		side := &sideWrite{stream: pw.stream, n: n, rec: booked}
		seat := Seat{Booking: nb.ID, Person: nb.Person, Slot: nb.Slot, Code: nb.Code}
		_, err = audited(ctx, p, lw, side, func(l *ledger) (*record, *audit.Entry, error) {
			rec, err := l.decideSeat(seat, p.now())
			return rec, ent, err
		})
		if errors.Is(err, errSideMoved) {
			continue
		}
		if err != nil {
			return Booking{}, err
		}
		pw.adoptRec(ctx, p.st, n, booked)
		nb.State = BookingLive
		return nb, nil
	}
	return Booking{}, ErrBusy
}

// decideHold decides whether b may be begun, and returns the hold and the
// audit entry of the act, to be stored with the booking's seat; stale is
// set with errStale.
func (p *Programme) decideHold(ctx context.Context, per Person, st *personState, b *Booking, form string, stale *Booking, act audit.Action) (*record, *audit.Entry, error) {
	now := p.now()
	rs := p.eligibility(per, st, b.Status, b.Start, now)
	if !now.Before(b.Start) {
		rs = append(rs, reason(CodeStarted, "%s %s started at %s", b.Kind, b.Event, b.Start.Format(time.RFC3339)))
	}
	if f := b.Adjustments.TimeFactor; f != 0 && (f <= 1 || f > p.rules.MaxTimeFactor) {
		rs = append(rs, reason(CodeAdjustment, "extra time factor %g: want more than 1 and at most %g", f, p.rules.MaxTimeFactor))
	}
	gr, err := p.gated(ctx, per, st, b, form, now)
	if err != nil {
		return nil, nil, err
	}
	rs = append(rs, gr...)
	if a := st.active(b.Kind); a != nil && a.ID != b.Replaces && !(p.gate != nil && a.State == BookingLive && !now.Before(a.Start)) {
		switch {
		case a.State == BookingPending && now.Sub(a.Made) >= p.rules.HoldTimeout:
			*stale = *a
			return nil, nil, errStale
		case a.State == BookingPending:
			rs = append(rs, reason(CodeInProgress, "%s has a %s booking in progress (%s)", per.ID, b.Kind, a.ID))
		default:
			rs = append(rs, reason(CodeAlreadyBooked, "%s is booked already on %s %s (%s)", per.ID, b.Kind, a.Event, a.ID))
		}
	}
	if b.Replaces != "" {
		rs = append(rs, changeRules(st, b.Replaces, now, p.rules.ChangeCutoff)...)
		if m := st.pendingMove(b.Replaces); m != nil {
			rs = append(rs, reason(CodeInProgress, "booking %s is being moved already (%s)", b.Replaces, m.ID))
		}
	}
	if err := refuse("book", rs); err != nil {
		return nil, nil, err
	}
	b.Made = now
	e := p.entry(ctx, b.By, act, audit.Target{Kind: audit.TargetPerson, ID: per.ID},
		map[string]any{"booking": b.ID, "kind": b.Kind, "event": b.Event, "slot": b.Slot, "replaces": b.Replaces, "adjustments": b.Adjustments})
	return &record{Kind: recHold, At: now, By: &b.By, Booking: b}, e, nil
}

// changeRules returns why booking id may not be cancelled or moved now,
// with changes allowed until cutoff before the start.
func changeRules(st *personState, id string, now time.Time, cutoff time.Duration) []Reason {
	old := st.bookings[id]
	switch {
	case old == nil:
		return []Reason{reason(CodeNotLive, "no booking %q", id)}
	case old.State != BookingLive:
		return []Reason{reason(CodeNotLive, "booking %s is %s", id, old.State)}
	case !now.Before(old.Start):
		return []Reason{reason(CodeStarted, "%s %s has started: no change now", old.Kind, old.Event)}
	case cutoff > 0 && !now.Before(old.Start.Add(-cutoff)):
		return []Reason{reason(CodeTooLate, "bookings change no later than %s before the start", cutoff)}
	}
	return nil
}

// seat takes the place of a held booking, the act recorded in the audit
// log with entry e, and confirms or releases it.
func (p *Programme) seat(ctx context.Context, b Booking, e *audit.Entry) (Booking, error) {
	lw := p.ledgers.get(eventStream(b.Kind, b.Event))
	seat := Seat{Booking: b.ID, Person: b.Person, Slot: b.Slot, Code: b.Code, Replaces: b.Replaces}
	_, err := audited(ctx, p, lw, nil, func(l *ledger) (*record, *audit.Entry, error) {
		rec, err := l.decideSeat(seat, p.now())
		return rec, e, err
	})
	var refused *RefusedError
	if errors.As(err, &refused) {
		if rerr := p.settle(ctx, b, false, refused.Error()); rerr != nil {
			return Booking{}, errors.Join(err, rerr)
		}
		return Booking{}, err
	}
	if err != nil {
		return Booking{}, err
	}
	if err := p.settle(ctx, b, true, ""); err != nil {
		return Booking{}, fmt.Errorf("place taken, confirmation not stored: %w", err)
	}
	if b.Replaces != "" {
		if err := p.freeOld(ctx, b.Person, b.Replaces); err != nil {
			return Booking{}, err
		}
	}
	b.State = BookingLive
	return b, nil
}

// settle confirms b (it has its place) or releases it with why.
func (p *Programme) settle(ctx context.Context, b Booking, placed bool, why string) error {
	_, err := p.persons.get(personStream(b.Person)).do(ctx, p.st, func(st *personState) (*record, error) {
		cur := st.bookings[b.ID]
		if cur == nil || cur.State != BookingPending {
			return nil, nil
		}
		if placed {
			return &record{Kind: recConfirm, At: p.now(), ID: b.ID}, nil
		}
		return &record{Kind: recRelease, At: p.now(), ID: b.ID, Reason: why}, nil
	})
	return err
}

// resolve settles an interrupted booking: the event's stream decides
// whether it took its place, barring it for good if not.
func (p *Programme) resolve(ctx context.Context, b Booking) error {
	var placed bool
	_, err := p.ledgers.get(eventStream(b.Kind, b.Event)).do(ctx, p.st, func(l *ledger) (*record, error) {
		rec, seated := l.decideVoid(b.ID, p.now())
		placed = seated
		return rec, nil
	})
	if err != nil {
		return err
	}
	if err := p.settle(ctx, b, placed, "interrupted before its place was taken"); err != nil {
		return err
	}
	if placed && b.Replaces != "" {
		return p.freeOld(ctx, b.Person, b.Replaces)
	}
	return nil
}

// freeOld gives back the place of a person's booking id.
func (p *Programme) freeOld(ctx context.Context, person, id string) error {
	var old Booking
	err := p.persons.get(personStream(person)).view(ctx, p.st, func(st *personState) {
		if b := st.bookings[id]; b != nil {
			old = *b
		}
	})
	if err != nil || old.ID == "" {
		return err
	}
	_, err = p.ledgers.get(eventStream(old.Kind, old.Event)).do(ctx, p.st, func(l *ledger) (*record, error) {
		return l.decideFree(id, p.now()), nil
	})
	return err
}
