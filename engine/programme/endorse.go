package programme

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
)

// checkEndorsement returns every reason e may not be recorded for per by
// supervisor sup at now, under rules.
func checkEndorsement(e *Endorsement, per Person, sup Staff, rules Rules, now time.Time) []Reason {
	var rs []Reason
	add := func(c Code, format string, args ...any) { rs = append(rs, reason(c, format, args...)) }
	if sup.Role != RoleSupervisor || sup.Employer != per.Employer {
		add(CodeNotSupervisor, "%s is not a supervisor at %s, %s's employer", sup.ID, per.Employer, per.ID)
	}
	if e.Status != per.Seeks {
		add(CodeWrongStatus, "%s seeks %s, not %s", per.ID, per.Seeks, e.Status)
	}
	if len(e.Sessions) == 0 {
		add(CodeInvalid, "name the days of the reflective supervision sessions")
	}
	for _, s := range e.Sessions {
		if s.IsZero() || day(s).After(day(now)) {
			add(CodeInvalid, "supervision session on %s: not a past day", s.Format(dateLayout))
		}
	}
	if strings.TrimSpace(e.Summary) == "" || len(e.Summary) > maxSummary {
		add(CodeInvalid, "summarise the reflective supervision (up to %d bytes)", maxSummary)
	}
	if !e.FeedbackConsidered {
		add(CodeFeedback, "service-user feedback must be considered before endorsing")
	}
	if strings.TrimSpace(e.FeedbackSummary) == "" || len(e.FeedbackSummary) > maxSummary {
		add(CodeFeedback, "summarise the service-user feedback considered (up to %d bytes)", maxSummary)
	}
	switch e.Outcome {
	case Ready:
		if per.Employment == Agency {
			if m := wholeMonths(per.Started, now); m < rules.AgencyMonths {
				add(CodeTenure, "agency worker %s has been with %s for %d whole month(s) since %s; endorsement needs %d",
					per.ID, per.Employer, m, per.Started.Format(dateLayout), rules.AgencyMonths)
			}
		}
	case NotYet:
		if strings.TrimSpace(e.Reason) == "" {
			add(CodeInvalid, "say why the person is not yet ready")
		}
	default:
		add(CodeInvalid, "outcome %q: want ready or not_yet", e.Outcome)
	}
	return rs
}

// Endorse records a supervisor's endorsement decision for e.Person, and
// returns it as stored. Only a supervisor of the person's employer may.
func (p *Programme) Endorse(ctx context.Context, by Actor, e Endorsement) (Endorsement, error) {
	per, err := p.lookupPerson(ctx, e.Person)
	if err != nil {
		return Endorsement{}, err
	}
	if by.Kind != ActorStaff {
		return Endorsement{}, refuse("endorse", []Reason{reason(CodeNotSupervisor, "only the person's supervisor may endorse")})
	}
	sup, err := p.lookupStaff(ctx, by.ID)
	if err != nil {
		return Endorsement{}, refuse("endorse", []Reason{reason(CodeNotSupervisor, "%s is not a member of any employer's staff", by.ID)})
	}
	now := p.now()
	if rs := checkEndorsement(&e, per, sup, p.rules, now); len(rs) > 0 {
		return Endorsement{}, refuse("endorse", rs)
	}
	e.Supervisor, e.At, e.Expires = sup.ID, now, now.Add(p.rules.EndorsementValid)
	e.Withdrawn, e.WithdrawnBy, e.WithdrawnReason = time.Time{}, "", ""
	for i := range e.Sessions {
		e.Sessions[i] = day(e.Sessions[i])
	}
	rec, err := audited(ctx, p, p.persons.get(personStream(per.ID)), nil, func(st *personState) (*record, *audit.Entry, error) {
		e.ID = fmt.Sprintf("%s-e%d", per.ID, len(st.endorsements)+1)
		ent := p.entry(ctx, by, audit.EndorsementRecord, audit.Target{Kind: audit.TargetPerson, ID: per.ID},
			map[string]any{"endorsement": e.ID, "status": e.Status, "outcome": e.Outcome, "reason": e.Reason})
		return &record{Kind: recEndorse, At: now, By: &by, Endorsement: &e}, ent, nil
	})
	if err != nil {
		return Endorsement{}, err
	}
	return *rec.Endorsement, nil
}

