package results

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

var (
	padmin = programme.Actor{Kind: programme.ActorAdmin, ID: "admin1"}
	self   = programme.Actor{Kind: programme.ActorCandidate, ID: "p1"}
)

// gateRig is a Programme whose booking Gate is the re-sit rules of
// Results over the programme's own roster.
type gateRig struct {
	p   *programme.Programme
	r   *Results
	ev  *fakeEvidence
	clk *clock.Fake
}

func newGateRig(t *testing.T, st store.Store) *gateRig {
	t.Helper()
	ctx := context.Background()
	g := &gateRig{ev: newFakeEvidence(), clk: clock.NewFake(t0)}
	roster := &ProgrammeRoster{}
	r, err := New(Config{Store: st, Clock: g.clk, Evidence: g.ev, Roster: roster, Blueprints: testBlueprints(),
		Windows: []Window{spring, summer}, Resit: testResit()})
	must(t, err)
	g.r = r
	p, err := programme.New(programme.Config{Store: st, Clock: g.clk, Gate: r.Gate(),
		Rules: programme.Rules{Blueprints: testBlueprints()}})
	must(t, err)
	roster.P, g.p = p, p
	must(t, p.CreateEmployers(ctx, padmin, []programme.Employer{{ID: "bury", Name: "Bury", Region: "North West", Phase: programme.Phase1, Rating: programme.RatingGood}}))
	must(t, p.CreateStaff(ctx, padmin, []programme.Staff{{ID: "sup-bury", Name: "Sam Super", Employer: "bury", Role: programme.RoleSupervisor}}))
	must(t, p.CreatePeople(ctx, padmin, []programme.NewPerson{{Person: programme.Person{ID: "p1", Name: "Pat One", Registration: "SW1",
		Employer: "bury", Employment: programme.Permanent, Started: t0.AddDate(-2, 0, 0), Email: "p1@example.org", Seeks: programme.Practitioner}}}))
	_, err = p.Endorse(ctx, programme.Actor{Kind: programme.ActorStaff, ID: "sup-bury"}, programme.Endorsement{Person: "p1", Status: programme.Practitioner,
		Sessions: []time.Time{t0.AddDate(0, 0, -30), t0.AddDate(0, 0, -7)}, Summary: "Reflected on three cases.",
		FeedbackConsidered: true, FeedbackSummary: "Families said they felt heard.", Outcome: programme.Ready})
	must(t, err)
	for _, s := range []struct {
		id, form string
		days     int
	}{{"k1", "form-p", 7}, {"k2", "form-p2", 110}} {
		_, err := p.CreateSitting(ctx, padmin, programme.Sitting{ID: s.id, Centre: "Manchester", Start: t0.AddDate(0, 0, s.days), Session: "morning", Capacity: 10, Form: s.form})
		must(t, err)
	}
	for _, d := range []struct {
		id   string
		days int
	}{{"r1", 8}, {"r2", 95}, {"r3", 90}, {"r4", 100}} {
		_, err := p.CreateRolePlayDay(ctx, padmin, programme.RolePlayDay{ID: d.id, Centre: "Manchester", Circuit: "circuit-p",
			Slots: []programme.Slot{{ID: "am", Start: t0.AddDate(0, 0, d.days), Capacity: 10}}})
		must(t, err)
	}
	return g
}

func (g *gateRig) book(kind programme.Kind, event, slot string) error {
	_, err := g.p.Book(context.Background(), self, programme.Request{Person: "p1", Kind: kind, Event: event, Slot: slot})
	return err
}

func programmeCodes(err error) []programme.Code {
	var out []programme.Code
	for _, r := range programme.Reasons(err) {
		out = append(out, r.Code)
	}
	return out
}

// TestResitThroughBooking books a partially met practitioner's fast-track
// re-sit through programme.Book: refused before release, for the element
// passed, too soon and while an appeal is open; accepted after.
func TestResitThroughBooking(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			g := newGateRig(t, open(t))
			must(t, g.book(programme.Knowledge, "k1", ""))
			must(t, g.book(programme.RolePlay, "r1", "am"))
			g.clk.Advance(85 * day)
			g.ev.setKnowledge("k1", "form-p", "p1", 50)
			g.ev.setRolePlay("circuit-p", "p1", 40)
			_, err := g.r.Adopt(ctx, psych, standardP(""))
			must(t, err)

			want := func(err error, c ...programme.Code) {
				t.Helper()
				if !slices.Equal(programmeCodes(err), c) {
					t.Fatalf("booking: %v, want %v", err, c)
				}
			}
			want(g.book(programme.RolePlay, "r4", "am"), "resit_not_released")
			_, err = g.r.Release(ctx, admin, spring.ID)
			must(t, err)
			o, err := g.r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "p1"}, "p1")
			must(t, err)
			if o.Outcome != PartiallyMet || !slices.Equal(o.Resit, []Element{RolePlay}) {
				t.Fatalf("p1's outcome %+v", o)
			}
			want(g.book(programme.Knowledge, "k2", ""), "resit_no_resit")
			want(g.book(programme.RolePlay, "r2", "am"), "resit_too_soon")                   // day 95 in summer: 10 days after release, 14 needed
			want(g.book(programme.RolePlay, "r3", "am"), "resit_too_soon", "resit_released") // day 90: in spring
			a, err := g.r.Lodge(ctx, Viewer{Role: RoleCandidate, ID: "p1"}, "p1", "the actor left mid-scenario")
			must(t, err)
			want(g.book(programme.RolePlay, "r4", "am"), "resit_appeal_open")
			_, err = g.r.DecideAppeal(ctx, admin, "p1", a.ID, false, "the recording shows the scenario completed")
			must(t, err)
			must(t, g.book(programme.RolePlay, "r4", "am")) // day 100: summer
			rec, err := g.p.Record(ctx, "p1")
			must(t, err)
			r4 := rec.Bookings[len(rec.Bookings)-1]
			_, err = g.p.Move(ctx, self, "p1", r4.ID, "r2", "am") // day 95: too soon
			want(err, "resit_too_soon")
			rec, err = g.p.Record(ctx, "p1")
			must(t, err)
			var live []string
			for _, b := range rec.Bookings {
				if b.State == programme.BookingLive {
					live = append(live, b.Event)
				}
			}
			if !slices.Equal(live, []string{"k1", "r1", "r4"}) {
				t.Fatalf("live bookings %v, want k1 r1 r4", live)
			}
			// The re-sit is pending in summer: the programme team sees it
			// incomplete; the candidate sees nothing until summer's release.
			d, err := g.r.DecisionOf(ctx, admin, "p1")
			must(t, err)
			if d.Outcome != Incomplete || d.Window != summer.ID || d.Missing[0].Code != CodeNotSubmitted {
				t.Fatalf("decision before the re-sit: %+v", d)
			}
			g.clk.Advance(16 * day) // day 101
			g.ev.setRolePlay("circuit-p", "p1", 65)
			_, err = g.r.Release(ctx, admin, summer.ID)
			must(t, err)
			o, err = g.r.Outcome(ctx, Viewer{Role: RoleEmployer, ID: "adm-bury", Employer: "bury"}, "p1")
			must(t, err)
			if o.Outcome != Met || o.Window != summer.ID {
				t.Fatalf("after the re-sit: %+v", o)
			}
		})
	}
}
