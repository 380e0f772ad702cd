package engine_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine"
)

// TestSeqRules: what a change's seq may be. A re-sent change identical to
// the stored one is acknowledged again; a different change under a stored
// seq, a seq never stored below the last one, or a seq over 2^53-1 is
// refused with 306 and stores nothing; after submission any stale seq is
// 302, never a duplicate acknowledgement.
func TestSeqRules(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	answer := func(seq uint64, item string, opts ...string) engine.ClientMsg {
		return engine.ClientMsg{Type: engine.MsgAnswer, Seq: seq, Item: item, Options: opts}
	}
	for _, m := range []engine.ClientMsg{answer(1, "q1", "b"), answer(3, "q2", "a")} {
		if got := r.send(p, id, m); got.Type != engine.MsgAck || got.Duplicate {
			t.Fatalf("seq %d: %+v", m.Seq, got)
		}
	}
	for _, tc := range []struct {
		name      string
		m         engine.ClientMsg
		code      int    // 0: a duplicate ack
		inMessage string // part of the refusal's text
	}{
		{"the same change again", answer(1, "q1", "b"), 0, ""},
		{"another item under a stored seq", answer(1, "q2", "c"), engine.CodeBadSeq, "different change"},
		{"other options under a stored seq", answer(3, "q2", "b"), engine.CodeBadSeq, "different change"},
		{"a flag under an answer's seq", engine.ClientMsg{Type: engine.MsgFlag, Seq: 1, Item: "q1", Flagged: true}, engine.CodeBadSeq, "different change"},
		{"a seq never stored, below the last", answer(2, "q3", "a"), engine.CodeBadSeq, "never stored"},
		{"over 2^53-1", answer(1<<53, "q3", "a"), engine.CodeBadSeq, "largest allowed"},
		{"the largest seq is a seq", answer(engine.MaxSeq, "q3", "a"), -1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.send(p, id, tc.m)
			switch tc.code {
			case 0:
				if got.Type != engine.MsgAck || !got.Duplicate || got.Seq != tc.m.Seq {
					t.Errorf("got %+v, want a duplicate ack of seq %d", got, tc.m.Seq)
				}
			case -1:
				if got.Type != engine.MsgAck || got.Duplicate {
					t.Errorf("got %+v, want an ack", got)
				}
			default:
				if got.Type != engine.MsgError || got.Code != tc.code || !strings.Contains(got.Message, tc.inMessage) || got.Seq != tc.m.Seq {
					t.Errorf("got %+v, want error %d naming seq %d and saying %q", got, tc.code, tc.m.Seq, tc.inMessage)
				}
			}
		})
	}
	a, _, err := r.eng.Attempt(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Answers["q1"], []string{"b"}) || !slices.Equal(a.Answers["q2"], []string{"a"}) || a.Flags["q1"] {
		t.Fatalf("a refused change was stored: answers %v flags %v", a.Answers, a.Flags)
	}
}

// TestSubmitAckedThenStale: a submit gets its ack, then "submitted"; after
// it every change, at a stale seq or a new one, is 302.
func TestSubmitAckedThenStale(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	r.send(p, id, engine.ClientMsg{Type: engine.MsgAnswer, Seq: 1, Item: "q1", Options: []string{"b"}})
	before := len(p.types())
	r.send(p, id, engine.ClientMsg{Type: engine.MsgSubmit, Seq: 2, Confirm: true})
	if got := p.types()[before:]; !slices.Equal(got, []string{engine.MsgAck, engine.MsgSubmitted}) {
		t.Fatalf("submit answered with %v, want ack then submitted", got)
	}
	for _, m := range []engine.ClientMsg{
		{Type: engine.MsgAnswer, Seq: 1, Item: "q1", Options: []string{"b"}}, // the same change re-sent
		{Type: engine.MsgSubmit, Seq: 2, Confirm: true},                      // the submit re-sent
		{Type: engine.MsgAnswer, Seq: 3, Item: "q2", Options: []string{"a"}},
	} {
		if got := r.send(p, id, m); got.Type != engine.MsgError || got.Code != engine.CodeSubmitted {
			t.Errorf("%s seq %d after submission: %+v, want 302", m.Type, m.Seq, got)
		}
	}
}

// TestHelloToSubmitted: a candidate who comes back to a submitted attempt
// is shown what was stored (the attempt, no time left), then that it is
// submitted.
func TestHelloToSubmitted(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	r.send(p, id, engine.ClientMsg{Type: engine.MsgAnswer, Seq: 1, Item: "q1", Options: []string{"b"}})
	r.send(p, id, engine.ClientMsg{Type: engine.MsgSubmit, Seq: 2, Confirm: true})
	again, _ := r.join(codeOne)
	if got := again.types(); !slices.Equal(got, []string{engine.MsgWelcome, engine.MsgAttempt, engine.MsgSubmitted}) {
		t.Fatalf("hello to a submitted attempt: %v", got)
	}
	m := attemptMsg(t, again)
	if *m.RemainingMS != 0 || m.Attempt.Status != "submitted" || !slices.Equal(m.Attempt.Answers["q1"], []string{"b"}) {
		t.Fatalf("stored attempt shown as %+v remaining %d", m.Attempt, *m.RemainingMS)
	}
}