// Withdraw withdraws a person's endorsement before they sit, and cancels
// their bookings made under it. A supervisor or employer administrator of
// the person's employer, or a programme administrator, may.
func (p *Programme) Withdraw(ctx context.Context, by Actor, person, endorsement, why string) error {
	per, err := p.lookupPerson(ctx, person)
	if err != nil {
		return err
	}
	if err := p.employerSide(ctx, "withdraw", by, per); err != nil {
		return err
	}
	now := p.now()
	w := p.persons.get(personStream(per.ID))
	var bookings []Booking
	_, err = audited(ctx, p, w, nil, func(st *personState) (*record, *audit.Entry, error) {
		e := st.endorsement(endorsement)
		var rs []Reason
		switch {
		case e == nil:
			rs = append(rs, reason(CodeNoEndorsement, "%s has no endorsement %q", per.ID, endorsement))
		case !e.Live(now):
			rs = append(rs, reason(CodeNotLive, "endorsement %s is not live", endorsement))
		}
		if strings.TrimSpace(why) == "" {
			rs = append(rs, reason(CodeInvalid, "say why the endorsement is withdrawn"))
		}
		bookings = bookings[:0]
		for _, id := range st.order {
			b := st.bookings[id]
			if b.State != BookingLive && b.State != BookingPending {
				continue
			}
			if !now.Before(b.Start) {
				rs = append(rs, reason(CodeSat, "%s's %s sitting %s has started: too late to withdraw", per.ID, b.Kind, b.Event))
			}
			bookings = append(bookings, *b)
		}
		if len(rs) > 0 {
			return nil, nil, refuse("withdraw", rs)
		}
		ent := p.entry(ctx, by, audit.EndorsementWithdraw, audit.Target{Kind: audit.TargetPerson, ID: per.ID}, map[string]any{"endorsement": endorsement, "reason": why})
		if ent != nil {
			ent.Reason = why
		}
		return &record{Kind: recWithdraw, At: now, By: &by, ID: endorsement, Reason: why}, ent, nil
	})
	if err != nil {
		return err
	}
	for _, b := range bookings {
		if err := p.cancel(ctx, by, per.ID, b.ID, "endorsement withdrawn", false); err != nil {
			return fmt.Errorf("endorsement withdrawn; cancelling booking %s: %w", b.ID, err)
		}
	}
	return nil
}

// employerSide refuses op to anyone but a programme administrator or a
// member of per's employer's staff.
func (p *Programme) employerSide(ctx context.Context, op string, by Actor, per Person) error {
	if by.Kind == ActorAdmin && by.ID != "" {
		return nil
	}
	if by.Kind == ActorStaff {
		if s, err := p.lookupStaff(ctx, by.ID); err == nil && s.Employer == per.Employer {
			return nil
		}
	}
	return refuse(op, []Reason{reason(CodeNotPermitted, "only %s's staff or a programme administrator may %s", per.Employer, op)})
}

// Record is a person's endorsements and bookings, oldest first.
type Record struct {
	Person       Person
	Endorsements []Endorsement
	Bookings     []Booking
}

// Record returns a person's endorsements and bookings.
func (p *Programme) Record(ctx context.Context, person string) (Record, error) {
	per, err := p.lookupPerson(ctx, person)
	if err != nil {
		return Record{}, err
	}
	r := Record{Person: per}
	err = p.persons.get(personStream(per.ID)).view(ctx, p.st, func(st *personState) {
		r.Endorsements, r.Bookings = st.snapshot()
	})
	return r, err
}

// eligibility returns every reason per may not book an assessment of
// status at an event starting at start, given their stream's state.
func (p *Programme) eligibility(per Person, st *personState, status Status, start, now time.Time) []Reason {
	var rs []Reason
	sought := p.bps[per.Seeks]
	may := per.Seeks
	if sought.Unavailable {
		may = sought.SitInstead
	}
	if bp := p.bps[status]; bp.Unavailable {
		rs = append(rs, reason(CodeUnavailable, "the %s assessment is not yet available: %s candidates may sit the %s assessment", status, status, bp.SitInstead))
	} else if status != may {
		msg := fmt.Sprintf("%s seeks %s: this is the %s assessment", per.ID, per.Seeks, status)
		if may != per.Seeks {
			msg += fmt.Sprintf(" (the %s assessment is not yet available: book the %s assessment)", per.Seeks, may)
		}
		rs = append(rs, Reason{Code: CodeWrongStatus, Message: msg})
	}
	e := st.latest(per.Seeks)
	switch {
	case e == nil:
		rs = append(rs, reason(CodeNoEndorsement, "%s has no practice endorsement for %s", per.ID, per.Seeks))
	case e.Outcome != Ready:
		rs = append(rs, reason(CodeNotReady, "%s's supervisor decided not yet: %s", per.ID, e.Reason))
	case !e.Withdrawn.IsZero():
		rs = append(rs, reason(CodeWithdrawn, "%s's endorsement was withdrawn on %s: %s", per.ID, e.Withdrawn.Format(dateLayout), e.WithdrawnReason))
	case !now.Before(e.Expires):
		rs = append(rs, reason(CodeExpired, "%s's endorsement expired on %s", per.ID, e.Expires.Format(dateLayout)))
	case !start.IsZero() && !start.Before(e.Expires):
		rs = append(rs, reason(CodeExpired, "%s's endorsement expires on %s, before the assessment on %s", per.ID, e.Expires.Format(dateLayout), start.Format(dateLayout)))
	}
	return rs
}

// Eligibility returns every reason person may not book an assessment of
// status now; none means they may.
func (p *Programme) Eligibility(ctx context.Context, person string, status Status) ([]Reason, error) {
	per, err := p.lookupPerson(ctx, person)
	if err != nil {
		return nil, err
	}
	var rs []Reason
	err = p.persons.get(personStream(per.ID)).view(ctx, p.st, func(st *personState) {
		rs = p.eligibility(per, st, status, time.Time{}, p.now())
	})
	return rs, err
}
