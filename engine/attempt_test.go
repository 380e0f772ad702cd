package engine

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

var (
	begin    = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	deadline = begin.Add(30 * time.Minute)
	// sectionLimit is each section's limit in the "timed" states.
	sectionLimit = 10 * time.Minute
	testLib      = sync.OnceValues(func() (*content.Library, error) { return content.LoadDir("testdata/lib") })
)

// attemptIn returns an attempt at form f1 brought to a state by applying
// events: "waiting", "running" (started at begin, q1 answered b), "paused"
// (running, paused at begin+10m) or "submitted".
func attemptIn(t *testing.T, state string) *Attempt {
	t.Helper()
	lib, err := testLib()
	if err != nil {
		t.Fatal(err)
	}
	a := &Attempt{ID: AttemptID("s1", "c1")}
	create := &event{T: evCreate, At: begin, Sitting: "s1", Candidate: "c1", Form: "f1", Seed: 7,
		LimitMS: (30 * time.Minute).Milliseconds()}
	if strings.HasPrefix(state, "timed") || state == "linear timed" {
		create.SectionsMS = []int64{sectionLimit.Milliseconds(), sectionLimit.Milliseconds()}
	}
	create.Linear = strings.HasPrefix(state, "linear")
	a.apply(create)
	a.lay = newLayout(newFormIndex(lib, lib.Forms["f1"]), 7)
	evs := map[string][]*event{
		"waiting":   nil,
		"running":   {{T: evStart, At: begin}, {T: evAnswer, At: begin, Seq: 1, Item: "q1", Options: []string{"b"}}},
		"paused":    {{T: evStart, At: begin}, {T: evPause, At: begin.Add(10 * time.Minute), By: "inv1"}},
		"submitted": {{T: evStart, At: begin}, {T: evSubmit, At: begin.Add(time.Minute), Reason: ReasonCandidate}},
		// Timed sections of 10 minutes each: q1 and q2 in the first, q3
		// and q4 in the second (positions 2 and 3).
		"timed": {{T: evStart, At: begin}, {T: evAnswer, At: begin, Seq: 1, Item: "q1", Options: []string{"b"}}},
		"timed second": {{T: evStart, At: begin}, {T: evAnswer, At: begin, Seq: 1, Item: "q1", Options: []string{"b"}},
			{T: evSection, At: begin.Add(4 * time.Minute), Seq: 2, Section: 1, Pos: 2, Reason: ReasonCandidate}},
		// Linear: q1 answered, the candidate moved on to q2 (position 1).
		"linear": {{T: evStart, At: begin}, {T: evAnswer, At: begin, Seq: 1, Item: "q1", Options: []string{"b"}},
			{T: evNavigate, At: begin, Seq: 2, Pos: 1}},
		"linear timed": {{T: evStart, At: begin}, {T: evAnswer, At: begin, Seq: 1, Item: "q1", Options: []string{"b"}},
			{T: evNavigate, At: begin, Seq: 2, Pos: 1}},
		"linear review": {{T: evStart, At: begin}, {T: evNavigate, At: begin, Seq: 1, Pos: 1},
			{T: evNavigate, At: begin, Seq: 2, Pos: 2}, {T: evNavigate, At: begin, Seq: 3, Pos: 3}, {T: evNavigate, At: begin, Seq: 4, Pos: 4}},
	}
	list, ok := evs[state]
	if !ok {
		t.Fatalf("no state %q", state)
	}
	for _, ev := range list {
		a.apply(ev)
	}
	return a
}

