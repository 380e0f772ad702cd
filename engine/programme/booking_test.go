package programme

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

func TestBookRefusals(t *testing.T) {
	ctx := context.Background()
	onBackends(t, func(t *testing.T, f *fixture) {
		f.endorsed(t, "a")
		f.endorsed(t, "b")
		f.endorsed(t, "c")
		f.endorsed(t, "d")
		f.person(t, "none", "bury", Permanent, t0.AddDate(-1, 0, 0), Practitioner)
		f.person(t, "sv", "leeds", Permanent, t0.AddDate(-1, 0, 0), Supervisor)
		for _, id := range []string{"a", "b", "c"} {
			_, err := f.p.Book(ctx, admin, Request{Person: id, Kind: Knowledge, Event: "k1"})
			must(t, err)
		}
		self := func(id string) Actor { return Actor{Kind: ActorCandidate, ID: id} }
		tests := []struct {
			name string
			by   Actor
			req  Request
			want []Code
		}{
			{"full", self("d"), Request{Person: "d", Kind: Knowledge, Event: "k1"}, []Code{CodeFull}},
			{"twice", self("a"), Request{Person: "a", Kind: Knowledge, Event: "k2"}, []Code{CodeAlreadyBooked}},
			{"no endorsement", self("none"), Request{Person: "none", Kind: Knowledge, Event: "k2"}, []Code{CodeNoEndorsement}},
			{"wrong status and no endorsement", self("sv"), Request{Person: "sv", Kind: Knowledge, Event: "k2"}, []Code{CodeWrongStatus, CodeNoEndorsement}},
			{"time factor 1", self("d"), Request{Person: "d", Kind: Knowledge, Event: "k2", Adjustments: Adjustments{TimeFactor: 1}}, []Code{CodeAdjustment}},
			{"time factor 2.5", self("d"), Request{Person: "d", Kind: Knowledge, Event: "k2", Adjustments: Adjustments{TimeFactor: 2.5}}, []Code{CodeAdjustment}},
			{"negative factor", self("d"), Request{Person: "d", Kind: Knowledge, Event: "k2", Adjustments: Adjustments{TimeFactor: -1}}, []Code{CodeAdjustment}},
			{"someone else", self("a"), Request{Person: "d", Kind: Knowledge, Event: "k2"}, []Code{CodeNotPermitted}},
			{"other employer's admin", Actor{Kind: ActorStaff, ID: "sup-leeds"}, Request{Person: "d", Kind: Knowledge, Event: "k2"}, []Code{CodeNotPermitted}},
			{"bad kind", self("d"), Request{Person: "d", Kind: "essay", Event: "k2"}, []Code{CodeInvalid}},
			{"bad slot", self("d"), Request{Person: "d", Kind: RolePlay, Event: "r1", Slot: "night"}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.p.Book(ctx, tc.by, tc.req)
				if tc.want == nil {
					if !errors.Is(err, ErrNotFound) {
						t.Fatalf("err %v, want not found", err)
					}
					return
				}
				if !errors.Is(err, ErrRefused) || !slices.Equal(codes(err), tc.want) {
					t.Fatalf("err %v: codes %v, want %v", err, codes(err), tc.want)
				}
			})
		}
		if a, _ := f.p.Availability(ctx, Knowledge, "k2"); a.Free[""] != 3 {
			t.Errorf("k2 free %v after refusals", a.Free)
		}
		rec, _ := f.p.Record(ctx, "d")
		for _, b := range rec.Bookings {
			if b.State == BookingLive || b.State == BookingPending {
				t.Errorf("refused booking live: %+v", b)
			}
		}
	})
}

