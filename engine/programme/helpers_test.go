package programme

import (
	"context"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

var (
	admin = Actor{Kind: ActorAdmin, ID: "admin1"}
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

func openBolt(t testing.TB) store.Store { return bolttest.Open(t) }

// fixture is a programme with two employers, a supervisor and an
// employer administrator at each, and a sitting and a role-play day.
type fixture struct {
	p   *Programme
	st  store.Store
	clk *clock.Fake
	rec *audittest.Recorder
}

func testRules() Rules {
	bps := DefaultBlueprints()
	bps[0].Forms, bps[0].Circuits = []string{"form-p"}, []string{"circuit-p"}
	bps[1].Forms, bps[1].Circuits = []string{"form-s"}, []string{"circuit-s"}
	return Rules{Blueprints: bps}
}

// onBackends runs test as a subtest on each of backends, with a fixture
// on a store of its own.
func onBackends(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Helper()
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) { test(t, newFixture(t, open(t))) })
	}
}

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	f := &fixture{st: st, clk: clock.NewFake(t0), rec: &audittest.Recorder{}}
	f.p = f.node(t, testRules())
	ctx := context.Background()
	must(t, f.p.CreateEmployers(ctx, admin, []Employer{
		{ID: "bury", Name: "Bury", Region: "North West", Phase: Phase1, Rating: RatingGood},
		{ID: "leeds", Name: "Leeds", Region: "Yorkshire", Phase: PhasePilot, Rating: RatingOutstanding},
	}))
	must(t, f.p.CreateStaff(ctx, admin, []Staff{
		{ID: "sup-bury", Name: "Sam Super", Employer: "bury", Role: RoleSupervisor},
		{ID: "adm-bury", Name: "Ann Admin", Employer: "bury", Role: RoleEmployerAdmin},
		{ID: "sup-leeds", Name: "Lee Super", Employer: "leeds", Role: RoleSupervisor},
	}))
	_, err := f.p.CreateSitting(ctx, admin, Sitting{ID: "k1", Centre: "Manchester", Start: t0.AddDate(0, 1, 0), Session: "morning", Capacity: 3, Form: "form-p"})
	must(t, err)
	_, err = f.p.CreateSitting(ctx, admin, Sitting{ID: "k2", Centre: "Leeds", Start: t0.AddDate(0, 1, 7), Session: "afternoon", Capacity: 3, Form: "form-p"})
	must(t, err)
	_, err = f.p.CreateSitting(ctx, admin, Sitting{ID: "ks", Centre: "Leeds", Start: t0.AddDate(0, 1, 7), Session: "morning", Capacity: 3, Form: "form-s"})
	must(t, err)
	_, err = f.p.CreateRolePlayDay(ctx, admin, RolePlayDay{ID: "r1", Centre: "Manchester", Circuit: "circuit-p", Slots: []Slot{
		{ID: "am", Start: t0.AddDate(0, 1, 1), Capacity: 2}, {ID: "pm", Start: t0.AddDate(0, 1, 1).Add(4 * time.Hour), Capacity: 2}}})
	must(t, err)
	return f
}

// node is another Programme on the same store and clock.
func (f *fixture) node(t *testing.T, rules Rules) *Programme {
	t.Helper()
	p, err := New(Config{Store: f.st, Clock: f.clk, Recorder: f.rec, Rules: rules})
	must(t, err)
	return p
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// person adds a person seeking status at employer.
func (f *fixture) person(t *testing.T, id, employer string, emp Employment, started time.Time, seeks Status) Person {
	t.Helper()
	per := Person{ID: id, Name: "Person " + id, Registration: "SW" + id, Employer: employer, Employment: emp, Started: started, Email: id + "@example.org", Seeks: seeks}
	must(t, f.p.CreatePeople(context.Background(), admin, []NewPerson{{Person: per, Monitoring: Monitoring{AgeBand: "50-59"}}}))
	return per
}

func goodEndorsement(person string, status Status) Endorsement {
	return Endorsement{Person: person, Status: status, Sessions: []time.Time{t0.AddDate(0, 0, -30), t0.AddDate(0, 0, -7)},
		Summary: "Reflected on three cases.", FeedbackConsidered: true, FeedbackSummary: "Families said they felt heard.", Outcome: Ready}
}

// endorsed adds a permanent practitioner at bury with a ready endorsement.
func (f *fixture) endorsed(t *testing.T, id string) Person {
	t.Helper()
	per := f.person(t, id, "bury", Permanent, t0.AddDate(-2, 0, 0), Practitioner)
	_, err := f.p.Endorse(context.Background(), Actor{Kind: ActorStaff, ID: "sup-bury"}, goodEndorsement(id, Practitioner))
	must(t, err)
	return per
}

// codes returns the reason codes of err.
func codes(err error) []Code {
	var out []Code
	for _, r := range Reasons(err) {
		out = append(out, r.Code)
	}
	return out
}

func newBenchClock() *clock.Fake { return clock.NewFake(t0) }
