package engine

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// TestDecideSections drives the rules of timed sections through Decide: in
// the "timed" states the first section (q1, q2; positions 0-1) or the
// second (q3, q4; positions 2-3, and the review screen, 4) is current.
func TestDecideSections(t *testing.T) {
	soon := begin.Add(time.Minute)
	firstUp := begin.Add(sectionLimit + Grace)                         // the first section's time and grace are over
	secondUp := begin.Add(4*time.Minute + sectionLimit + Grace)        // the second's (opened at 4m)
	answer := Command{Kind: CmdAnswer, Seq: 3, Options: []string{"a"}} // Item set per case
	with := func(c Command, item string) Command { c.Item = item; return c }
	finish := func(sec int) Command { return Command{Kind: CmdFinishSection, Seq: 3, Section: sec, Confirm: true} }
	nav := func(pos int) Command { return Command{Kind: CmdNavigate, Seq: 3, Position: pos} }
	tests := []struct {
		name   string
		state  string
		cmd    Command
		now    time.Time
		code   int    // the refusal's, or 0
		want   string // the event's type, or "" for none
		reason string // the event's Reason, if any
	}{
		{"answer in the open section", "timed", with(answer, "q2"), soon, 0, evAnswer, ""},
		{"answer in a later section", "timed", with(answer, "q3"), soon, CodeSectionNotOpen, "", ""},
		{"flag in a later section", "timed", Command{Kind: CmdFlag, Seq: 3, Item: "q4", Flagged: true}, soon, CodeSectionNotOpen, "", ""},
		{"move within the section", "timed", nav(1), soon, 0, evNavigate, ""},
		{"move into a later section", "timed", nav(2), soon, CodeSectionNotOpen, "", ""},
		{"review before the last section", "timed", nav(4), soon, CodeSectionNotOpen, "", ""},
		{"move outside the test", "timed", nav(9), soon, CodeBadPosition, "", ""},
		{"unknown item", "timed", with(answer, "q9"), soon, CodeUnknownItem, "", ""},
		{"finish unconfirmed", "timed", Command{Kind: CmdFinishSection, Seq: 3}, soon, CodeNotConfirmed, "", ""},
		{"finish a later section", "timed", finish(1), soon, CodeSectionNotOpen, "", ""},
		{"finish the section", "timed", finish(0), soon, 0, evSection, ReasonCandidate},
		{"answer after the section's time", "timed", with(answer, "q1"), firstUp, CodeSectionClosed, "", ""},
		{"answer in the section's grace", "timed", with(answer, "q1"), firstUp.Add(-time.Millisecond), 0, evAnswer, ""},
		{"finish after the section's time", "timed", finish(0), firstUp, CodeSectionClosed, "", ""},
		{"submit after the section's time", "timed", Command{Kind: CmdSubmit, Seq: 3, Confirm: true}, firstUp, 0, evSubmit, ReasonCandidate},
		{"server closes before the grace ends", "timed", Command{Kind: CmdSectionDeadline}, firstUp.Add(-time.Millisecond), 0, "", ""},
		{"server closes out of time", "timed", Command{Kind: CmdSectionDeadline}, firstUp, 0, evSection, ReasonDeadline},
		{"test deadline not due at a section's", "timed", Command{Kind: CmdDeadline}, firstUp, 0, "", ""},
		{"answer in a closed section", "timed second", with(answer, "q1"), soon.Add(4 * time.Minute), CodeSectionClosed, "", ""},
		{"flag in a closed section", "timed second", Command{Kind: CmdFlag, Seq: 3, Item: "q2", Flagged: true}, soon.Add(4 * time.Minute), CodeSectionClosed, "", ""},
		{"move back to a closed section", "timed second", nav(1), soon.Add(4 * time.Minute), CodeSectionClosed, "", ""},
		{"review in the last section", "timed second", nav(4), soon.Add(4 * time.Minute), 0, evNavigate, ""},
		{"answer in the second section", "timed second", with(answer, "q3"), soon.Add(4 * time.Minute), 0, evAnswer, ""},
		{"finish a closed section", "timed second", finish(0), soon.Add(4 * time.Minute), CodeSectionClosed, "", ""},
		{"finish the last section", "timed second", finish(1), soon.Add(4 * time.Minute), CodeLastSection, "", ""},
		{"submit in the last section", "timed second", Command{Kind: CmdSubmit, Seq: 3, Confirm: true}, soon.Add(4 * time.Minute), 0, evSubmit, ReasonCandidate},
		{"last section out of time submits", "timed second", Command{Kind: CmdSectionDeadline}, secondUp, 0, evSubmit, ReasonDeadline},
		{"the deadline submission sees it too", "timed second", Command{Kind: CmdDeadline}, secondUp, 0, evSubmit, ReasonDeadline},
		{"finish in a form delivered whole", "running", finish(0), soon, CodeUnknownType, "", ""},
		{"no section deadline in a form delivered whole", "running", Command{Kind: CmdSectionDeadline}, deadline.Add(time.Hour), 0, "", ""},
		{"no section closed while paused", "paused", Command{Kind: CmdSectionDeadline}, deadline.Add(time.Hour), 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attemptIn(t, tt.state)
			ev, err := a.Decide(tt.cmd, tt.now)
			var pe *ProtocolError
			switch {
			case tt.code != 0:
				if !errors.As(err, &pe) || pe.Code != tt.code {
					t.Fatalf("Decide = %+v, %v; want code %d", ev, err, tt.code)
				}
				return
			case err != nil:
				t.Fatalf("Decide: %v", err)
			case tt.want == "":
				if ev != nil {
					t.Fatalf("Decide = %+v, want no event", ev)
				}
				return
			case ev == nil || ev.T != tt.want || ev.Reason != tt.reason:
				t.Fatalf("Decide = %+v, want %s (%q)", ev, tt.want, tt.reason)
			}
			if ev.T == evSection && (ev.Section != 1 || ev.Pos != 2) {
				t.Errorf("section event opens %d at %d, want 1 at 2", ev.Section, ev.Pos)
			}
		})
	}
}

