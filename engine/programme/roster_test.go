package programme

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRoster: a booking's code admits its candidate to the sitting on any
// node sharing the store, with the extra time once approved; a cancelled
// or moved booking's code stops working on every node.
func TestRoster(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		other := f.node(t, testRules()) // another node on the same store
		f.endorsed(t, "a")
		f.endorsed(t, "b")
		me := Actor{Kind: ActorCandidate, ID: "a"}
		ba, err := f.p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k1", Adjustments: Adjustments{TimeFactor: 1.5}})
		must(t, err)

		ids, err := other.DeliverySittings(ctx)
		must(t, err)
		if !slices.Equal(ids, []string{"k1", "k2", "ks"}) {
			t.Fatalf("sittings %v", ids)
		}
		s, c, err := other.ByAccessCode(ctx, strings.ToLower(ba.Code))
		must(t, err)
		if s.ID != "k1" || s.Form != "form-p" || s.Centre != "Manchester" || !s.Scheduled.Equal(t0.AddDate(0, 1, 0)) {
			t.Fatalf("sitting %+v", s)
		}
		if c.ID != "a" || c.Name != "Person a" || c.Employer != "bury" || c.AccessCode != ba.Code || c.TimeFactor() != 1 {
			t.Fatalf("before approval %+v", c)
		}
		must(t, f.p.ApproveAdjustments(ctx, admin, "a", ba.ID))
		if _, c, err = other.ByAccessCode(ctx, ba.Code); err != nil || c.TimeFactor() != 1.5 {
			t.Fatalf("after approval %+v, %v", c, err)
		}

		// The other node books b; this node learns the code on its first use.
		bb, err := other.Book(ctx, Actor{Kind: ActorCandidate, ID: "b"}, Request{Person: "b", Kind: Knowledge, Event: "k1"})
		must(t, err)
		if _, c, err := f.p.ByAccessCode(ctx, bb.Code); err != nil || c.ID != "b" {
			t.Fatalf("code from the other node: %+v, %v", c, err)
		}
		k1, err := f.p.DeliverySitting(ctx, "k1")
		must(t, err)
		var got []string
		for _, c := range k1.Candidates {
			got = append(got, c.ID+":"+c.AccessCode)
		}
		if !slices.Equal(got, []string{"a:" + ba.Code, "b:" + bb.Code}) {
			t.Fatalf("k1 candidates %v", got)
		}

		moved, err := f.p.Move(ctx, me, "a", ba.ID, "k2", "")
		must(t, err)
		if _, _, err := other.ByAccessCode(ctx, ba.Code); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a moved booking's old code: %v", err)
		}
		if s, c, err := other.ByAccessCode(ctx, moved.Code); err != nil || s.ID != "k2" || c.TimeFactor() != 1.5 {
			t.Fatalf("the new code: %+v %+v %v", s, c, err)
		}
		must(t, other.Cancel(ctx, Actor{Kind: ActorCandidate, ID: "b"}, "b", bb.ID))
		if _, _, err := f.p.ByAccessCode(ctx, bb.Code); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a cancelled booking's code: %v", err)
		}
		for _, bad := range []string{"", "ZZZZ-ZZZZ-ZZZZ", "../k1"} {
			if _, _, err := f.p.ByAccessCode(ctx, bad); !errors.Is(err, ErrNotFound) {
				t.Fatalf("code %q: %v", bad, err)
			}
		}
		if _, err := f.p.DeliverySitting(ctx, "r1"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a role-play day is no knowledge sitting: %v", err)
		}
		if _, err := f.p.DeliverySitting(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown sitting: %v", err)
		}
	})
}

// TestDeliverySittingRejoinRules: a sitting made with rejoin approval and
// a grace is delivered with them, read on another node; the bound itself
// is accepted, and a sitting made without them delivers an open room.
func TestDeliverySittingRejoinRules(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		other := f.node(t, testRules())
		start := t0.AddDate(0, 2, 0)
		made, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k7", Centre: "Leeds", Start: start, Session: "morning", Capacity: 3,
			Form: "form-p", RejoinApproval: true, RejoinGraceSeconds: MaxRejoinGraceSeconds})
		must(t, err)
		if !made.RejoinApproval || made.RejoinGraceSeconds != MaxRejoinGraceSeconds {
			t.Fatalf("created %+v", made)
		}
		s, err := other.DeliverySitting(ctx, "k7")
		must(t, err)
		if !s.RejoinApproval || s.RejoinGrace() != time.Hour {
			t.Fatalf("delivered rules %+v, want rejoin approval with an hour's grace", s.SittingRules)
		}
		plain, err := other.DeliverySitting(ctx, "k1")
		must(t, err)
		if plain.RejoinApproval || plain.RejoinGraceSeconds != 0 {
			t.Fatalf("k1, made without the rule, delivered with %+v", plain.SittingRules)
		}
	})
}
