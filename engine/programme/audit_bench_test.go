package programme

import (
	"context"
	"fmt"
	"testing"

	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// BenchmarkAuditedEndorse measures what the audit log adds to a programme
// act: supervisors' endorsements of 64 people, offered open-loop at 500
// acts a second (each act starts at its time whether or not the ones
// before have finished, and its latency is counted from that time), every
// other act taken by a Programme recording into the audit log (its entry
// stored in the same write) and the others by one recording nothing, on
// the same store and on people of their own, so that the store's noise
// falls on both alike. It reports the p50 and p99 of each and the
// difference of the p99s. Run with -benchtime Nx: N acts in all.
// write=record-first is the same store refusing the one write
// (store.ErrNotAtomic), so each entry is appended first.
func BenchmarkAuditedEndorse(b *testing.B) {
	for name, open := range storetest.Backends() {
		b.Run("store="+name+"/write=one", func(b *testing.B) { benchAuditedEndorse(b, open(b)) })
		b.Run("store="+name+"/write=record-first", func(b *testing.B) { benchAuditedEndorse(b, storetest.NotAtomic{Store: open(b)}) })
	}
}

func benchAuditedEndorse(b *testing.B, st store.Store) {
	const people, rate = 64, 500
	ctx := context.Background()
	clk := clock.NewFake(t0)
	plain, err := New(Config{Store: st, Clock: clk, Rules: testRules()})
	must(b, err)
	recorded := loggedProgramme(b, st)
	must(b, plain.CreateEmployers(ctx, admin, []Employer{{ID: "bury", Name: "Bury", Region: "North West", Phase: Phase1, Rating: RatingGood}}))
	must(b, plain.CreateStaff(ctx, admin, []Staff{{ID: "sup-bury", Name: "Sam Super", Employer: "bury", Role: RoleSupervisor}}))
	ps := make([]NewPerson, people)
	for i := range ps {
		id := fmt.Sprintf("p%02d", i)
		ps[i] = NewPerson{Person: Person{ID: id, Name: "Person " + id, Registration: "SW" + id, Employer: "bury",
			Employment: Permanent, Started: t0.AddDate(-2, 0, 0), Email: id + "@example.org", Seeks: Practitioner}}
	}
	must(b, plain.CreatePeople(ctx, admin, ps))
	must(b, recorded.Load(ctx))
	sup := Actor{Kind: ActorStaff, ID: "sup-bury"}
	// Act i is by the recording Programme when i is even, on the first
	// half of the people, and by the other on the second half.
	lat, _ := audittest.OpenLoop(b, rate, func(i int) error {
		p, person := plain, people/2+(i/2)%(people/2)
		if i%2 == 0 {
			p, person = recorded, (i/2)%(people/2)
		}
		_, err := p.Endorse(ctx, sup, goodEndorsement(ps[person].Person.ID, Practitioner))
		return err
	})
	audittest.ReportAlternating(b, st, lat)
}
