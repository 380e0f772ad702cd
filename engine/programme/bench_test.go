package programme

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
)

// BenchmarkImport imports 150 employers and 30,000 people from CSV into a
// fresh store (docs/programme.md).
func BenchmarkImport(b *testing.B) {
	emp, ppl := employersCSV(150), peopleCSV(30000, 150)
	for name, open := range storetest.Backends() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				f := benchFixture(b, open(b))
				b.StartTimer()
				ctx := context.Background()
				if _, err := f.p.ImportEmployers(ctx, admin, "employers.csv", strings.NewReader(emp)); err != nil {
					b.Fatal(err)
				}
				if n, err := f.p.ImportPeople(ctx, admin, "people.csv", strings.NewReader(ppl)); err != nil || n != 30000 {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// BenchmarkBook200 has 200 endorsed people book at once, on one node (and
// on two nodes sharing Redis), into 8 sittings of 25 places, and reports
// the latency of each booking.
func BenchmarkBook200(b *testing.B) {
	for name, open := range storetest.Backends() {
		for _, nodes := range []int{1, 2} {
			if nodes == 2 && name != "redis" {
				continue
			}
			b.Run(fmt.Sprintf("%s/nodes=%d", name, nodes), func(b *testing.B) {
				var lat []time.Duration
				for b.Loop() {
					b.StopTimer()
					f, ps := bookFixture(b, open(b), nodes)
					b.StartTimer()
					lat = append(lat, bookAll(b, f, ps)...)
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
			})
		}
	}
}

func bookAll(b *testing.B, ps []*Programme, people []string) []time.Duration {
	lat := make([]time.Duration, len(people))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t := time.Now()
			_, err := ps[i%len(ps)].Book(context.Background(), Actor{Kind: ActorCandidate, ID: id}, Request{Person: id, Kind: Knowledge, Event: fmt.Sprintf("b%d", i%8)})
			lat[i] = time.Since(t)
			if err != nil {
				b.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return lat
}

func bookFixture(b *testing.B, st store.Store, nodes int) ([]*Programme, []string) {
	ctx := context.Background()
	f := benchFixture(b, st)
	if _, err := f.p.ImportEmployers(ctx, admin, "e.csv", strings.NewReader(employersCSV(1))); err != nil {
		b.Fatal(err)
	}
	if _, err := f.p.ImportPeople(ctx, admin, "p.csv", strings.NewReader(peopleCSV(200, 1))); err != nil {
		b.Fatal(err)
	}
	must(b, f.p.CreateStaff(ctx, admin, []Staff{{ID: "s", Name: "S", Employer: "e000", Role: RoleSupervisor}}))
	for i := range 8 {
		_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: fmt.Sprintf("b%d", i), Centre: "C", Start: t0.AddDate(0, 1, 0), Session: "am", Capacity: 25, Form: "form-p"})
		must(b, err)
	}
	people := make([]string, 200)
	var wg sync.WaitGroup
	for i := range people {
		people[i] = fmt.Sprintf("p%05d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.p.Endorse(ctx, Actor{Kind: ActorStaff, ID: "s"}, goodEndorsement(people[i], Practitioner))
			must(b, err)
		}()
	}
	wg.Wait()
	ps := []*Programme{f.p}
	for range nodes - 1 {
		p, err := New(Config{Store: st, Clock: f.clk, Rules: testRules()})
		must(b, err)
		must(b, p.Load(ctx))
		ps = append(ps, p)
	}
	return ps, people
}

func benchFixture(b *testing.B, st store.Store) *fixture {
	f := &fixture{st: st, clk: newBenchClock(), rec: &audittest.Recorder{}}
	p, err := New(Config{Store: st, Clock: f.clk, Recorder: f.rec, Rules: testRules()})
	must(b, err)
	f.p = p
	return f
}