func TestDecideRefuses(t *testing.T) {
	soon := begin.Add(time.Minute)
	answer := func(item string, opts ...string) Command {
		return Command{Kind: CmdAnswer, Seq: 2, Item: item, Options: opts}
	}
	tests := []struct {
		name  string
		state string
		cmd   Command
		now   time.Time
		code  int
		msg   string
	}{
		{"answer before start", "waiting", answer("q1", "a"), soon, CodeNotStarted, "the test has not started"},
		{"flag before start", "waiting", Command{Kind: CmdFlag, Seq: 2, Item: "q1"}, soon, CodeNotStarted, "the test has not started"},
		{"answer after submit", "submitted", answer("q1", "a"), soon, CodeSubmitted, "the test has been submitted; nothing can change"},
		{"submit after submit", "submitted", Command{Kind: CmdSubmit, Seq: 2, Confirm: true}, soon, CodeSubmitted, "the test has been submitted; nothing can change"},
		{"answer past deadline and grace", "running", answer("q1", "a"), deadline.Add(Grace + time.Millisecond), CodeDeadlinePassed, "time is up: answers after the deadline are not accepted"},
		{"navigate past deadline and grace", "running", Command{Kind: CmdNavigate, Seq: 2, Position: 1}, deadline.Add(time.Hour), CodeDeadlinePassed, "time is up: answers after the deadline are not accepted"},
		{"unknown item", "running", answer("zz", "a"), soon, CodeUnknownItem, `item "zz" is not in this test`},
		{"flag unknown item", "running", Command{Kind: CmdFlag, Seq: 2, Item: "zz", Flagged: true}, soon, CodeUnknownItem, `item "zz" is not in this test`},
		{"unknown option", "running", answer("q1", "z"), soon, CodeBadOptions, `option "z" is not an option of item q1`},
		{"two options for a single", "running", answer("q1", "a", "b"), soon, CodeBadOptions, "item q1 takes at most 1 option(s), got 2"},
		{"three options for two", "running", answer("q4", "a", "b", "c"), soon, CodeBadOptions, "item q4 takes at most 2 option(s), got 3"},
		{"repeated option", "running", answer("q4", "a", "a"), soon, CodeBadOptions, `option "a" chosen twice`},
		{"submit unconfirmed", "running", Command{Kind: CmdSubmit, Seq: 2}, soon, CodeNotConfirmed, `submit needs "confirm": true`},
		{"navigate before the first", "running", Command{Kind: CmdNavigate, Seq: 2, Position: -1}, soon, CodeBadPosition, "position -1 is outside 0..4"},
		{"navigate past review", "running", Command{Kind: CmdNavigate, Seq: 2, Position: 5}, soon, CodeBadPosition, "position 5 is outside 0..4"},
		{"answer while paused", "paused", answer("q1", "a"), soon, CodePaused, "the invigilator has paused your test; wait for them to resume it"},
		{"submit while paused", "paused", Command{Kind: CmdSubmit, Seq: 2, Confirm: true}, soon, CodePaused, "the invigilator has paused your test; wait for them to resume it"},
		{"unknown command", "running", Command{Kind: "hello"}, soon, CodeUnknownType, `"hello" is not allowed here`},
		{"start twice", "running", Command{Kind: CmdStart}, soon, CodeNotStarted, "already started"},
		{"start after submit", "submitted", Command{Kind: CmdStart}, soon, CodeNotStarted, "already started"},
		{"extra time before start", "waiting", Command{Kind: CmdExtraTime, Extra: time.Minute, By: "inv1"}, soon, CodeNotStarted, "not in progress"},
		{"extra time after submit", "submitted", Command{Kind: CmdExtraTime, Extra: time.Minute, By: "inv1"}, soon, CodeNotStarted, "not in progress"},
		{"pause before start", "waiting", Command{Kind: CmdPause, By: "inv1"}, soon, CodeNotStarted, "not in progress"},
		{"resume after submit", "submitted", Command{Kind: CmdResume, By: "inv1"}, soon, CodeNotStarted, "not in progress"},
		{"void before start", "waiting", Command{Kind: CmdVoid, By: "inv1"}, soon, CodeNotStarted, "not in progress"},
		{"void after submit", "submitted", Command{Kind: CmdVoid, By: "inv1"}, soon, CodeNotStarted, "not in progress"},
		{"deadline before start", "waiting", Command{Kind: CmdDeadline}, deadline.Add(Grace), CodeSubmitted, "not in progress"},
		{"deadline after submit", "submitted", Command{Kind: CmdDeadline}, deadline.Add(Grace), CodeSubmitted, "not in progress"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := attemptIn(t, tc.state)
			before := *a
			ev, err := a.Decide(tc.cmd, tc.now)
			var pe *ProtocolError
			if !errors.As(err, &pe) || ev != nil {
				t.Fatalf("Decide = %+v, %v; want a refusal", ev, err)
			}
			if pe.Code != tc.code || pe.Message != tc.msg {
				t.Fatalf("refused with %d %q, want %d %q", pe.Code, pe.Message, tc.code, tc.msg)
			}
			if !reflect.DeepEqual(*a, before) {
				t.Fatal("a refusal changed the attempt")
			}
		})
	}
}

