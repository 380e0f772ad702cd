package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
)

// timedRig is a rig whose form f1 has two sections of 10 minutes (q1, q2;
// then q3, q4) in a test of 30.
func timedRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t)
	for i := range r.lib.Forms["f1"].Sections {
		r.lib.Forms["f1"].Sections[i].TimeLimit = content.Duration(10 * time.Minute)
	}
	return r
}

// sectionOf returns the current section of the last attempt message and
// the states of the sections, failing if the attempt is not by section.
func sectionOf(t *testing.T, p *peer) (int, []string) {
	t.Helper()
	a := attemptMsg(t, p).Attempt
	if a.Section == nil {
		t.Fatal("the attempt message names no current section")
	}
	var states []string
	for _, s := range a.Sections {
		states = append(states, s.State)
	}
	return *a.Section, states
}

func wantCode(t *testing.T, got engine.ServerMsg, code int) {
	t.Helper()
	if got.Type != engine.MsgError || got.Code != code {
		t.Fatalf("got %+v, want error %d", got, code)
	}
}

// The candidate sees only the open section, is refused a later one, finishes
// the first, is refused the closed one, and the second closes out of time,
// which submits the test.
func TestTimedSectionsDelivery(t *testing.T) {
	r := timedRig(t)
	p, id := r.join(codeOne)
	r.release()
	m := attemptMsg(t, p)
	if m.SectionRemainingMS == nil || *m.SectionRemainingMS != (10*time.Minute).Milliseconds() {
		t.Fatalf("section time at start %v, want 10 minutes", m.SectionRemainingMS)
	}
	if sec, states := sectionOf(t, p); sec != 0 || states[0] != "open" || states[1] != "later" || len(m.Attempt.Sections[1].Items) != 0 {
		t.Fatalf("at start: section %d, states %v, %d later items shown", sec, states, len(m.Attempt.Sections[1].Items))
	}
	wantCode(t, r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q3", Options: []string{"a"}}), engine.CodeSectionNotOpen)
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}}); got.Type != "ack" {
		t.Fatalf("answer in the open section: %+v", got)
	}
	r.clock.Advance(3 * time.Minute)
	r.send(p, id, engine.ClientMsg{Type: "finish_section", Seq: 2, Section: 0, Confirm: true})
	if sec, states := sectionOf(t, p); sec != 1 || states[0] != "closed" || states[1] != "open" {
		t.Fatalf("after finishing: section %d, states %v", sec, states)
	}
	if by := attemptMsg(t, p).Attempt.Sections[0].ClosedBy; by != engine.ReasonCandidate {
		t.Errorf("the first section closed by %q, want candidate", by)
	}
	if got := r.send(p, id, engine.ClientMsg{Type: "finish_section", Seq: 2, Section: 0, Confirm: true}); got.Type != "ack" || !got.Duplicate {
		t.Errorf("the finish sent again: %+v, want a duplicate ack", got)
	}
	wantCode(t, r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 3, Item: "q2", Options: []string{"a"}}), engine.CodeSectionClosed)
	wantCode(t, r.send(p, id, engine.ClientMsg{Type: "navigate", Seq: 3, Position: 0}), engine.CodeSectionClosed)
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 3, Item: "q4", Options: []string{"a", "d"}}); got.Type != "ack" {
		t.Fatalf("answer in the second section: %+v", got)
	}
	r.clock.Advance(10*time.Minute + engine.Grace)
	if got := p.last(t); got.Type != engine.MsgSubmitted || got.Reason != engine.ReasonDeadline {
		t.Fatalf("when the last section's time ran out: %+v, want submitted at the deadline", got)
	}
	a, _, _ := r.eng.Attempt(context.Background(), id)
	if len(a.Answers["q1"]) != 1 || len(a.Answers["q4"]) != 2 || a.Answers["q2"] != nil {
		t.Errorf("stored answers %v", a.Answers)
	}
}

// The server closes a section out of time on its timer, whether or not the
// candidate is connected; a restarted server rebuilds the section from the
// store and keeps its clock.
func TestSectionClosesOnTimerAndAfterRestart(t *testing.T) {
	r := timedRig(t)
	p, id := r.join(codeOne)
	r.release()
	r.clock.Advance(10 * time.Minute)
	if sec, _ := sectionOf(t, p); sec != 0 {
		t.Fatalf("closed before the grace: section %d", sec)
	}
	r.clock.Advance(engine.Grace)
	if got := p.last(t); got.Type != engine.MsgAttempt {
		t.Fatalf("at the section's deadline sent %+v, want the attempt", got)
	}
	if sec, states := sectionOf(t, p); sec != 1 || states[0] != "closed" || attemptMsg(t, p).Attempt.Sections[0].ClosedBy != engine.ReasonDeadline {
		t.Fatalf("after the section's time: section %d, states %v", sec, states)
	}
	r.clock.Advance(4 * time.Minute)
	r.restart()
	p2, _ := r.join(codeOne)
	if sec, _ := sectionOf(t, p2); sec != 1 {
		t.Fatalf("after the restart: section %d, want 1", sec)
	}
	if got := *attemptMsg(t, p2).SectionRemainingMS; got != (6 * time.Minute).Milliseconds() {
		t.Errorf("section time after the restart %d ms, want 6m (opened when the first closed)", got)
	}
	r.eng.Leave(id, p2)
	r.clock.Advance(6*time.Minute + engine.Grace)
	a, _, _ := r.eng.Attempt(context.Background(), id)
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonDeadline {
		t.Fatalf("with nobody connected, after the second section's time: %s %q", a.Status, a.Reason)
	}
}

