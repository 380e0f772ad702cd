package programme

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentBooking books from many goroutines on two Programmes
// sharing one store (two nodes): each person tries every sitting at once,
// and twice. No sitting takes more than its capacity, nobody holds two
// places, and every acknowledged booking is stored.
func TestConcurrentBooking(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		nodes := []*Programme{f.p, f.node(t, testRules())}
		const people, sittings, capacity = 60, 4, 10
		for i := range sittings {
			_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: fmt.Sprintf("c%d", i), Centre: "Wigan", Start: t0.AddDate(0, 2, i), Session: "morning", Capacity: capacity, Form: "form-p"})
			must(t, err)
		}
		var ps []NewPerson
		for i := range people {
			id := fmt.Sprintf("q%02d", i)
			ps = append(ps, NewPerson{Person: Person{ID: id, Name: id, Registration: "R" + id, Employer: "bury", Employment: Permanent, Started: t0.AddDate(-3, 0, 0), Email: id + "@example.org", Seeks: Practitioner}})
		}
		must(t, f.p.CreatePeople(ctx, admin, ps))
		for _, np := range ps {
			_, err := f.p.Endorse(ctx, Actor{Kind: ActorStaff, ID: "sup-bury"}, goodEndorsement(np.Person.ID, Practitioner))
			must(t, err)
		}
		var mu sync.Mutex // protects acked
		acked := map[string][]Booking{}
		var wg sync.WaitGroup
		for i := range people {
			for s := range sittings * 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id := fmt.Sprintf("q%02d", i)
					b, err := nodes[s%2].Book(ctx, Actor{Kind: ActorCandidate, ID: id}, Request{Person: id, Kind: Knowledge, Event: fmt.Sprintf("c%d", s%sittings)})
					if err == nil {
						mu.Lock()
						acked[id] = append(acked[id], b)
						mu.Unlock()
					} else if !errors.Is(err, ErrRefused) {
						t.Errorf("%s: %v", id, err)
					}
				}()
			}
		}
		wg.Wait()
		// Whoever lost every race tries again, one sitting after another,
		// until the places run out.
		for i := range people {
			id := fmt.Sprintf("q%02d", i)
			for s := 0; s < sittings && len(acked[id]) == 0; s++ {
				b, err := nodes[i%2].Book(ctx, Actor{Kind: ActorCandidate, ID: id}, Request{Person: id, Kind: Knowledge, Event: fmt.Sprintf("c%d", s)})
				if err == nil {
					acked[id] = append(acked[id], b)
				}
			}
		}
		check := nodes[1]
		total := 0
		for i := range sittings {
			att, err := check.Attendance(ctx, Knowledge, fmt.Sprintf("c%d", i))
			must(t, err)
			if len(att) > capacity {
				t.Errorf("sitting c%d has %d places of %d", i, len(att), capacity)
			}
			total += len(att)
		}
		if total != sittings*capacity {
			t.Errorf("%d places taken of %d, with %d people wanting", total, sittings*capacity, people)
		}
		for id, bs := range acked {
			if len(bs) != 1 {
				t.Fatalf("%s acknowledged %d bookings", id, len(bs))
			}
			rec, err := check.Record(ctx, id)
			must(t, err)
			live := 0
			for _, b := range rec.Bookings {
				if b.State == BookingLive {
					live++
					if b.ID != bs[0].ID {
						t.Errorf("%s: live booking %s is not the acknowledged %s", id, b.ID, bs[0].ID)
					}
				}
			}
			if live != 1 {
				t.Errorf("%s has %d live bookings", id, live)
			}
		}
		if len(acked) != total {
			t.Errorf("%d acknowledged, %d places", len(acked), total)
		}
	})
}

// TestConcurrentRegistration creates people with clashing registration
// numbers on two nodes at once: each number is taken once.
func TestConcurrentRegistration(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		nodes := []*Programme{f.p, f.node(t, testRules())}
		var wg sync.WaitGroup
		var mu sync.Mutex // protects ok
		ok := map[string]int{}
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reg := fmt.Sprintf("REG%d", i%10)
				per := Person{ID: fmt.Sprintf("x%d", i), Name: "X", Registration: reg, Employer: "leeds", Employment: Permanent, Started: t0, Email: "x@example.org", Seeks: Practitioner}
				err := nodes[i%2].CreatePeople(ctx, admin, []NewPerson{{Person: per}})
				if err == nil {
					mu.Lock()
					ok[reg]++
					mu.Unlock()
				} else if !errors.Is(err, ErrRefused) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		people, err := f.node(t, testRules()).People(ctx, "leeds")
		must(t, err)
		if len(people) != 10 || len(ok) != 10 {
			t.Fatalf("%d people stored, %d numbers acknowledged", len(people), len(ok))
		}
		for reg, n := range ok {
			if n != 1 {
				t.Errorf("%s taken %d times", reg, n)
			}
		}
	})
}
