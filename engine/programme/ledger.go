package programme

import (
	"fmt"
	"time"
)

// Kind is what a booking is for.
type Kind string

// Booking kinds: a person holds at most one live booking of each.
const (
	Knowledge Kind = "knowledge" // a seat at a knowledge-test sitting
	RolePlay  Kind = "roleplay"  // a slot on a role-play day
)

// Sitting is a knowledge-test sitting at a centre.
type Sitting struct {
	ID       string    `json:"id"`
	Centre   string    `json:"centre"`
	Start    time.Time `json:"start"`
	Session  string    `json:"session"` // "morning", "afternoon"
	Capacity int       `json:"capacity"`
	Form     string    `json:"form"`
	Status   Status    `json:"status"` // set from the form's blueprint
	// Invigilators are the staff ids (invigilators of the content's staff
	// file) who run the sitting.
	Invigilators []string `json:"invigilators,omitempty"`
	// RejoinApproval: a candidate whose connection closes during the
	// test and who stays away longer than RejoinGraceSeconds (0 to
	// MaxRejoinGraceSeconds) rejoins only once the invigilator approves;
	// the delivered sitting's rules (content.SittingRules).
	RejoinApproval     bool `json:"rejoin_approval,omitempty"`
	RejoinGraceSeconds int  `json:"rejoin_grace_seconds,omitempty"`
	// CheckIn, LateAfterMinutes, MaxExtraMinutes and VoidReasons are the
	// rest of the room's rules, as a sitting file gives them
	// (content.SittingRules); the zero values are the open room's.
	CheckIn          bool     `json:"check_in,omitempty"`
	LateAfterMinutes int      `json:"late_after_minutes,omitempty"`
	MaxExtraMinutes  int      `json:"max_extra_minutes,omitempty"`
	VoidReasons      []string `json:"void_reasons,omitempty"`
}

// MaxRejoinGraceSeconds bounds a sitting's rejoin grace: a candidate away
// longer than an hour has left the test, not lost the Wi-Fi.
const MaxRejoinGraceSeconds = 3600

// RolePlayDay is a day of role-play circuits at a centre.
type RolePlayDay struct {
	ID      string `json:"id"`
	Centre  string `json:"centre"`
	Circuit string `json:"circuit"`
	Slots   []Slot `json:"slots"`
	Status  Status `json:"status"` // set from the circuit's blueprint
}

// Slot is a start time on a role-play day and the candidates it takes.
type Slot struct {
	ID       string    `json:"id"`
	Start    time.Time `json:"start"`
	Capacity int       `json:"capacity"`
}

// Seat is a place taken at a sitting or on a role-play day.
type Seat struct {
	Booking  string    `json:"booking"`
	Person   string    `json:"person"`
	Slot     string    `json:"slot,omitempty"`
	Code     string    `json:"code"`
	Replaces string    `json:"replaces,omitempty"` // the person's booking it moves from
	At       time.Time `json:"at"`
}

// ledger is the copy of a sitting's or role-play day's stream: its
// definition and its places.
type ledger struct {
	sitting *Sitting
	day     *RolePlayDay
	seats   map[string]*Seat // live places by booking id
	voided  map[string]bool  // bookings that may never take a place
	used    map[string]int   // live places by slot ("" for a sitting)
	persons map[string]string
	n       int // records applied
}

func newLedger() *ledger {
	return &ledger{seats: map[string]*Seat{}, voided: map[string]bool{}, used: map[string]int{}, persons: map[string]string{}}
}

func (l *ledger) defined() bool { return l.sitting != nil || l.day != nil }

func (l *ledger) apply(r *record) error {
	l.n++
	switch {
	case r.Kind == recSitting && !l.defined():
		s := *r.Sitting
		l.sitting = &s
	case r.Kind == recDay && !l.defined():
		d := *r.Day
		l.day = &d
	case r.Kind == recSeat && l.defined():
		s := *r.Seat
		l.seats[s.Booking] = &s
		l.used[s.Slot]++
		l.persons[s.Person] = s.Booking
	case r.Kind == recFree && l.seats[r.ID] != nil:
		s := l.seats[r.ID]
		delete(l.seats, r.ID)
		l.used[s.Slot]--
		if l.persons[s.Person] == r.ID {
			delete(l.persons, s.Person)
		}
	case r.Kind == recVoid:
		l.voided[r.ID] = true
	default:
		return fmt.Errorf("unexpected %q record", r.Kind)
	}
	return nil
}

// slot returns the start and capacity of slot id ("" on a sitting).
func (l *ledger) slot(id string) (time.Time, int, bool) {
	if l.sitting != nil {
		return l.sitting.Start, l.sitting.Capacity, id == ""
	}
	if l.day != nil {
		for _, s := range l.day.Slots {
			if s.ID == id {
				return s.Start, s.Capacity, true
			}
		}
	}
	return time.Time{}, 0, false
}

// start is when the sitting or the day's first slot starts.
func (l *ledger) start() time.Time {
	if l.sitting != nil {
		return l.sitting.Start
	}
	var t time.Time
	for _, s := range l.day.Slots {
		if t.IsZero() || s.Start.Before(t) {
			t = s.Start
		}
	}
	return t
}

// decideSeat decides whether seat may take its place at now.
func (l *ledger) decideSeat(seat Seat, now time.Time) (*record, error) {
	if prev := l.seats[seat.Booking]; prev != nil {
		return nil, nil // taken already: the request was repeated
	}
	start, capacity, ok := l.slot(seat.Slot)
	var rs []Reason
	switch {
	case !ok:
		rs = append(rs, reason(CodeInvalid, "no slot %q", seat.Slot))
	case !now.Before(start):
		rs = append(rs, reason(CodeStarted, "it started at %s", start.Format(time.RFC3339)))
	case l.voided[seat.Booking]:
		rs = append(rs, reason(CodeNotLive, "booking %s was interrupted and cleared: book again", seat.Booking))
	}
	if other, ok := l.persons[seat.Person]; ok && other != seat.Replaces {
		rs = append(rs, reason(CodeAlreadyBooked, "%s already has a place here (booking %s)", seat.Person, other))
	}
	if ok && l.used[seat.Slot] >= capacity {
		rs = append(rs, reason(CodeFull, "all %d places are taken", capacity))
	}
	if len(rs) > 0 {
		return nil, refuse("book", rs)
	}
	seat.At = now
	return &record{Kind: recSeat, At: now, Seat: &seat}, nil
}

// decideFree gives booking's place back; nothing when it holds none.
func (l *ledger) decideFree(booking string, now time.Time) *record {
	if l.seats[booking] == nil {
		return nil
	}
	return &record{Kind: recFree, At: now, ID: booking}
}

// decideVoid bars booking from ever taking a place, unless it has one;
// it reports whether it has.
func (l *ledger) decideVoid(booking string, now time.Time) (*record, bool) {
	if l.seats[booking] != nil {
		return nil, true
	}
	if l.voided[booking] {
		return nil, false
	}
	return &record{Kind: recVoid, At: now, ID: booking}, false
}

// free reports the places left in each slot.
func (l *ledger) free() map[string]int {
	out := map[string]int{}
	if l.sitting != nil {
		out[""] = l.sitting.Capacity - l.used[""]
	}
	if l.day != nil {
		for _, s := range l.day.Slots {
			out[s.ID] = s.Capacity - l.used[s.ID]
		}
	}
	return out
}
