package results

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// ResitRule says whether and how people of one outcome may re-sit. The
// interval and window count from the release of the outcome, when the
// person learns it.
type ResitRule struct {
	Allowed bool `json:"allowed"`
	// Elements, for not met, are the elements that may be re-sat: nil
	// means every element. For partially met they are the decision's own
	// (the elements not passed) and must be left nil.
	Elements []Element `json:"elements,omitempty"`
	// MinInterval is how long after release a re-sit may start at the
	// earliest; Within, if not 0, how long after release at the latest.
	MinInterval time.Duration `json:"min_interval,omitempty"`
	Within      time.Duration `json:"within,omitempty"`
	// MaxResits is how many times an element may be re-sat: 0 means once.
	MaxResits int `json:"max_resits,omitempty"`
}

// ResitRules are the re-sit policy: the fast track for partially met,
// the rule for not met, whether a knowledge re-sit must be on a form not
// sat before (of the same blueprint: programme booking sees to that), and
// how long after release an appeal may be lodged. An open appeal blocks
// re-sit booking.
type ResitRules struct {
	PartiallyMet  ResitRule     `json:"partially_met"`
	NotMet        ResitRule     `json:"not_met"`
	DifferentForm bool          `json:"different_form"`
	AppealsWindow time.Duration `json:"appeals_window,omitempty"`
}

// Validate checks the rules and returns every fault at once.
func (rr ResitRules) Validate() error {
	var errs []string
	for name, r := range map[string]ResitRule{"partially_met": rr.PartiallyMet, "not_met": rr.NotMet} {
		if r.MinInterval < 0 || r.Within < 0 || r.MaxResits < 0 {
			errs = append(errs, name+": intervals and max_resits may not be negative")
		}
		if r.Within > 0 && r.Within < r.MinInterval {
			errs = append(errs, fmt.Sprintf("%s: within %s is shorter than min_interval %s", name, r.Within, r.MinInterval))
		}
		for _, el := range r.Elements {
			if !slices.Contains(elements, el) {
				errs = append(errs, fmt.Sprintf("%s: element %q: want one of %v", name, el, elements))
			}
		}
	}
	if len(rr.PartiallyMet.Elements) > 0 {
		errs = append(errs, "partially_met: the elements to re-sit are the decision's: leave elements empty")
	}
	if rr.AppealsWindow < 0 {
		errs = append(errs, "appeals_window may not be negative")
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return fmt.Errorf("%w: resit: %s", ErrInvalidConfig, strings.Join(errs, "; "))
	}
	return nil
}

// ResitQuery is a re-sit booking to check.
type ResitQuery struct {
	Element  Element   // the element booked
	Form     string    // the knowledge form or the circuit booked
	Start    time.Time // when the re-sit starts
	Decision Decision  // the person's decision on what they sat
	Released time.Time // when that decision was released; zero: not yet
	// Resits counts the re-sits of Element already sat; FormsSat lists
	// the knowledge forms sat before.
	Resits     int
	FormsSat   []string
	AppealOpen bool
	// Window is the sitting window holding Start, "" for none;
	// WindowReleased says it is released already.
	Window         string
	WindowReleased bool
}

