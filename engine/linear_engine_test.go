package engine_test

import (
	"context"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
)

// A linear form's attempt says so, takes answers to the current question
// only and moves forward one at a time; a restarted server, whose form has
// since become free, still delivers the attempt linearly (the mode is in
// its create record).
func TestLinearDelivery(t *testing.T) {
	r := newRig(t)
	r.lib.Forms["f1"].Navigation = content.NavigationLinear
	p, id := r.join(codeOne)
	r.release()
	a := attemptMsg(t, p).Attempt
	if !a.Linear || a.Position != 0 {
		t.Fatalf("attempt linear %v at %d, want linear at 0", a.Linear, a.Position)
	}
	first, second := a.Sections[0].Items[0].ID, a.Sections[0].Items[1].ID
	wantCode(t, r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: second, Options: []string{"a"}}), engine.CodeLinear)
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: first, Options: []string{"a"}}); got.Type != engine.MsgAck {
		t.Fatalf("answer to the current question: %+v", got)
	}
	wantCode(t, r.send(p, id, engine.ClientMsg{Type: "navigate", Seq: 2, Position: 2}), engine.CodeLinear)
	if got := r.send(p, id, engine.ClientMsg{Type: "navigate", Seq: 2, Position: 1}); got.Type != engine.MsgAck {
		t.Fatalf("move on to the next: %+v", got)
	}
	r.lib.Forms["f1"].Navigation = content.NavigationFree
	r.restart()
	p2, _ := r.join(codeOne)
	if a := attemptMsg(t, p2).Attempt; !a.Linear || a.Position != 1 {
		t.Fatalf("after the restart: linear %v at %d, want linear at 1", a.Linear, a.Position)
	}
	wantCode(t, r.send(p2, id, engine.ClientMsg{Type: "answer", Seq: 3, Item: first, Options: []string{"b"}}), engine.CodeLinear)
	wantCode(t, r.send(p2, id, engine.ClientMsg{Type: "navigate", Seq: 3, Position: 0}), engine.CodeLinear)
	st, _, _ := r.eng.Attempt(context.Background(), id)
	if got := st.Answers[first]; len(got) != 1 || got[0] != "a" {
		t.Errorf("stored answer to the first question %v, want [a]", got)
	}
}
