package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// twoNodes returns two engines sharing one store, one clock and one broker.
func twoNodes(t *testing.T) (a, b *engine.Engine, clk *clock.Fake, st store.Store) {
	t.Helper()
	return twoNodesWith(t, nil)
}

// twoNodesWith is twoNodes with the library changed by edit first.
func twoNodesWith(t *testing.T, edit func(*content.Library)) (a, b *engine.Engine, clk *clock.Fake, st store.Store) {
	t.Helper()
	lib := testLibrary(t)
	if edit != nil {
		edit(lib)
	}
	s := bolttest.Open(t)
	clk = clock.NewFake(t0)
	br := storetest.NewBroker()
	node := func(name string) *engine.Engine {
		e := engine.New(engine.Config{Library: lib, Store: s, Clock: clk, Broker: br, Node: name})
		if err := e.Recover(context.Background()); err != nil {
			t.Fatal(err)
		}
		br.WaitSubscribed()
		return e
	}
	a, b = node("a"), node("b")
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b, clk, s
}

func TestTwoNodes(t *testing.T) {
	a, b, clk, store := twoNodes(t)
	ctx := context.Background()
	pa := &peer{}
	id := joinReleased(t, a, b, pa)
	if m := pa.last(t); m.Type != engine.MsgAttempt {
		t.Fatalf("released on node b, node a's candidate got %+v", m)
	}
	a.Handle(ctx, id, pa, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})

	// The candidate reconnects to node b: a's connection is closed, b resumes.
	pb, _ := joinOn(t, b, codeOne)
	if pa.closed != engine.CloseTakenOver {
		t.Fatalf("node a's connection closed with %d, want %d", pa.closed, engine.CloseTakenOver)
	}
	am := attemptMsg(t, pb)
	if got := am.Attempt.Answers["q1"]; len(got) != 1 || got[0] != "b" || am.Attempt.LastSeq != 1 {
		t.Fatalf("resumed on node b: %+v", am.Attempt)
	}
	b.Handle(ctx, id, pb, engine.ClientMsg{Type: "answer", Seq: 2, Item: "q2", Options: []string{"a"}})

	// Node b dies; its candidate's deadline still passes, and node a submits.
	b.Close()
	clk.Advance(30*time.Minute + engine.Grace + 2*time.Second)
	att, _, err := a.Attempt(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if att.Status != engine.StatusSubmitted || att.Reason != engine.ReasonDeadline || len(att.Answers) != 2 {
		t.Fatalf("after node b died: %s %s %v", att.Status, att.Reason, att.Answers)
	}
	if n := submits(t, store, id); n != 1 {
		t.Fatalf("%d submit events, want exactly 1", n)
	}
}

// TestDeadlineSubmittedOnceByRacingNodes has both nodes alive at the
// deadline: both try, one submits.
func TestDeadlineSubmittedOnceByRacingNodes(t *testing.T) {
	a, b, clk, store := twoNodes(t)
	ctx := context.Background()
	if _, err := a.Join(ctx, codeOne, &peer{}); err != nil {
		t.Fatal(err)
	}
	id, err := b.Join(ctx, codeTwo, &peer{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	for _, aid := range []string{engine.AttemptID("s1", "c1"), id} {
		if n := submits(t, store, aid); n != 1 {
			t.Fatalf("%s: %d submit events, want 1", aid, n)
		}
	}
}

// submits counts the submit events in an attempt's stream.
func submits(t *testing.T, store store.Store, id string) int {
	t.Helper()
	return events(t, store, id, "submit")
}
