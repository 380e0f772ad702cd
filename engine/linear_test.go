package engine

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// TestDecideLinear drives the rules of linear navigation through Decide.
// In "linear" the candidate is on position 1 of four questions, with the
// review screen at 4; "linear timed" is the same in a form delivered by
// section (positions 0 and 1 the first); in "linear review" they are on
// the review screen. Questions are named by position, since the form
// shuffles them within each section.
func TestDecideLinear(t *testing.T) {
	soon := begin.Add(time.Minute)
	order := attemptIn(t, "linear").lay.order
	answer := func(pos int) Command {
		return Command{Kind: CmdAnswer, Seq: 5, Item: order[pos].ID, Options: []string{"a"}}
	}
	flag := func(pos int) Command { return Command{Kind: CmdFlag, Seq: 5, Item: order[pos].ID, Flagged: true} }
	nav := func(pos int) Command { return Command{Kind: CmdNavigate, Seq: 5, Position: pos} }
	tests := []struct {
		name  string
		state string
		cmd   Command
		code  int    // the refusal's, or 0
		want  string // the event's type when taken
	}{
		{"answer the current question", "linear", answer(1), 0, evAnswer},
		{"change an earlier answer", "linear", answer(0), CodeLinear, ""},
		{"answer ahead", "linear", answer(2), CodeLinear, ""},
		{"flag the current question", "linear", flag(1), 0, evFlag},
		{"flag an earlier question", "linear", flag(0), CodeLinear, ""},
		{"move on to the next", "linear", nav(2), 0, evNavigate},
		{"stay", "linear", nav(1), 0, evNavigate},
		{"go back", "linear", nav(0), CodeLinear, ""},
		{"skip ahead", "linear", nav(3), CodeLinear, ""},
		{"jump to the review", "linear", nav(4), CodeLinear, ""},
		{"move outside the test", "linear", nav(9), CodeBadPosition, ""},
		{"unknown item", "linear", Command{Kind: CmdAnswer, Seq: 5, Item: "q9", Options: []string{"a"}}, CodeUnknownItem, ""},
		{"submit before the end", "linear", Command{Kind: CmdSubmit, Seq: 5, Confirm: true}, 0, evSubmit},
		{"answer from the review", "linear review", answer(3), CodeLinear, ""},
		{"back from the review", "linear review", nav(3), CodeLinear, ""},
		{"submit from the review", "linear review", Command{Kind: CmdSubmit, Seq: 5, Confirm: true}, 0, evSubmit},
		{"a later section is closed still", "linear timed", nav(2), CodeSectionNotOpen, ""},
		{"finish the section", "linear timed", Command{Kind: CmdFinishSection, Seq: 5, Section: 0, Confirm: true}, 0, evSection},
		{"free navigation goes back", "running", nav(0), 0, evNavigate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := attemptIn(t, tt.state).Decide(tt.cmd, soon)
			var pe *ProtocolError
			switch {
			case tt.code != 0:
				if !errors.As(err, &pe) || pe.Code != tt.code {
					t.Fatalf("Decide = %+v, %v; want code %d", ev, err, tt.code)
				}
			case err != nil:
				t.Fatalf("Decide: %v", err)
			case ev == nil || ev.T != tt.want:
				t.Fatalf("Decide = %+v, want a %s event", ev, tt.want)
			}
		})
	}
}

// TestReplayLinear: the mode is kept in the create record, so the
// replayed attempt is linear whatever the form says later; a stream
// written before the mode existed replays as free.
func TestReplayLinear(t *testing.T) {
	create := &event{T: evCreate, At: begin, Sitting: "s1", Candidate: "c1", Form: "f1", Seed: 7,
		LimitMS: (30 * time.Minute).Milliseconds(), Linear: true}
	rec, err := json.Marshal(create)
	if err != nil {
		t.Fatal(err)
	}
	a, err := decodeAttempt(AttemptID("s1", "c1"), [][]byte{rec})
	if err != nil || !a.Linear {
		t.Fatalf("replayed linear %v (%v), want linear", a.Linear, err)
	}
	var old map[string]any
	if err := json.Unmarshal(rec, &old); err != nil {
		t.Fatal(err)
	}
	delete(old, "linear")
	rec, _ = json.Marshal(old)
	if a, err := decodeAttempt(AttemptID("s1", "c1"), [][]byte{rec}); err != nil || a.Linear {
		t.Fatalf("an old stream replayed linear %v (%v), want free", a.Linear, err)
	}
}