func TestDecideAccepts(t *testing.T) {
	soon := begin.Add(time.Minute)
	tests := []struct {
		name  string
		state string
		cmd   Command
		now   time.Time
		want  *event  // without the score
		raw   float64 // the score's raw mark, for a submission
	}{
		{"answer", "running", Command{Kind: CmdAnswer, Seq: 2, Item: "q4", Options: []string{"a", "d"}}, soon,
			&event{T: evAnswer, At: soon, Seq: 2, Item: "q4", Options: []string{"a", "d"}}, 0},
		{"answer cleared", "running", Command{Kind: CmdAnswer, Seq: 2, Item: "q1"}, soon,
			&event{T: evAnswer, At: soon, Seq: 2, Item: "q1"}, 0},
		{"answer within grace", "running", Command{Kind: CmdAnswer, Seq: 2, Item: "q1", Options: []string{"c"}}, deadline.Add(Grace),
			&event{T: evAnswer, At: deadline.Add(Grace), Seq: 2, Item: "q1", Options: []string{"c"}}, 0},
		{"flag", "running", Command{Kind: CmdFlag, Seq: 2, Item: "q3", Flagged: true}, soon,
			&event{T: evFlag, At: soon, Seq: 2, Item: "q3", Flagged: true}, 0},
		{"navigate to review", "running", Command{Kind: CmdNavigate, Seq: 2, Position: 4}, soon,
			&event{T: evNavigate, At: soon, Seq: 2, Pos: 4}, 0},
		{"submit", "running", Command{Kind: CmdSubmit, Seq: 2, Confirm: true}, soon,
			&event{T: evSubmit, At: soon, Seq: 2, Reason: ReasonCandidate}, 1},
		{"start", "waiting", Command{Kind: CmdStart}, soon, &event{T: evStart, At: soon}, 0},
		{"extra time", "running", Command{Kind: CmdExtraTime, Extra: 5 * time.Minute, By: "inv1"}, soon,
			&event{T: evExtra, At: soon, ExtraMS: 300000, By: "inv1"}, 0},
		{"extra time while paused", "paused", Command{Kind: CmdExtraTime, Extra: time.Minute, By: "inv1"}, soon,
			&event{T: evExtra, At: soon, ExtraMS: 60000, By: "inv1"}, 0},
		{"pause", "running", Command{Kind: CmdPause, By: "inv1"}, soon, &event{T: evPause, At: soon, By: "inv1"}, 0},
		{"resume", "paused", Command{Kind: CmdResume, By: "inv1"}, soon, &event{T: evResume, At: soon, By: "inv1"}, 0},
		{"void", "running", Command{Kind: CmdVoid, By: "inv1"}, soon,
			&event{T: evSubmit, At: soon, Reason: ReasonVoided, By: "inv1"}, 1},
		{"deadline", "running", Command{Kind: CmdDeadline}, deadline.Add(Grace),
			&event{T: evSubmit, At: deadline.Add(Grace), Reason: ReasonDeadline}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := attemptIn(t, tc.state)
			n := a.n
			ev, err := a.Decide(tc.cmd, tc.now)
			if err != nil || ev == nil {
				t.Fatalf("Decide = %+v, %v; want an event", ev, err)
			}
			score := ev.Score
			got := *ev
			got.Score = nil
			if !reflect.DeepEqual(&got, tc.want) {
				t.Fatalf("event %+v, want %+v", got, *tc.want)
			}
			if (score != nil) != (tc.want.T == evSubmit) || score != nil && score.Raw != tc.raw {
				t.Fatalf("score %+v, want raw %g on a submission only", score, tc.raw)
			}
			if a.n != n {
				t.Fatal("Decide applied the event")
			}
		})
	}
}

func TestDecideChangesNothing(t *testing.T) {
	tests := []struct {
		name  string
		state string
		cmd   Command
		now   time.Time
	}{
		{"pause a paused attempt", "paused", Command{Kind: CmdPause, By: "inv1"}, begin.Add(11 * time.Minute)},
		{"resume a running attempt", "running", Command{Kind: CmdResume, By: "inv1"}, begin.Add(time.Minute)},
		{"deadline within grace", "running", Command{Kind: CmdDeadline}, deadline.Add(Grace - time.Millisecond)},
		{"deadline while paused", "paused", Command{Kind: CmdDeadline}, deadline.Add(time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if ev, err := attemptIn(t, tc.state).Decide(tc.cmd, tc.now); ev != nil || err != nil {
				t.Fatalf("Decide = %+v, %v; want nothing", ev, err)
			}
		})
	}
}