// Closing a section moves the candidate to the next section's first
// question and starts its clock; why it closed is kept.
func TestApplySection(t *testing.T) {
	a := attemptIn(t, "timed")
	if !a.BySection() || a.Section != 0 || !a.SectionDeadline.Equal(begin.Add(sectionLimit)) {
		t.Fatalf("started: section %d, deadline %v; want 0, %v", a.Section, a.SectionDeadline, begin.Add(sectionLimit))
	}
	at := begin.Add(sectionLimit + Grace)
	ev, err := a.Decide(Command{Kind: CmdSectionDeadline}, at)
	if err != nil || ev == nil {
		t.Fatalf("Decide = %v, %v", ev, err)
	}
	a.apply(ev)
	if a.Section != 1 || a.Position != 2 || !a.SectionDeadline.Equal(at.Add(sectionLimit)) ||
		!reflect.DeepEqual(a.SectionsClosed, []string{ReasonDeadline}) || a.Status != StatusInProgress {
		t.Fatalf("after: section %d, position %d, deadline %v, closed %v, %s", a.Section, a.Position, a.SectionDeadline, a.SectionsClosed, a.Status)
	}
	if !reflect.DeepEqual(a.Answers["q1"], []string{"b"}) {
		t.Errorf("the closed section's answer is %v, want it kept as stored", a.Answers["q1"])
	}
}

// A pause and incident time move the section's deadline as they move the
// test's.
func TestSectionDeadlineMoves(t *testing.T) {
	a := attemptIn(t, "timed")
	a.apply(&event{T: evPause, At: begin.Add(5 * time.Minute)})
	if got, _ := a.SectionRemaining(begin.Add(7 * time.Minute)); got != 5*time.Minute {
		t.Errorf("section time left while paused = %v, want 5m (the clock stands still)", got)
	}
	a.apply(&event{T: evResume, At: begin.Add(8 * time.Minute)})
	a.apply(&event{T: evExtra, At: begin.Add(9 * time.Minute), ExtraMS: (2 * time.Minute).Milliseconds()})
	if want := begin.Add(sectionLimit + 5*time.Minute); !a.SectionDeadline.Equal(want) {
		t.Errorf("section deadline %v, want %v (3m paused, 2m given)", a.SectionDeadline, want)
	}
	if want := deadline.Add(5 * time.Minute); !a.Deadline.Equal(want) {
		t.Errorf("test deadline %v, want %v", a.Deadline, want)
	}
	if ev, _ := a.Decide(Command{Kind: CmdSectionDeadline}, begin.Add(sectionLimit+Grace)); ev != nil {
		t.Errorf("the section closed at its first deadline: %+v", ev)
	}
}

// The section's time left never passes the test's.
func TestSectionRemainingBoundedByTest(t *testing.T) {
	a := attemptIn(t, "timed")
	a.apply(&event{T: evExtra, At: begin, ExtraMS: (-25 * time.Minute).Milliseconds()}) // the test has 5m; the section -15m
	a.SectionDeadline = begin.Add(sectionLimit)                                         // as if only the test's had moved
	if got, ok := a.SectionRemaining(begin); !ok || got != 5*time.Minute {
		t.Errorf("section time left = %v, %v; want 5m, the test's", got, ok)
	}
	if _, ok := attemptIn(t, "running").SectionRemaining(begin); ok {
		t.Error("an untimed form reports section time")
	}
}

