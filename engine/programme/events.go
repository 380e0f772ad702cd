package programme

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
)

// maxCapacity bounds a sitting's or slot's places.
const maxCapacity = 10000

func eventStream(kind Kind, id string) string {
	if kind == RolePlay {
		return prefixDay + id
	}
	return prefixSitting + id
}

// CreateSitting defines a knowledge-test sitting. Only an administrator
// may; its status is that of its form's blueprint.
func (p *Programme) CreateSitting(ctx context.Context, by Actor, s Sitting) (Sitting, error) {
	if err := p.requireAdmin("create sittings", by); err != nil {
		return Sitting{}, err
	}
	var rs []Reason
	if m := checkID(s.ID); m != "" {
		rs = append(rs, reason(CodeInvalid, "sitting %s", m))
	}
	if strings.TrimSpace(s.Centre) == "" || strings.TrimSpace(s.Session) == "" || s.Start.IsZero() {
		rs = append(rs, reason(CodeInvalid, "a sitting needs a centre, a session and a start"))
	}
	if s.Capacity < 1 || s.Capacity > maxCapacity {
		rs = append(rs, reason(CodeInvalid, "capacity %d: want 1 to %d", s.Capacity, maxCapacity))
	}
	st, ok := p.owner[s.Form]
	if !ok {
		rs = append(rs, reason(CodeInvalid, "form %q is in no status's blueprint", s.Form))
	}
	irs, err := p.checkInvigilators(ctx, s.Invigilators)
	if err != nil {
		return Sitting{}, err
	}
	rs = append(rs, irs...)
	rs = append(rs, checkRejoin(s)...)
	rs = append(rs, checkRoom(s)...)
	if err := refuse("create sitting", rs); err != nil {
		return Sitting{}, err
	}
	s.Status, s.Start = st, s.Start.UTC()
	rec := &record{Kind: recSitting, By: &by, Sitting: &s}
	return s, p.define(ctx, by, Knowledge, s.ID, rec, audit.SittingCreate)
}

// CreateRolePlayDay defines a role-play day. Only an administrator may;
// its status is that of its circuit's blueprint.
func (p *Programme) CreateRolePlayDay(ctx context.Context, by Actor, d RolePlayDay) (RolePlayDay, error) {
	if err := p.requireAdmin("create role-play days", by); err != nil {
		return RolePlayDay{}, err
	}
	var rs []Reason
	if m := checkID(d.ID); m != "" {
		rs = append(rs, reason(CodeInvalid, "role-play day %s", m))
	}
	if strings.TrimSpace(d.Centre) == "" || len(d.Slots) == 0 {
		rs = append(rs, reason(CodeInvalid, "a role-play day needs a centre and slots"))
	}
	seen := map[string]bool{}
	for i, sl := range d.Slots {
		if m := checkID(sl.ID); m != "" || seen[sl.ID] || sl.Start.IsZero() || sl.Capacity < 1 || sl.Capacity > maxCapacity {
			rs = append(rs, reason(CodeInvalid, "slot %d (%s): want a unique id, a start and a capacity of 1 to %d", i+1, sl.ID, maxCapacity))
		}
		seen[sl.ID] = true
		d.Slots[i].Start = sl.Start.UTC()
	}
	st, ok := p.owner[d.Circuit]
	if !ok {
		rs = append(rs, reason(CodeInvalid, "circuit %q is in no status's blueprint", d.Circuit))
	}
	if err := refuse("create role-play day", rs); err != nil {
		return RolePlayDay{}, err
	}
	d.Status = st
	rec := &record{Kind: recDay, By: &by, Day: &d}
	return d, p.define(ctx, by, RolePlay, d.ID, rec, audit.RolePlayDayCreate)
}

// define stores a ledger's first record, refusing an id already used.
func (p *Programme) define(ctx context.Context, by Actor, kind Kind, id string, rec *record, act audit.Action) error {
	rec.At = p.now()
	_, err := audited(ctx, p, p.ledgers.get(eventStream(kind, id)), nil, func(l *ledger) (*record, *audit.Entry, error) {
		if l.defined() {
			return nil, nil, refuse("create "+string(kind), []Reason{reason(CodeExists, "%s %q exists", kind, id)})
		}
		return rec, p.entry(ctx, by, act, audit.Target{Kind: audit.TargetSitting, ID: id}, rec), nil
	})
	return err
}

