package programme

import (
	"context"
	"slices"
	"sync"
	"testing"
)

// stubGate refuses while refuse is set, and keeps what it was asked.
type stubGate struct {
	mu     sync.Mutex // protects refuse, asked
	refuse bool
	asked  []GateQuery
}

func (g *stubGate) MayBook(_ context.Context, q GateQuery) ([]Reason, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked = append(g.asked, q)
	if g.refuse {
		return []Reason{{Code: "resit_too_soon", Message: "too soon"}}, nil
	}
	return nil, nil
}

func TestGate(t *testing.T) {
	ctx := context.Background()
	onBackends(t, func(t *testing.T, f *fixture) {
		g := &stubGate{refuse: true}
		gated, err := New(Config{Store: f.st, Clock: f.clk, Recorder: f.rec, Rules: testRules(), Gate: g})
		must(t, err)
		f.endorsed(t, "a")
		f.endorsed(t, "b")
		self := Actor{Kind: ActorCandidate, ID: "a"}
		if _, err := gated.Book(ctx, self, Request{Person: "a", Kind: Knowledge, Event: "k1"}); !slices.Equal(codes(err), []Code{"resit_too_soon"}) {
			t.Fatalf("gate refusing: %v", err)
		}
		if rec, _ := gated.Record(ctx, "a"); len(rec.Bookings) != 0 {
			t.Fatalf("a refused booking left %+v", rec.Bookings)
		}
		g.mu.Lock()
		g.refuse = false
		g.mu.Unlock()
		_, err = gated.Book(ctx, self, Request{Person: "a", Kind: Knowledge, Event: "k1"})
		must(t, err)
		_, err = f.p.Book(ctx, admin, Request{Person: "b", Kind: Knowledge, Event: "k1"})
		must(t, err)
		f.clk.Advance(t0.AddDate(0, 1, 1).Sub(f.clk.Now())) // k1 has started; k2 has not

		// Without a gate a sat booking still blocks; with one the gate decides.
		if _, err := f.p.Book(ctx, admin, Request{Person: "b", Kind: Knowledge, Event: "k2"}); !slices.Equal(codes(err), []Code{CodeAlreadyBooked}) {
			t.Fatalf("second sitting without a gate: %v", err)
		}
		if _, err := gated.Book(ctx, self, Request{Person: "a", Kind: Knowledge, Event: "k2"}); err != nil {
			t.Fatalf("second sitting with a gate allowing it: %v", err)
		}
		g.mu.Lock()
		q := g.asked[len(g.asked)-1]
		g.mu.Unlock()
		if q.Person.ID != "a" || q.Kind != Knowledge || q.Event != "k2" || q.Form != "form-p" || q.Status != Practitioner ||
			!q.Start.Equal(t0.AddDate(0, 1, 7)) || !q.Now.Equal(f.clk.Now()) || len(q.Bookings) != 1 || q.Bookings[0].Event != "k1" {
			t.Fatalf("gate asked %+v", q)
		}
	})
}