// A stream with section records replays to the same attempt, as after a
// restart; a stream without them replays as a form delivered whole.
func TestReplaySections(t *testing.T) {
	a := attemptIn(t, "timed second")
	evs := []*event{
		{T: evCreate, At: begin, Sitting: "s1", Candidate: "c1", Form: "f1", Seed: 7, LimitMS: (30 * time.Minute).Milliseconds(),
			SectionsMS: []int64{sectionLimit.Milliseconds(), sectionLimit.Milliseconds()}},
		{T: evStart, At: begin}, {T: evAnswer, At: begin, Seq: 1, Item: "q1", Options: []string{"b"}},
		{T: evSection, At: begin.Add(4 * time.Minute), Seq: 2, Section: 1, Pos: 2, Reason: ReasonCandidate},
	}
	var recs [][]byte
	for _, ev := range evs {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, b)
	}
	b, err := decodeAttempt(a.ID, recs)
	if err != nil {
		t.Fatal(err)
	}
	b.lay = a.lay
	if b.Section != a.Section || !b.SectionDeadline.Equal(a.SectionDeadline) || b.Position != 2 ||
		!reflect.DeepEqual(b.SectionLimits, a.SectionLimits) || !reflect.DeepEqual(b.SectionsClosed, a.SectionsClosed) {
		t.Errorf("replayed section %d deadline %v position %d limits %v closed %v; want %d %v 2 %v %v",
			b.Section, b.SectionDeadline, b.Position, b.SectionLimits, b.SectionsClosed,
			a.Section, a.SectionDeadline, a.SectionLimits, a.SectionsClosed)
	}
	plain := *evs[0]
	plain.SectionsMS = nil // a create written before timed sections
	first, err := json.Marshal(&plain)
	if err != nil {
		t.Fatal(err)
	}
	old, err := decodeAttempt(a.ID, append([][]byte{first}, recs[1:3]...))
	if err != nil {
		t.Fatal(err)
	}
	if old.BySection() || !old.SectionDeadline.IsZero() || old.Status != StatusInProgress || !old.Deadline.Equal(deadline) {
		t.Errorf("an old stream replays as by section %v, section deadline %v, %s, deadline %v", old.BySection(), old.SectionDeadline, old.Status, old.Deadline)
	}
}

// An untimed section in a form with timed ones runs until the candidate
// finishes it or the test's time runs out; the timed one after it gets its
// clock when it opens.
func TestUntimedSectionAmongTimed(t *testing.T) {
	a := attemptIn(t, "timed")
	a.SectionLimits[0] = 0 // as recorded for a form whose first section is untimed
	a.openSection(0, begin)
	if _, ok := a.SectionRemaining(begin); ok {
		t.Error("an untimed section reports its own time")
	}
	if ev, err := a.Decide(Command{Kind: CmdSectionDeadline}, deadline); ev != nil || err != nil {
		t.Errorf("the server closed an untimed section: %+v, %v", ev, err)
	}
	ev, err := a.Decide(Command{Kind: CmdFinishSection, Seq: 3, Section: 0, Confirm: true}, begin.Add(12*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	a.apply(ev)
	if got, ok := a.SectionRemaining(begin.Add(12 * time.Minute)); !ok || got != sectionLimit {
		t.Errorf("the timed section after it has %v, %v; want its 10m from when it opened", got, ok)
	}
	if got, _ := a.SectionRemaining(begin.Add(18 * time.Minute)); got != 4*time.Minute {
		t.Errorf("6 minutes later: %v left, want 4m", got)
	}
}

// An image or stylesheet of a later section's question or its case is
// not shown before the section opens; one of the open or a closed section
// is.
func TestShowsAsset(t *testing.T) {
	stem := func(p string) string { return `<p><img src="` + p + `" alt="x"/></p>` }
	opts := []content.Option{{ID: "a", Text: "A"}, {ID: "b", Text: "B"}}
	lib := &content.Library{Items: map[string]*content.Item{
		"x1": {ID: "x1", Type: content.SingleBest, Stem: "One", StemHTML: stem("img/one.png"), Options: opts, Key: []string{"a"}},
		"x2": {ID: "x2", Type: content.SingleBest, Case: "c2", Stem: "Two", StemHTML: stem("img/two.png"), Options: opts, Key: []string{"a"},
			Stylesheets: []string{"styles/two.css"}},
	}, Cases: map[string]*content.Case{
		"c2": {ID: "c2", Title: "Case", Text: "Case", Stylesheets: []string{"styles/case.css"}},
	}}
	f := &content.Form{ID: "f", Sections: []content.Section{
		{ID: "a", Title: "A", TimeLimit: content.Duration(time.Minute), Items: []string{"x1"}},
		{ID: "b", Title: "B", Items: []string{"x2"}},
	}}
	a := &Attempt{Status: StatusInProgress, SectionLimits: []time.Duration{time.Minute, 0}}
	a.lay = newLayout(newFormIndex(lib, f), 1)
	shown := func() []bool {
		return []bool{a.ShowsAsset("img/one.png"), a.ShowsAsset("img/two.png"), a.ShowsAsset("styles/two.css"), a.ShowsAsset("styles/case.css")}
	}
	if got := shown(); !slices.Equal(got, []bool{true, false, false, false}) {
		t.Errorf("in the first section: one, two, two's sheet, its case's sheet %v; want only one", got)
	}
	a.Section = 1
	if got := shown(); !slices.Equal(got, []bool{true, true, true, true}) {
		t.Errorf("in the second section: one, two, two's sheet, its case's sheet %v; want all", got)
	}
	a.SectionLimits = nil
	a.Section = 0
	if !a.ShowsAsset("img/two.png") {
		t.Error("a form delivered whole does not show every image")
	}
}