// step decides cmd at now and applies the event, as the engine does once
// the event is stored.
func step(t *testing.T, a *Attempt, cmd Command, now time.Time) {
	t.Helper()
	ev, err := a.Decide(cmd, now)
	if err != nil || ev == nil {
		t.Fatalf("%s at %v: %+v, %v", cmd.Kind, now, ev, err)
	}
	a.apply(ev)
}

func TestPauseResumeAndExtraTimeMoveTheDeadline(t *testing.T) {
	a := attemptIn(t, "waiting")
	step(t, a, Command{Kind: CmdStart}, begin)
	if !a.Deadline.Equal(deadline) || a.Remaining(begin) != 30*time.Minute {
		t.Fatalf("started: deadline %v, remaining %v", a.Deadline, a.Remaining(begin))
	}
	step(t, a, Command{Kind: CmdPause, By: "inv1"}, begin.Add(10*time.Minute))
	if rem := a.Remaining(begin.Add(2 * time.Hour)); !a.Paused || rem != 20*time.Minute {
		t.Fatalf("paused: paused %v, remaining %v; want 20 minutes standing still", a.Paused, rem)
	}
	resumed := begin.Add(70 * time.Minute)
	step(t, a, Command{Kind: CmdResume, By: "inv1"}, resumed)
	if want := deadline.Add(time.Hour); a.Paused || !a.Deadline.Equal(want) {
		t.Fatalf("resumed: paused %v, deadline %v; want running to %v", a.Paused, a.Deadline, want)
	}
	step(t, a, Command{Kind: CmdExtraTime, Extra: 5 * time.Minute, By: "inv1"}, resumed)
	if want := deadline.Add(time.Hour + 5*time.Minute); !a.Deadline.Equal(want) || a.Remaining(resumed) != 25*time.Minute {
		t.Fatalf("extra time: deadline %v, remaining %v; want %v and 25 minutes", a.Deadline, a.Remaining(resumed), want)
	}
	if ev, err := a.Decide(Command{Kind: CmdAnswer, Seq: 1, Item: "q1", Options: []string{"b"}}, deadline.Add(time.Hour)); err != nil || ev == nil {
		t.Fatalf("answer before the moved deadline: %v", err)
	}
	step(t, a, Command{Kind: CmdDeadline}, a.Deadline.Add(Grace))
	if a.Status != StatusSubmitted || a.Reason != ReasonDeadline || a.Remaining(a.Deadline) != 0 {
		t.Fatalf("at the moved deadline: %s %s", a.Status, a.Reason)
	}
}

func TestCandidateCommand(t *testing.T) {
	for _, typ := range []string{MsgAnswer, MsgFlag, MsgNavigate, MsgSubmit} {
		if cmd, ok := candidateCommand(ClientMsg{Type: typ, Seq: 3}); !ok || string(cmd.Kind) != typ || cmd.Seq != 3 {
			t.Errorf("%s: %+v, %v", typ, cmd, ok)
		}
	}
	for _, typ := range []string{MsgHello, MsgPing, "pause", "void", "deadline", "start", "extra_time"} {
		if cmd, ok := candidateCommand(ClientMsg{Type: typ}); ok {
			t.Errorf("%s asks for %+v; want no command", typ, cmd)
		}
	}
}

// TestDecidePartialMultiple: a multiple-response answer may hold fewer
// options than the item's select while the test runs; it scores only with
// exactly select options, all keys.
func TestDecidePartialMultiple(t *testing.T) {
	soon := begin.Add(time.Minute)
	tests := []struct {
		name    string
		options []string // q4 selects 2, keys a and d
		raw     float64  // the raw mark on submission: q1 (answered b, its key) and q4
	}{
		{"cleared", nil, 1},
		{"one key of two", []string{"a"}, 1},
		{"one wrong", []string{"b"}, 1},
		{"both keys", []string{"d", "a"}, 2},
		{"a key and a wrong one", []string{"a", "c"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := attemptIn(t, "running")
			ev, err := a.Decide(Command{Kind: CmdAnswer, Seq: 2, Item: "q4", Options: tc.options}, soon)
			if err != nil {
				t.Fatalf("answer %v refused: %v", tc.options, err)
			}
			a.apply(ev)
			ev, err = a.Decide(Command{Kind: CmdSubmit, Seq: 3, Confirm: true}, soon)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Score == nil || ev.Score.Raw != tc.raw {
				t.Fatalf("score %+v, want raw %g", ev.Score, tc.raw)
			}
		})
	}
}
