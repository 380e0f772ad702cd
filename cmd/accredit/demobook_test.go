package main

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// TestSeedProgrammeDemo seeds the demo programme twice on one store: the
// records are there once; the agency worker short of tenure is refused;
// the bookings' codes admit their candidates to the next sitting, with
// the extra time approved; the demo invigilator runs it.
func TestSeedProgrammeDemo(t *testing.T) {
	ctx := context.Background()
	st := webtest.BoltAt(t, filepath.Join(t.TempDir(), "demo.db"))
	lib, err := loadContent("")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := readProgrammeRules("", true)
	if err != nil {
		t.Fatal(err)
	}
	p, err := openProgramme(ctx, rules, nil, st, lib, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for range 2 {
		if err := seedProgrammeDemo(ctx, p, now); err != nil {
			t.Fatal(err)
		}
	}
	es, _ := p.Employers(ctx)
	people, _ := p.People(ctx, "")
	if len(es) != 3 || len(people) != len(demoPeople) {
		t.Fatalf("%d employers, %d people", len(es), len(people))
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
	if live != 12 {
		t.Fatalf("%d live endorsements, want a dozen", live)
	}
	if why, err := p.Eligibility(ctx, "n13", programme.Practitioner); err != nil || len(why) == 0 || why[0].Code != programme.CodeNoEndorsement {
		t.Fatalf("the agency worker short of tenure: %v, %v", why, err)
	}
	_, err = p.Endorse(ctx, programme.Actor{Kind: programme.ActorStaff, ID: "sup-northmoor"}, programme.Endorsement{Person: "n13",
		Status: programme.Practitioner, Sessions: []time.Time{now.AddDate(0, 0, -3)}, Summary: "s", FeedbackConsidered: true, FeedbackSummary: "f", Outcome: programme.Ready})
	if rs := programme.Reasons(err); len(rs) != 1 || rs[0].Code != programme.CodeTenure {
		t.Fatalf("endorsing the agency worker: %v", err)
	}

	roster := web.ProgrammeRoster(p)
	s, err := roster.Sitting(ctx, nextSitting)
	if err != nil {
		t.Fatal(err)
	}
	if want := 8; len(s.Candidates) != want || booked != 2*want {
		t.Fatalf("%d candidates on %s, %d bookings; want %d and %d", len(s.Candidates), nextSitting, booked, want, 2*want)
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
