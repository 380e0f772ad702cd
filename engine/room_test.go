package engine

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// TestDecideRoomRules covers the invigilator's rules of the room: time
// changes within the sitting's bound and never taking time already used,
// pause reasons, and void or withdrawal with an account.
func TestDecideRoomRules(t *testing.T) {
	soon := begin.Add(time.Minute)
	late := begin.Add(25 * time.Minute) // 5 minutes left
	bound := 30 * time.Minute
	extra := func(d time.Duration) Command {
		return Command{Kind: CmdExtraTime, Extra: d, MaxExtra: bound, Reason: "fire alarm", By: "inv1"}
	}
	tests := []struct {
		name  string
		state string
		cmd   Command
		now   time.Time
		want  *event // without the score; nil with wantErr
		err   error
	}{
		{"incident time with reason", "running", extra(10 * time.Minute), soon,
			&event{T: evExtra, At: soon, ExtraMS: 600000, Reason: "fire alarm", By: "inv1"}, nil},
		{"incident time at the bound", "running", extra(bound), soon,
			&event{T: evExtra, At: soon, ExtraMS: bound.Milliseconds(), Reason: "fire alarm", By: "inv1"}, nil},
		{"incident time over the bound", "running", extra(bound + time.Minute), soon, nil, ErrExtraTime},
		{"no bound set", "running", Command{Kind: CmdExtraTime, Extra: 5 * time.Hour}, soon,
			&event{T: evExtra, At: soon, ExtraMS: (5 * time.Hour).Milliseconds()}, nil},
		{"zero time", "running", extra(0), soon, nil, ErrExtraTime},
		{"reduction within time left", "running", extra(-4 * time.Minute), late,
			&event{T: evExtra, At: late, ExtraMS: -240000, Reason: "fire alarm", By: "inv1"}, nil},
		{"reduction to exactly none left", "running", extra(-5 * time.Minute), late,
			&event{T: evExtra, At: late, ExtraMS: -300000, Reason: "fire alarm", By: "inv1"}, nil},
		{"reduction below time used", "running", extra(-6 * time.Minute), late, nil, ErrExtraTime},
		{"reduction over the bound", "running", extra(-bound - time.Minute), soon, nil, ErrExtraTime},
		{"pause with reason", "running", Command{Kind: CmdPause, Reason: "fire alarm", By: "inv1"}, soon,
			&event{T: evPause, At: soon, Reason: "fire alarm", By: "inv1"}, nil},
		{"void with account", "running", Command{Kind: CmdVoid, Reason: "malpractice: notes on desk", By: "inv1"}, soon,
			&event{T: evSubmit, At: soon, Reason: ReasonVoided, Detail: "malpractice: notes on desk", By: "inv1"}, nil},
		{"withdraw", "running", Command{Kind: CmdVoid, Withdraw: true, Reason: "candidate unwell", By: "inv1"}, soon,
			&event{T: evSubmit, At: soon, Reason: ReasonWithdrawn, Detail: "candidate unwell", By: "inv1"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := attemptIn(t, tc.state)
			before := *a
			ev, err := a.Decide(tc.cmd, tc.now)
			if tc.err != nil {
				if !errors.Is(err, tc.err) || ev != nil {
					t.Fatalf("Decide = %+v, %v; want %v", ev, err, tc.err)
				}
				if !reflect.DeepEqual(*a, before) {
					t.Fatal("a refusal changed the attempt")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ev.Score = nil
			if !reflect.DeepEqual(ev, tc.want) {
				t.Fatalf("Decide = %+v, want %+v", ev, tc.want)
			}
		})
	}
}

// TestIncidentTimeAccumulates: the bound holds over several changes, and
// a void keeps the account.
func TestIncidentTimeAccumulates(t *testing.T) {
	a := attemptIn(t, "running")
	now := begin.Add(time.Minute)
	cmd := Command{Kind: CmdExtraTime, Extra: 20 * time.Minute, MaxExtra: 30 * time.Minute}
	ev, err := a.Decide(cmd, now)
	if err != nil {
		t.Fatal(err)
	}
	a.apply(ev)
	if a.Extra != 20*time.Minute || !a.Deadline.Equal(deadline.Add(20*time.Minute)) {
		t.Fatalf("extra %v deadline %v", a.Extra, a.Deadline)
	}
	if _, err := a.Decide(cmd, now); !errors.Is(err, ErrExtraTime) {
		t.Fatalf("second 20 minutes: %v, want ErrExtraTime", err)
	}
	ev, _ = a.Decide(Command{Kind: CmdPause, Reason: "alarm"}, now)
	a.apply(ev)
	if !a.Paused || a.PauseNote != "alarm" {
		t.Fatalf("paused %v note %q", a.Paused, a.PauseNote)
	}
	ev, _ = a.Decide(Command{Kind: CmdVoid, Withdraw: true, Reason: "unwell"}, now)
	a.apply(ev)
	if a.Reason != ReasonWithdrawn || a.Detail != "unwell" || a.Paused || Counts(a.Reason) {
		t.Fatalf("after withdrawal: %+v", a)
	}
}

// TestAdmission covers who may join a sitting that checks candidates in or
// has a late cut-off.
func TestAdmission(t *testing.T) {
	released := begin
	st := func(released bool, checked, admitted string) *sitting {
		s := &sitting{released: released, releasedAt: begin, checkedIn: map[string]bool{}, admitted: map[string]bool{}}
		if checked != "" {
			s.checkedIn[checked] = true
		}
		if admitted != "" {
			s.admitted[admitted] = true
		}
		return s
	}
	open := content.SittingRules{}
	checkIn := content.SittingRules{CheckIn: true}
	cutOff := content.SittingRules{LateAfterMinutes: 15}
	both := content.SittingRules{CheckIn: true, LateAfterMinutes: 15}
	tests := []struct {
		name   string
		rules  content.SittingRules
		st     *sitting
		joined bool
		now    time.Time
		code   int // 0: admitted
	}{
		{"open room", open, st(true, "", ""), false, released.Add(time.Hour), 0},
		{"not checked in", checkIn, st(false, "", ""), false, begin, CodeNotCheckedIn},
		{"checked in", checkIn, st(false, "c1", ""), false, begin, 0},
		{"another checked in", checkIn, st(false, "c2", ""), false, begin, CodeNotCheckedIn},
		{"before the cut-off", cutOff, st(true, "", ""), false, released.Add(15 * time.Minute), 0},
		{"after the cut-off", cutOff, st(true, "", ""), false, released.Add(16 * time.Minute), CodeLate},
		{"after the cut-off, admitted", cutOff, st(true, "", "c1"), false, released.Add(time.Hour), 0},
		{"after the cut-off, joined before", cutOff, st(true, "", ""), true, released.Add(time.Hour), 0},
		{"cut-off before release", cutOff, st(false, "", ""), false, released.Add(time.Hour), 0},
		{"late and not checked in", both, st(true, "", "c1"), false, released.Add(time.Hour), CodeNotCheckedIn},
		{"late, checked in and admitted", both, st(true, "c1", "c1"), false, released.Add(time.Hour), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pe := admission(&tc.rules, tc.st, "c1", tc.joined, tc.now)
			switch {
			case tc.code == 0 && pe != nil:
				t.Fatalf("refused: %v", pe)
			case tc.code != 0 && (pe == nil || pe.Code != tc.code):
				t.Fatalf("admission = %v, want code %d", pe, tc.code)
			}
		})
	}
}

// TestDecideRejoin covers a candidate leaving during the test and coming
// back where the sitting's rejoins need approval: within the grace, after
// it, once approved; and the invigilator's approval.
func TestDecideRejoin(t *testing.T) {
	left := begin.Add(5 * time.Minute)
	grace := 2 * time.Minute
	rejoin := Command{Kind: CmdRejoin, Grace: grace}
	approve := Command{Kind: CmdApprove, By: "inv1"}
	tests := []struct {
		name  string
		state string
		away  string // "", "away" (left at left), "approved" (left, then approved)
		cmd   Command
		now   time.Time
		want  *event // nil: no change, unless code or err
		code  int    // a refusal the candidate is told
		err   error  // a refusal the invigilator is told
	}{
		{"leave during the test", "running", "", Command{Kind: CmdLeave}, left, &event{T: evLeave, At: left}, 0, nil},
		{"leave while paused", "paused", "", Command{Kind: CmdLeave}, left, &event{T: evLeave, At: left}, 0, nil},
		{"leave again", "running", "away", Command{Kind: CmdLeave}, left.Add(time.Minute), nil, 0, nil},
		{"leave before the start", "waiting", "", Command{Kind: CmdLeave}, left, nil, 0, nil},
		{"leave after submitting", "submitted", "", Command{Kind: CmdLeave}, left, nil, 0, nil},
		{"join not having left", "running", "", rejoin, left, nil, 0, nil},
		{"rejoin within the grace", "running", "away", rejoin, left.Add(grace), &event{T: evRejoin, At: left.Add(grace)}, 0, nil},
		{"rejoin after the grace", "running", "away", rejoin, left.Add(grace + time.Second), nil, CodeRejoinApproval, nil},
		{"rejoin with no grace", "running", "away", Command{Kind: CmdRejoin}, left.Add(time.Millisecond), nil, CodeRejoinApproval, nil},
		{"rejoin approved", "running", "approved", rejoin, left.Add(time.Hour), &event{T: evRejoin, At: left.Add(time.Hour)}, 0, nil},
		{"approve one away", "running", "away", approve, left.Add(time.Hour), &event{T: evApprove, At: left.Add(time.Hour), By: "inv1"}, 0, nil},
		{"approve twice", "running", "approved", approve, left.Add(time.Hour), nil, 0, nil},
		{"approve one who has not left", "running", "", approve, left, nil, 0, ErrNotAway},
		{"approve before the start", "waiting", "", approve, left, nil, CodeNotStarted, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := attemptIn(t, tc.state)
			if tc.away != "" {
				a.apply(&event{T: evLeave, At: left})
			}
			if tc.away == "approved" {
				a.apply(&event{T: evApprove, At: left.Add(time.Minute), By: "inv1"})
			}
			before := *a
			ev, err := a.Decide(tc.cmd, tc.now)
			var pe *ProtocolError
			switch {
			case tc.code != 0:
				if !errors.As(err, &pe) || pe.Code != tc.code || ev != nil {
					t.Fatalf("Decide = %+v, %v; want code %d", ev, err, tc.code)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) || ev != nil {
					t.Fatalf("Decide = %+v, %v; want %v", ev, err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case !reflect.DeepEqual(ev, tc.want):
				t.Fatalf("Decide = %+v, want %+v", ev, tc.want)
			}
			if !reflect.DeepEqual(*a, before) {
				t.Fatal("Decide changed the attempt")
			}
		})
	}
}

// TestRejoinApplies: leaving, approval and rejoining fold into the
// attempt, and a replay of the same events rebuilds it.
func TestRejoinApplies(t *testing.T) {
	a := attemptIn(t, "running")
	left := begin.Add(5 * time.Minute)
	for _, step := range []struct {
		ev       *event
		away     bool
		approved bool
	}{
		{&event{T: evLeave, At: left}, true, false},
		{&event{T: evApprove, At: left.Add(time.Minute), By: "inv1"}, true, true},
		{&event{T: evRejoin, At: left.Add(2 * time.Minute)}, false, false},
		{&event{T: evLeave, At: left.Add(3 * time.Minute)}, true, false},
	} {
		a.apply(step.ev)
		if a.Away != step.away || a.RejoinApproved != step.approved {
			t.Fatalf("after %s: away %v approved %v", step.ev.T, a.Away, a.RejoinApproved)
		}
	}
	if !a.AwaySince.Equal(left.Add(3*time.Minute)) || a.Remaining(left) != deadline.Sub(left) {
		t.Fatalf("away since %v, remaining %v: leaving stops no clock", a.AwaySince, a.Remaining(left))
	}
}
