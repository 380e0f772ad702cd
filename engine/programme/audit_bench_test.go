package programme

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
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
	for name, open := range benchBackends(b) {
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
	recorded, err := New(Config{Store: st, Clock: clk, Rules: testRules(), Recorder: LogRecorder(audit.New(st, clk))})
	must(b, err)
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
	lat := make([]time.Duration, b.N)
	errs := make([]error, b.N)
	var wg sync.WaitGroup
	interval := time.Second / rate
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		at := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at))
		wg.Go(func() {
			p, person := plain, people/2+(i/2)%(people/2)
			if i%2 == 0 {
				p, person = recorded, (i/2)%(people/2)
			}
			_, errs[i] = p.Endorse(ctx, sup, goodEndorsement(ps[person].Person.ID, Practitioner))
			lat[i] = time.Since(at)
		})
	}
	wg.Wait()
	b.StopTimer()
	for i, err := range errs {
		if err != nil {
			b.Fatalf("act %d: %v", i, err)
		}
	}
	var audited, unaudited []time.Duration
	for i, d := range lat {
		if i%2 == 0 {
			audited = append(audited, d)
		} else {
			unaudited = append(unaudited, d)
		}
	}
	if es, err := audit.Read(ctx, st, 0); err != nil || len(es) != len(audited) {
		b.Fatalf("%d entries stored (%v), want %d", len(es), err, len(audited))
	}
	if len(unaudited) == 0 {
		return // the one-act run that sizes the benchmark
	}
	ms := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(q*float64(len(ds)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(audited, 0.50), "audited-p50-ms")
	b.ReportMetric(ms(audited, 0.99), "audited-p99-ms")
	b.ReportMetric(ms(unaudited, 0.50), "plain-p50-ms")
	b.ReportMetric(ms(unaudited, 0.99), "plain-p99-ms")
	b.ReportMetric(ms(audited, 0.99)-ms(unaudited, 0.99), "p99-diff-ms")
}