// Availability is a sitting's or role-play day's definition and the
// places left in each slot ("" for a sitting).
type Availability struct {
	Sitting *Sitting
	Day     *RolePlayDay
	Free    map[string]int
}

// Availability returns what is defined and left of event.
func (p *Programme) Availability(ctx context.Context, kind Kind, event string) (Availability, error) {
	var a Availability
	err := p.ledgers.get(eventStream(kind, event)).view(ctx, p.st, func(l *ledger) {
		a = Availability{Sitting: l.sitting, Day: l.day, Free: l.free()}
	})
	if err == nil && a.Sitting == nil && a.Day == nil {
		err = fmt.Errorf("%w: %s %q", ErrNotFound, kind, event)
	}
	return a, err
}

// Events lists the ids of the sittings (kind Knowledge) or role-play days.
func (p *Programme) Events(ctx context.Context, kind Kind) ([]string, error) {
	prefix := eventStream(kind, "")
	names, err := p.st.Streams(ctx, prefix)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	for i := range names {
		names[i] = strings.TrimPrefix(names[i], prefix)
	}
	return names, nil
}

// slotOf returns the status and start of slot on event, from a ledger
// copy.
func slotOf(l *ledger, slot string) (Status, time.Time, bool) {
	start, _, ok := l.slot(slot)
	switch {
	case l.sitting != nil:
		return l.sitting.Status, start, ok
	case l.day != nil:
		return l.day.Status, start, ok
	}
	return "", time.Time{}, false
}

// checkRejoin refuses a rejoin grace out of bounds, or one given to a
// sitting whose rejoins need no approval (where it would mean nothing).
func checkRejoin(s Sitting) []Reason {
	switch g := s.RejoinGraceSeconds; {
	case g < 0 || g > MaxRejoinGraceSeconds:
		return []Reason{reason(CodeInvalid, "rejoin_grace_seconds %d: want 0 to %d", g, MaxRejoinGraceSeconds)}
	case g > 0 && !s.RejoinApproval:
		return []Reason{reason(CodeInvalid, "rejoin_grace_seconds %d without rejoin_approval: a grace applies only where rejoins need approval", g)}
	}
	return nil
}

// checkInvigilators refuses an invigilator named twice, and, when the
// content's staff are known, one who is not an invigilator there nor among
// the sign-ins imported into the store (signin.go).
func (p *Programme) checkInvigilators(ctx context.Context, ids []string) ([]Reason, error) {
	var rs []Reason
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			rs = append(rs, reason(CodeInvalid, "invigilator %q is named twice", id))
		}
		seen[id] = true
		if p.lib == nil {
			continue
		}
		i := slices.IndexFunc(p.lib.Staff, func(s content.Staff) bool { return s.ID == id })
		if i >= 0 && p.lib.Staff[i].Role == content.RoleInvigilator {
			continue
		}
		st, ok, err := p.SignIn(ctx, id)
		if err != nil {
			return nil, err
		}
		if i >= 0 || !ok || st.Role != content.RoleInvigilator {
			rs = append(rs, reason(CodeInvalid, "invigilator %q is no invigilator of the staff file", id))
		}
	}
	return rs, nil
}

// checkRoom refuses negative minutes and blank void reasons.
func checkRoom(s Sitting) []Reason {
	var rs []Reason
	if s.LateAfterMinutes < 0 || s.MaxExtraMinutes < 0 {
		rs = append(rs, reason(CodeInvalid, "late_after_minutes %d, max_extra_minutes %d: want minutes of 0 or more", s.LateAfterMinutes, s.MaxExtraMinutes))
	}
	for i, r := range s.VoidReasons {
		if strings.TrimSpace(r) == "" || len(r) > maxField {
			rs = append(rs, reason(CodeInvalid, "void_reasons[%d]: want a reason of 1 to %d bytes", i, maxField))
		}
	}
	return rs
}

// rules are the delivered sitting's rules of the room.
func (s *Sitting) rules() content.SittingRules {
	return content.SittingRules{RejoinApproval: s.RejoinApproval, RejoinGraceSeconds: s.RejoinGraceSeconds,
		CheckIn: s.CheckIn, LateAfterMinutes: s.LateAfterMinutes, MaxExtraMinutes: s.MaxExtraMinutes,
		VoidReasons: s.VoidReasons}
}