// A pause and incident time move the section's deadline; the candidate's
// time accommodation scales the section's limit.
func TestSectionDeadlineMovesAndScales(t *testing.T) {
	r := timedRig(t)
	ctx := context.Background()
	p1, id := r.join(codeOne)
	p2, id2 := r.join(codeTwo) // +25%
	r.release()
	if got := *attemptMsg(t, p2).SectionRemainingMS; got != (12*time.Minute + 30*time.Second).Milliseconds() {
		t.Errorf("section time with +25%%: %d ms, want 12m30s", got)
	}
	r.clock.Advance(2 * time.Minute)
	if err := r.eng.Pause(ctx, id, "inv1"); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(5 * time.Minute)
	if err := r.eng.Resume(ctx, id, "inv1"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.AddTime(ctx, id, 3*time.Minute, "inv1"); err != nil {
		t.Fatal(err)
	}
	if m := p1.last(t); m.Type != engine.MsgTime || m.SectionRemainingMS == nil || *m.SectionRemainingMS != (11*time.Minute).Milliseconds() {
		t.Errorf("after 3 minutes given: %+v, want the section's 11 minutes left", m)
	}
	r.clock.Advance(10*time.Minute + engine.Grace) // 17m: past 10m, not past 10 + 5 + 3
	a, _, _ := r.eng.Attempt(ctx, id)
	if a.Section != 0 {
		t.Fatalf("closed before its moved deadline: section %d", a.Section)
	}
	r.clock.Advance(time.Minute) // 18m + grace
	if a, _, _ = r.eng.Attempt(ctx, id); a.Section != 1 || a.SectionsClosed[0] != engine.ReasonDeadline {
		t.Fatalf("after the moved deadline: section %d, closed %v", a.Section, a.SectionsClosed)
	}
	if b, _, _ := r.eng.Attempt(ctx, id2); b.Section != 1 {
		t.Errorf("the +25%% candidate is in section %d at 18m, want 1 (closed at 12m30s)", b.Section)
	}
}

// timedLib gives f1's two sections ten minutes each.
func timedLib(lib *content.Library) {
	for i := range lib.Forms["f1"].Sections {
		lib.Forms["f1"].Sections[i].TimeLimit = content.Duration(10 * time.Minute)
	}
}

// A section closed by one node's timer reaches the candidate connected to
// the other; when the node that started the attempt dies, the node the
// candidate moved to closes the next section on its own timer.
func TestSectionsOnTwoNodes(t *testing.T) {
	a, b, clk, _ := twoNodesWith(t, timedLib)
	ctx := context.Background()
	id := joinReleased(t, a, a, &peer{})
	pb, _ := joinOn(t, b, codeOne)
	clk.Advance(10*time.Minute + engine.Grace)
	if sec, states := sectionOf(t, pb); sec != 1 || states[0] != "closed" {
		t.Fatalf("on node b after the first section's time: section %d, states %v", sec, states)
	}
	a.Close()
	clk.Advance(10*time.Minute + engine.Grace)
	att, _, err := b.Attempt(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if att.Status != engine.StatusSubmitted || att.Reason != engine.ReasonDeadline {
		t.Fatalf("after node a died and the second section's time ran out: %s %q", att.Status, att.Reason)
	}
	if got := pb.last(t); got.Type != engine.MsgSubmitted {
		t.Errorf("node b's candidate got %+v, want submitted", got)
	}
}

// A candidate who moves to another node before any section closes has
// their section closed there on time, though the node that started the
// attempt has died.
func TestSectionClosedByTheNodeTheCandidateMovedTo(t *testing.T) {
	a, b, clk, _ := twoNodesWith(t, timedLib)
	joinReleased(t, a, a, &peer{})
	pb, _ := joinOn(t, b, codeOne)
	a.Close()
	clk.Advance(10*time.Minute + engine.Grace)
	if sec, states := sectionOf(t, pb); sec != 1 || states[0] != "closed" {
		t.Fatalf("on node b after the first section's time: section %d, states %v", sec, states)
	}
}

// A connected candidate is sent the section's time left 5 minutes and 1
// minute before the section's deadline, as for the test's.
func TestSectionTimeWarnings(t *testing.T) {
	r := timedRig(t)
	p, _ := r.join(codeOne)
	r.release()
	var got []int64
	for _, step := range []time.Duration{5 * time.Minute, 4 * time.Minute} {
		r.clock.Advance(step)
		m := p.last(t)
		if m.Type != engine.MsgTime || m.SectionRemainingMS == nil {
			t.Fatalf("after %v sent %+v, want a time message with the section's time", step, m)
		}
		got = append(got, *m.SectionRemainingMS)
	}
	if got[0] != (5*time.Minute).Milliseconds() || got[1] != time.Minute.Milliseconds() {
		t.Errorf("section time sent %v ms, want 5m then 1m", got)
	}
}