func TestBookLifecycle(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	f.endorsed(t, "a")
	me := Actor{Kind: ActorCandidate, ID: "a"}
	adj := Adjustments{TimeFactor: 1.25, LargerText: true, RestBreaks: true, SeparateRoom: true}
	b, err := f.p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k1", Adjustments: adj})
	must(t, err)
	if !regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`).MatchString(b.Code) {
		t.Fatalf("code %q", b.Code)
	}
	rp, err := f.p.Book(ctx, Actor{Kind: ActorStaff, ID: "adm-bury"}, Request{Person: "a", Kind: RolePlay, Event: "r1", Slot: "am"})
	must(t, err)

	att, _ := f.p.Attendance(ctx, Knowledge, "k1")
	if len(att) != 1 || att[0].Candidate.AccessCode != b.Code || att[0].Candidate.Accommodation != 0 {
		t.Fatalf("before approval: %+v", att)
	}
	if err := f.p.ApproveAdjustments(ctx, Actor{Kind: ActorStaff, ID: "adm-bury"}, "a", b.ID); !slices.Equal(codes(err), []Code{CodeNotPermitted}) {
		t.Fatalf("employer admin approves: %v", err)
	}
	if err := f.p.ApproveAdjustments(ctx, admin, "a", rp.ID); !slices.Equal(codes(err), []Code{CodeAdjustment}) {
		t.Fatalf("approve nothing: %v", err)
	}
	must(t, f.p.ApproveAdjustments(ctx, admin, "a", b.ID))
	att, _ = f.p.Attendance(ctx, Knowledge, "k1")
	if att[0].Candidate.Accommodation != 1.25 || att[0].Candidate.TimeFactor() != 1.25 {
		t.Fatalf("after approval: %+v", att[0].Candidate)
	}

	moved, err := f.p.Move(ctx, me, "a", b.ID, "k2", "")
	must(t, err)
	if !moved.Approved || moved.Code == b.Code || moved.Replaces != b.ID {
		t.Fatalf("moved %+v", moved)
	}
	free := func(kind Kind, ev, slot string) int {
		a, err := f.p.Availability(ctx, kind, ev)
		must(t, err)
		return a.Free[slot]
	}
	if free(Knowledge, "k1", "") != 3 || free(Knowledge, "k2", "") != 2 {
		t.Fatal("move did not carry the place")
	}
	_, err = f.p.Move(ctx, me, "a", rp.ID, "r1", "pm")
	must(t, err)
	if free(RolePlay, "r1", "am") != 2 || free(RolePlay, "r1", "pm") != 1 {
		t.Fatal("slot move")
	}
	if _, err := f.p.Move(ctx, me, "a", b.ID, "k1", ""); !slices.Contains(codes(err), CodeNotLive) {
		t.Fatalf("move a moved booking: %v", err)
	}
	must(t, f.p.Cancel(ctx, me, "a", moved.ID))
	if free(Knowledge, "k2", "") != 3 {
		t.Fatal("cancel kept the place")
	}
	must(t, f.p.Cancel(ctx, me, "a", moved.ID)) // repeated: nothing more
	rec, _ := f.p.Record(ctx, "a")
	states := map[string]BookingState{}
	for _, x := range rec.Bookings {
		states[x.ID] = x.State
	}
	if states[b.ID] != BookingCancelled || states[moved.ID] != BookingCancelled {
		t.Fatalf("states %v", states)
	}
	_, err = f.p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k1"})
	must(t, err)
	want := []string{"employer.create", "staff.create", "sitting.create", "sitting.create", "sitting.create", "roleplay_day.create",
		"person.create", "endorsement.record", "booking.create", "booking.create", "adjustment.approve", "booking.move", "booking.move",
		"booking.cancel", "booking.create"}
	var got []string
	for _, a := range f.rec.Actions() {
		got = append(got, string(a))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("audit\n%v\nwant\n%v", got, want)
	}
}

func TestChangeRules(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	rules := testRules()
	rules.ChangeCutoff = 48 * time.Hour
	p := f.node(t, rules)
	f.endorsed(t, "a")
	me := Actor{Kind: ActorCandidate, ID: "a"}
	b, err := p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k1"})
	must(t, err)
	f.clk.Advance(31*24*time.Hour - 47*time.Hour) // 47 hours before k1
	if err := p.Cancel(ctx, me, "a", b.ID); !slices.Equal(codes(err), []Code{CodeTooLate}) {
		t.Fatalf("inside the cutoff: %v", err)
	}
	if _, err := p.Move(ctx, me, "a", b.ID, "k2", ""); !slices.Contains(codes(err), CodeTooLate) {
		t.Fatalf("move inside the cutoff: %v", err)
	}
	f.clk.Advance(47 * time.Hour)
	if err := f.p.Cancel(ctx, me, "a", b.ID); !slices.Equal(codes(err), []Code{CodeStarted}) {
		t.Fatalf("after the start: %v", err)
	}
	if _, err := f.p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k1"}); !slices.Contains(codes(err), CodeStarted) {
		t.Fatalf("book a started sitting: %v", err)
	}
}

func TestInterruptedBookingClears(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	f.endorsed(t, "a")
	// A node stored the hold and stopped before taking the place.
	b := Booking{ID: "bk-lost", Person: "a", Kind: Knowledge, Event: "k1", Status: Practitioner, Start: t0.AddDate(0, 1, 0), Code: NewCode(), By: admin, Made: t0}
	_, err := f.p.persons.get(personStream("a")).do(ctx, f.st, func(*personState) (*record, error) {
		return &record{Kind: recHold, At: t0, Booking: &b}, nil
	})
	must(t, err)
	me := Actor{Kind: ActorCandidate, ID: "a"}
	if _, err := f.p.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k2"}); !slices.Equal(codes(err), []Code{CodeInProgress}) {
		t.Fatalf("while it may still finish: %v", err)
	}
	f.clk.Advance(DefaultHoldTimeout)
	other := f.node(t, testRules()) // another node clears it
	nb, err := other.Book(ctx, me, Request{Person: "a", Kind: Knowledge, Event: "k2"})
	must(t, err)
	// The lost node now tries to take its place: barred.
	_, err = f.p.ledgers.get(eventStream(Knowledge, "k1")).do(ctx, f.st, func(l *ledger) (*record, error) {
		return l.decideSeat(Seat{Booking: "bk-lost", Person: "a", Code: b.Code}, f.clk.Now())
	})
	if !slices.Contains(codes(err), CodeNotLive) {
		t.Fatalf("late place: %v", err)
	}
	rec, _ := other.Record(ctx, "a")
	if rec.Bookings[0].State != BookingRefused || rec.Bookings[1].ID != nb.ID || rec.Bookings[1].State != BookingLive {
		t.Fatalf("%+v", rec.Bookings)
	}
}

func TestAuditRefusedStopsTheAct(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	f.endorsed(t, "a")
	f.rec.SetFail(true)
	_, err := f.p.Book(ctx, admin, Request{Person: "a", Kind: Knowledge, Event: "k1"})
	if err == nil || !strings.Contains(err.Error(), "audit") {
		t.Fatalf("booked without an audit entry: %v", err)
	}
	if a, _ := f.p.Availability(ctx, Knowledge, "k1"); a.Free[""] != 3 {
		t.Fatal("place taken")
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := NewCode()
		if len(c) != 14 || seen[c] || content.CheckCode(c) != "" || strings.ContainsAny(c, "01ILO") {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
}

func TestConfigRefusals(t *testing.T) {
	bad := func(edit func(r *Rules)) Rules { r := testRules(); edit(&r); return r }
	for name, r := range map[string]Rules{
		"time factor":        bad(func(r *Rules) { r.MaxTimeFactor = 4 }),
		"no leader":          bad(func(r *Rules) { r.Blueprints = r.Blueprints[:2] }),
		"leader sits itself": bad(func(r *Rules) { r.Blueprints[2].SitInstead = Leader }),
		"shared form":        bad(func(r *Rules) { r.Blueprints[1].Forms = []string{"form-p"} }),
		"no domains":         bad(func(r *Rules) { r.Blueprints[0].Domains = nil }),
		"negative cutoff":    bad(func(r *Rules) { r.ChangeCutoff = -time.Hour }),
	} {
		if err := r.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := New(Config{}); !errors.Is(err, ErrInvalidConfig) {
		t.Error("no store accepted")
	}
}
