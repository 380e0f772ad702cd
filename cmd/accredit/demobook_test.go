package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
)

// TestSeedProgrammeDemo seeds the demo programme twice on one store: the
// records, the past cohort's among them, are there once; every person has
// monitoring answers, read through Programme.Monitoring only; the agency
// worker short of tenure is refused;
// the bookings' codes admit their candidates to the next sitting, with
// the extra time approved; the demo invigilator runs it.
func TestSeedProgrammeDemo(t *testing.T) {
	ctx := context.Background()
	d := newDemoStore(t)
	lib, p := d.lib, d.p
	for range 2 {
		if err := seedProgrammeDemo(ctx, d.past, p, demoNow); err != nil {
			t.Fatal(err)
		}
	}
	now := demoNow
	es, _ := p.Employers(ctx)
	people, _ := p.People(ctx, "")
	if len(es) != 3 || len(people) != len(demoPeople)+pastCount {
		t.Fatalf("%d employers, %d people", len(es), len(people))
	}
	mon, err := p.Monitoring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bands := map[string]int{}
	for _, m := range mon {
		if m.Monitoring.AgeBand == "" {
			t.Errorf("%s has no age band", m.Person)
		}
		bands[m.Monitoring.AgeBand]++
	}
	if len(mon) != len(people) || bands[pastDIFFocal] < 40 || bands[pastDIFReference] < 40 {
		t.Fatalf("%d monitoring records of %d people; by age band %v", len(mon), len(people), bands)
	}
	phases := map[programme.Phase]bool{}
	for _, e := range es {
		phases[e.Phase] = true
	}
	if len(phases) != 3 {
		t.Fatalf("employers' phases %v", phases)
	}
	live, booked := 0, 0
	for _, per := range people {
		rec, err := p.Record(ctx, per.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range rec.Endorsements {
			if e.Live(now) {
				live++
			}
		}
		booked += len(rec.Bookings)
	}
	if live != 12+pastCount {
		t.Fatalf("%d live endorsements, want a dozen and the past cohort's %d", live, pastCount)
	}
	if why, err := p.Eligibility(ctx, "n13", programme.Practitioner); err != nil || len(why) == 0 || why[0].Code != programme.CodeNoEndorsement {
		t.Fatalf("the agency worker short of tenure: %v, %v", why, err)
	}
	_, err = p.Endorse(ctx, programme.Actor{Kind: programme.ActorStaff, ID: "sup-northmoor"}, programme.Endorsement{Person: "n13",
		Status: programme.Practitioner, Sessions: []time.Time{now.AddDate(0, 0, -3)}, Summary: "s", FeedbackConsidered: true, FeedbackSummary: "f", Outcome: programme.Ready})
	if rs := programme.Reasons(err); len(rs) != 1 || rs[0].Code != programme.CodeTenure {
		t.Fatalf("endorsing the agency worker: %v", err)
	}

	roster := results.DeliveryRoster(p)
	s, err := roster.Sitting(ctx, nextSitting)
	if err != nil {
		t.Fatal(err)
	}
	if want := 8; len(s.Candidates) != want || booked != 2*want+2*pastCount {
		t.Fatalf("%d candidates on %s, %d bookings; want %d and %d", len(s.Candidates), nextSitting, booked, want, 2*want+2*pastCount)
	}
	if !slices.Equal(s.Invigilators, []string{"s01"}) || lib.Forms[s.Form] == nil {
		t.Fatalf("sitting %+v", s)
	}
	for _, c := range s.Candidates {
		_, got, err := roster.ByCode(ctx, c.AccessCode)
		if err != nil || got.ID != c.ID {
			t.Fatalf("code of %s: %+v, %v", c.ID, got, err)
		}
		if want := map[string]float64{"c04": 1.25}[c.ID]; got.Accommodation != want {
			t.Fatalf("%s's extra time %v, want %v", c.ID, got.Accommodation, want)
		}
	}
}