// CheckResit returns every reason q breaks the rules; none means the
// re-sit may be booked. An incomplete decision still waiting for evidence
// or a cut refuses; one whose evidence is missing for good (absent,
// voided) is no decision, and the person books again as for a first
// sitting. CheckResit is pure.
func CheckResit(rules ResitRules, q ResitQuery) []Reason {
	d := q.Decision
	if d.Outcome == Incomplete {
		for _, m := range d.Missing {
			if pending(m.Code) {
				return []Reason{reason(CodeNotReleased, "%s's outcome is not decided yet (%s): no re-sit before it is", d.Person, m.Message)}
			}
		}
		return nil
	}
	if q.Released.IsZero() {
		return []Reason{reason(CodeNotReleased, "%s's outcome is not released yet: no re-sit before it is", d.Person)}
	}
	var rule ResitRule
	var rs []Reason
	switch d.Outcome {
	case Met:
		return []Reason{reason(CodeNoResit, "%s has met the %s standard: there is nothing to re-sit", d.Person, d.Status)}
	case PartiallyMet:
		rule = rules.PartiallyMet
		if rule.Allowed && !slices.Contains(d.Resit, q.Element) {
			rs = append(rs, reason(CodeNoResit, "%s partially met the standard: only %v may be re-sat on the fast track", d.Person, d.Resit))
		}
	case NotMet:
		rule = rules.NotMet
		if rule.Allowed && len(rule.Elements) > 0 && !slices.Contains(rule.Elements, q.Element) {
			rs = append(rs, reason(CodeNoResit, "after not met, only %v may be re-sat", rule.Elements))
		}
	}
	if !rule.Allowed {
		return []Reason{reason(CodeNoResit, "the re-sit rules allow no re-sit after %s", d.Outcome)}
	}
	if earliest := q.Released.Add(rule.MinInterval); q.Start.Before(earliest) {
		rs = append(rs, reason(CodeTooSoon, "a re-sit may start from %s, %s after the release", earliest.Format(time.DateOnly), span(rule.MinInterval)))
	}
	if rule.Within > 0 {
		if latest := q.Released.Add(rule.Within); q.Start.After(latest) {
			rs = append(rs, reason(CodeTooLate, "a re-sit must start by %s, %s after the release", latest.Format(time.DateOnly), span(rule.Within)))
		}
	}
	if allowed := max(rule.MaxResits, 1); q.Resits >= allowed {
		rs = append(rs, reason(CodeTooMany, "%s has re-sat %s %d time(s), the most allowed", d.Person, q.Element, q.Resits))
	}
	if rules.DifferentForm && q.Element == Knowledge && slices.Contains(q.FormsSat, q.Form) {
		rs = append(rs, reason(CodeSameForm, "%s sat form %s before: a re-sit is on a different form", d.Person, q.Form))
	}
	switch {
	case q.Window == "":
		rs = append(rs, reason(CodeNoResit, "no sitting window holds %s: a re-sit is decided with a window's cohort", q.Start.Format(time.DateOnly)))
	case q.WindowReleased:
		rs = append(rs, reason(CodeReleased, "window %s is released already: a re-sit is booked in a later window", q.Window))
	}
	if q.AppealOpen {
		rs = append(rs, reason(CodeAppealOpen, "%s has an open appeal: no re-sit booking until it is decided", d.Person))
	}
	return rs
}

// Gate returns the booking gate that applies the re-sit rules: give it
// to programme.Config.Gate. A booking of a kind the person has not sat
// before is not a re-sit and passes.
func (r *Results) Gate() programme.Gate { return gate{r} }

type gate struct{ r *Results }

func (g gate) MayBook(ctx context.Context, q programme.GateQuery) ([]programme.Reason, error) {
	el := Knowledge
	if q.Kind == programme.RolePlay {
		el = RolePlay
	}
	var sat []programme.Booking
	for _, b := range q.Bookings {
		if b.Kind == q.Kind && b.State == programme.BookingLive && started(b.Start, q.Now) {
			sat = append(sat, b)
		}
	}
	if len(sat) == 0 {
		return nil, nil
	}
	rq, err := g.r.resitQuery(ctx, q, el, sat)
	if err != nil {
		return nil, err
	}
	return toProgramme(CheckResit(g.r.cfg.Resit, rq)), nil
}

// resitQuery gathers what CheckResit needs of a booking.
func (r *Results) resitQuery(ctx context.Context, q programme.GateQuery, el Element, sat []programme.Booking) (ResitQuery, error) {
	var past []programme.Booking // decide on what was sat, not on a booking being moved
	for _, b := range q.Bookings {
		if started(b.Start, q.Now) {
			past = append(past, b)
		}
	}
	c, err := r.cfg.Roster.FromBookings(ctx, q.Person, past)
	if err != nil {
		return ResitQuery{}, err
	}
	d := r.newDecider()
	d.now = q.Now
	dec, err := d.decide(ctx, c)
	if err != nil {
		return ResitQuery{}, err
	}
	rq := ResitQuery{Element: el, Form: q.Form, Start: q.Start, Decision: dec, Resits: len(sat) - 1}
	if rel, err := r.releaseOf(ctx, c); err != nil {
		return ResitQuery{}, err
	} else if rel != nil {
		rq.Released = rel.At
	}
	if w, ok := windowOf(r.cfg.Windows, q.Start); ok {
		rel, err := r.Released(ctx, w.ID)
		if err != nil {
			return ResitQuery{}, err
		}
		rq.Window, rq.WindowReleased = w.ID, rel != nil
	}
	if el == Knowledge {
		for _, b := range sat {
			f, err := r.cfg.Roster.Form(ctx, b.Event)
			if err != nil {
				return ResitQuery{}, err
			}
			rq.FormsSat = append(rq.FormsSat, f)
		}
	}
	appeals, err := r.Appeals(ctx, c.Person)
	if err != nil {
		return ResitQuery{}, err
	}
	rq.AppealOpen = slices.ContainsFunc(appeals, func(a Appeal) bool { return a.Open() })
	return rq, nil
}

// toProgramme turns reasons into the programme's, for its refusal.
func toProgramme(rs []Reason) []programme.Reason {
	out := make([]programme.Reason, len(rs))
	for i, x := range rs {
		out[i] = programme.Reason{Code: programme.Code("resit_" + string(x.Code)), Message: x.Message}
	}
	return out
}

// span writes d in days when it is whole days.
func span(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}
