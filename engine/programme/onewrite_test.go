package programme

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine/store"
)

// sideStore is a store whose AppendAll may refuse (notAtomic) or, once,
// store a hold on the booking person's stream just before the write.
type sideStore struct {
	store.Store
	notAtomic bool
	mu        sync.Mutex // protects intrude, calls
	intrude   *record
	calls     int
}

func (s *sideStore) AppendAll(ctx context.Context, writes ...store.Write) ([]int64, error) {
	s.mu.Lock()
	s.calls++
	in := s.intrude
	s.intrude = nil
	s.mu.Unlock()
	if s.notAtomic {
		return nil, store.ErrNotAtomic
	}
	if in != nil {
		for _, w := range writes {
			if strings.HasPrefix(w.Stream, prefixPerson) {
				if _, err := s.Store.Append(ctx, w.Stream, -1, mustJSON(in)); err != nil {
					return nil, err
				}
			}
		}
	}
	return s.Store.AppendAll(ctx, writes...)
}

func mustJSON(r *record) []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return b
}

// TestBookingPersonMoved: another node begins a booking for the person
// between the decision and the one write: nothing is stored, the booking
// is decided again on the person's stream as it now stands and refused,
// and no place is taken.
func TestBookingPersonMoved(t *testing.T) {
	ctx := context.Background()
	ss := &sideStore{Store: openBolt(t)}
	f := newFixture(t, ss)
	f.endorsed(t, "a")
	ss.intrude = &record{Kind: recHold, At: t0, Booking: &Booking{ID: "bk-other", Person: "a", Kind: Knowledge, Event: "k2", Status: Practitioner, Start: t0.AddDate(0, 1, 7), Made: t0}}
	me := Actor{Kind: ActorCandidate, ID: "a"}
	_, err := f.p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k1"})
	if !slices.Equal(codes(err), []Code{CodeInProgress}) {
		t.Fatalf("booking over a hold stored meanwhile: %v", err)
	}
	if ss.calls != 1 {
		t.Fatalf("%d one-write attempts, want 1", ss.calls)
	}
	att, err := f.node(t, testRules()).Attendance(ctx, Knowledge, "k1")
	must(t, err)
	if len(att) != 0 {
		t.Fatalf("k1 has %d places after a refused booking", len(att))
	}
	rec, err := f.node(t, testRules()).Record(ctx, "a")
	must(t, err)
	if len(rec.Bookings) != 1 || rec.Bookings[0].ID != "bk-other" {
		t.Fatalf("bookings stored: %+v", rec.Bookings)
	}
}

// TestBookingOneWrite: a booking is one write: its seat and the person's
// live booking, with no hold or confirmation.
func TestBookingOneWrite(t *testing.T) {
	ctx := context.Background()
	ss := &sideStore{Store: openBolt(t)}
	f := newFixture(t, ss)
	f.endorsed(t, "a")
	b, err := f.p.Book(ctx, Actor{Kind: ActorCandidate, ID: "a"}, Request{Person: "a", Kind: Knowledge, Event: "k1"})
	must(t, err)
	if ss.calls != 1 || b.State != BookingLive {
		t.Fatalf("%d one-write attempts, state %s", ss.calls, b.State)
	}
	kinds := personKinds(t, ss, "a")
	if !slices.Equal(kinds, []string{recEndorse, recBooked}) {
		t.Fatalf("person stream %v", kinds)
	}
	rec, err := f.p.Record(ctx, "a")
	must(t, err)
	if len(rec.Bookings) != 1 || rec.Bookings[0].State != BookingLive {
		t.Fatalf("this node's copy: %+v", rec.Bookings)
	}
}

// TestBookingNotAtomic: a store that cannot write the two streams together
// books by hold, seat and confirmation.
func TestBookingNotAtomic(t *testing.T) {
	ctx := context.Background()
	ss := &sideStore{Store: openBolt(t), notAtomic: true}
	f := newFixture(t, ss)
	f.endorsed(t, "a")
	f.endorsed(t, "b")
	for _, id := range []string{"a", "b"} {
		bk, err := f.p.Book(ctx, Actor{Kind: ActorCandidate, ID: id}, Request{Person: id, Kind: Knowledge, Event: "k1"})
		must(t, err)
		if bk.State != BookingLive {
			t.Fatalf("%s: %s", id, bk.State)
		}
		if kinds := personKinds(t, ss, id); !slices.Equal(kinds, []string{recEndorse, recHold, recConfirm}) {
			t.Fatalf("%s: person stream %v", id, kinds)
		}
	}
	if ss.calls != 1 {
		t.Fatalf("%d one-write attempts after the first refusal, want 1", ss.calls)
	}
	att, err := f.node(t, testRules()).Attendance(ctx, Knowledge, "k1")
	must(t, err)
	if len(att) != 2 {
		t.Fatalf("k1 has %d places", len(att))
	}
}

func personKinds(t *testing.T, s store.Store, id string) []string {
	t.Helper()
	raw, err := s.Read(context.Background(), personStream(id), 0)
	must(t, err)
	var out []string
	for _, b := range raw {
		var r record
		must(t, json.Unmarshal(b, &r))
		out = append(out, r.Kind)
	}
	return out
}
