package programme

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestCreateRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	start := t0.AddDate(0, 2, 0)
	tests := []struct {
		name string
		do   func() error
		want []Code
	}{
		{"employer by employer admin", func() error {
			return f.p.CreateEmployers(ctx, Actor{Kind: ActorStaff, ID: "adm-bury"}, []Employer{{ID: "x", Name: "X", Region: "R", Phase: Phase1, Rating: RatingGood}})
		}, []Code{CodeNotPermitted}},
		{"employer exists", func() error {
			return f.p.CreateEmployers(ctx, admin, []Employer{{ID: "bury", Name: "X", Region: "R", Phase: Phase1, Rating: RatingGood}})
		}, []Code{CodeInvalid}},
		{"employer fields", func() error {
			return f.p.CreateEmployers(ctx, admin, []Employer{{ID: "-x", Phase: "phase3", Rating: "fine"}})
		}, []Code{CodeInvalid, CodeInvalid, CodeInvalid, CodeInvalid, CodeInvalid}},
		{"staff at unknown employer, bad role", func() error {
			return f.p.CreateStaff(ctx, admin, []Staff{{ID: "s9", Name: "S", Employer: "york", Role: "boss"}})
		}, []Code{CodeUnknownEmployer, CodeInvalid}},
		{"staff exists", func() error {
			return f.p.CreateStaff(ctx, admin, []Staff{{ID: "sup-bury", Name: "S", Employer: "bury", Role: RoleSupervisor}})
		}, []Code{CodeInvalid}},
		{"no staff", func() error { return f.p.CreateStaff(ctx, admin, nil) }, []Code{CodeInvalid}},
		{"person agency in the future", func() error {
			return f.p.CreatePeople(ctx, admin, []NewPerson{{Person: Person{ID: "fut", Name: "F", Registration: "R9", Employer: "bury", Employment: Agency, Started: t0.AddDate(0, 0, 1), Email: "f@example.org", Seeks: Practitioner}}})
		}, []Code{CodeInvalid}},
		{"sitting exists", func() error {
			_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k1", Centre: "C", Start: start, Session: "am", Capacity: 1, Form: "form-p"})
			return err
		}, []Code{CodeExists}},
		{"sitting fields", func() error {
			_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k9", Capacity: 0, Form: "nope"})
			return err
		}, []Code{CodeInvalid, CodeInvalid, CodeInvalid}},
		{"sitting rejoin grace out of bounds", func() error {
			_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k9", Centre: "C", Start: start, Session: "am", Capacity: 1, Form: "form-p",
				RejoinApproval: true, RejoinGraceSeconds: MaxRejoinGraceSeconds + 1})
			return err
		}, []Code{CodeInvalid}},
		{"sitting rejoin grace negative", func() error {
			_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k9", Centre: "C", Start: start, Session: "am", Capacity: 1, Form: "form-p",
				RejoinApproval: true, RejoinGraceSeconds: -1})
			return err
		}, []Code{CodeInvalid}},
		{"sitting rejoin grace without approval", func() error {
			_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k9", Centre: "C", Start: start, Session: "am", Capacity: 1, Form: "form-p",
				RejoinGraceSeconds: 60})
			return err
		}, []Code{CodeInvalid}},
		{"sitting by candidate", func() error {
			_, err := f.p.CreateSitting(ctx, Actor{Kind: ActorCandidate, ID: "a"}, Sitting{ID: "k9"})
			return err
		}, []Code{CodeNotPermitted}},
		{"day slots", func() error {
			_, err := f.p.CreateRolePlayDay(ctx, admin, RolePlayDay{ID: "r9", Centre: "C", Circuit: "circuit-p", Slots: []Slot{{ID: "a", Start: start, Capacity: 1}, {ID: "a", Start: start, Capacity: 1}, {ID: "b", Capacity: 1}}})
			return err
		}, []Code{CodeInvalid, CodeInvalid}},
		{"day circuit", func() error {
			_, err := f.p.CreateRolePlayDay(ctx, admin, RolePlayDay{ID: "r9", Centre: "C", Circuit: "none", Slots: []Slot{{ID: "a", Start: start, Capacity: 1}}})
			return err
		}, []Code{CodeInvalid}},
		{"day exists", func() error {
			_, err := f.p.CreateRolePlayDay(ctx, admin, RolePlayDay{ID: "r1", Centre: "C", Circuit: "circuit-p", Slots: []Slot{{ID: "a", Start: start, Capacity: 1}}})
			return err
		}, []Code{CodeExists}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if !errors.Is(err, ErrRefused) || !slices.Equal(codes(err), tc.want) {
				t.Fatalf("err %v: codes %v, want %v", err, codes(err), tc.want)
			}
		})
	}
	es, _ := f.p.Employers(ctx)
	staff, _ := f.p.StaffOf(ctx, "bury")
	people, _ := f.p.People(ctx, "")
	ids, _ := f.p.Events(ctx, Knowledge)
	days, _ := f.p.Events(ctx, RolePlay)
	if len(es) != 2 || len(staff) != 2 || len(people) != 0 || !slices.Equal(ids, []string{"k1", "k2", "ks"}) || !slices.Equal(days, []string{"r1"}) {
		t.Fatalf("after refusals: %d employers, %d staff, %d people, sittings %v, days %v", len(es), len(staff), len(people), ids, days)
	}
}

// TestRecordsSurviveRestart reopens the programme on a store that another
// node wrote: everything acknowledged is read back, monitoring only
// through Monitoring.
func TestRecordsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	onBackends(t, func(t *testing.T, f *fixture) {
		f.endorsed(t, "a")
		b, err := f.p.Book(ctx, admin, Request{Person: "a", Kind: RolePlay, Event: "r1", Slot: "pm", Adjustments: Adjustments{RestBreaks: true}})
		must(t, err)
		p := f.node(t, testRules())
		must(t, p.Load(ctx))
		rec, err := p.Record(ctx, "a")
		must(t, err)
		if rec.Person.Registration != "SWa" || len(rec.Endorsements) != 1 || len(rec.Bookings) != 1 || rec.Bookings[0].Code != b.Code || rec.Bookings[0].State != BookingLive {
			t.Fatalf("%+v", rec)
		}
		mon, err := p.Monitoring(ctx)
		must(t, err)
		if len(mon) != 1 || mon[0].Monitoring.AgeBand != "50-59" {
			t.Fatalf("monitoring %+v", mon)
		}
		a, err := p.Availability(ctx, RolePlay, "r1")
		must(t, err)
		if a.Free["pm"] != 1 || a.Free["am"] != 2 || a.Day.Status != Practitioner {
			t.Fatalf("%+v", a)
		}
		if _, err := p.Availability(ctx, Knowledge, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
		if _, err := p.Person(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
	})
}
