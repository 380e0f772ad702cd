package webtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// The results fixture: a cohort of ResultsPeople people at north and
// south, endorsed by their supervisors and booked on the knowledge
// sitting rks and the role-play day rrp of the one sitting window
// ResultsWindow, with their scores held by an Evidence. Half are under
// 35, half 50 and over; the older half fail the knowledge test more
// often, so the impact report flags them.
const (
	ResultsWindow = "2026-12"
	ResultsPeople = 24
	// KnowledgeMax and RolePlayMax are the score ranges of demo-form and
	// demo-practitioner in the fixture's Evidence; the fixture's
	// standard sets the cuts at 24 and 36.
	KnowledgeMax = 40
	RolePlayMax  = 60
)

// ResultsFixture is the programme, the results over it and the evidence
// they read.
type ResultsFixture struct {
	Programme *programme.Programme
	Results   *results.Results
	Evidence  *Evidence
	Clock     *clock.Fake
}

// ResultPerson is the fixture's person i (0-based): id r01, r02, ...,
// north for the first half, and whether they pass each element. r01 meets
// the standard; r02 passes the knowledge test only (partially met, a
// role-play re-sit); r04 passes neither (not met).
func ResultPerson(i int) (id, employer, ageBand string, knowledge, rolePlay bool) {
	id, employer, ageBand = fmt.Sprintf("r%02d", i+1), "north", "under 35"
	if i >= ResultsPeople/2 {
		employer = "south"
	}
	if i%2 == 1 {
		ageBand = "50 and over"
	}
	knowledge = !(i%2 == 1 && i%3 != 1) // r04, r06, r10, ... fail
	rolePlay = i%5 != 1 && i != 3       // r02, r04, r07, ... fail
	return
}

// ResultsStandard is a practitioner standard with the fixture's cuts.
func ResultsStandard(why string) results.Standard {
	return results.Standard{Status: programme.Practitioner, Why: why,
		Knowledge: map[string]results.Cut{"demo-form": {Panel: 23, K: 0.5, SEM: 2}},
		RolePlay:  map[string]results.RolePlayCut{"demo-practitioner": {Cut: results.Cut{Cut: 36, Panel: 36}}}}
}

// ResultsRules are the fixture's re-sit rules: the fast track from two
// weeks to three months after release, not met from three months, and
// appeals for four weeks.
func ResultsRules() results.ResitRules {
	return results.ResitRules{
		PartiallyMet:  results.ResitRule{Allowed: true, MinInterval: 14 * 24 * time.Hour, Within: 90 * 24 * time.Hour},
		NotMet:        results.ResitRule{Allowed: true, MinInterval: 90 * 24 * time.Hour},
		DifferentForm: false, AppealsWindow: 28 * 24 * time.Hour,
	}
}

// Results builds the fixture on st: the clock starts at Start, every
// person is endorsed and booked, and the clock is then moved past the
// role-play day, so every piece of evidence is due. With log set, the
// results record their acts there. No standard is adopted and nothing is
// released.
func Results(t testing.TB, st store.Store, clk *clock.Fake, lib *content.Library, log *audit.Log) *ResultsFixture {
	t.Helper()
	f := &ResultsFixture{Evidence: NewEvidence(), Clock: clk}
	roster := &results.ProgrammeRoster{}
	f.Results = newResults(t, st, clk, f.Evidence, roster, log)
	var err error
	f.Programme, err = programme.New(programme.Config{Store: st, Clock: clk, Rules: ProgrammeRules(), Library: lib, Gate: f.Results.Gate()})
	if err != nil {
		t.Fatal(err)
	}
	roster.P = f.Programme
	f.seed(t)
	clk.Advance(SittingStart.Add(6 * time.Hour).Sub(clk.Now()))
	return f
}

// ResultsOn returns results over p (the Programme fixture, say), with the
// fixture's window and rules and an Evidence holding nobody: for tests of
// the routes rather than of outcomes.
func ResultsOn(t testing.TB, st store.Store, clk clock.Clock, p *programme.Programme, log *audit.Log) *results.Results {
	t.Helper()
	return newResults(t, st, clk, NewEvidence(), &results.ProgrammeRoster{P: p}, log)
}

func newResults(t testing.TB, st store.Store, clk clock.Clock, ev results.Evidence, roster results.Roster, log *audit.Log) *results.Results {
	t.Helper()
	cfg := results.Config{Store: st, Clock: clk, Evidence: ev, Roster: roster, Blueprints: ProgrammeRules().Blueprints,
		Windows:  []results.Window{{ID: ResultsWindow, From: Start, To: Start.AddDate(0, 1, 0)}},
		Feedback: results.FeedbackRules{Enabled: true, Strength: 70, Develop: 50}, Resit: ResultsRules()}
	if log != nil {
		cfg.Recorder = programme.LogRecorder(log)
	}
	r, err := results.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *ResultsFixture) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	p := f.Programme
	admin := programme.Actor{Kind: programme.ActorAdmin, ID: "s03"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(p.CreateEmployers(ctx, admin, []programme.Employer{
		{ID: "north", Name: "Northmoor Borough Council", Region: "North East", Phase: programme.PhasePilot, Rating: programme.RatingGood},
		{ID: "south", Name: "Southmere County Council", Region: "South West", Phase: programme.Phase1, Rating: programme.RatingOutstanding},
	}))
	must(p.CreateStaff(ctx, admin, []programme.Staff{
		{ID: "sup-north", Name: "Nora Supervisor", Email: "nora@north.example", Employer: "north", Role: programme.RoleSupervisor},
		{ID: "sup-south", Name: "Otto Supervisor", Email: "otto@south.example", Employer: "south", Role: programme.RoleSupervisor},
		{ID: "ea-north", Name: "Eve Admin", Email: "eve@north.example", Employer: "north", Role: programme.RoleEmployerAdmin},
	}))
	_, err := p.CreateSitting(ctx, admin, programme.Sitting{ID: "rks", Centre: "Harbour Street", Start: SittingStart,
		Session: "morning", Capacity: ResultsPeople, Form: "demo-form"})
	must(err)
	_, err = p.CreateRolePlayDay(ctx, admin, programme.RolePlayDay{ID: "rrp", Centre: "Harbour Street", Circuit: "demo-practitioner",
		Slots: []programme.Slot{{ID: "a", Start: SittingStart.Add(4 * time.Hour), Capacity: ResultsPeople}}})
	must(err)
	now := f.Clock.Now()
	var people []programme.NewPerson
	for i := range ResultsPeople {
		id, emp, band, k, rp := ResultPerson(i)
		people = append(people, programme.NewPerson{Person: programme.Person{ID: id, Name: fmt.Sprintf("Person %02d", i+1),
			Registration: fmt.Sprintf("SW2000%02d", i+1), Employer: emp, Employment: programme.Permanent,
			Started: now.AddDate(-3, 0, 0), Email: id + "@example.org", Seeks: programme.Practitioner},
			Monitoring: programme.Monitoring{AgeBand: band, Sex: "female", Ethnicity: "white british", Disability: "no"}})
		f.Evidence.Set(id, k, rp)
	}
	must(p.CreatePeople(ctx, admin, people))
	for _, np := range people {
		sup := programme.Actor{Kind: programme.ActorStaff, ID: "sup-" + np.Person.Employer}
		_, err := p.Endorse(ctx, sup, programme.Endorsement{Person: np.Person.ID, Status: programme.Practitioner,
			Sessions: []time.Time{now.AddDate(0, -2, 0), now.AddDate(0, -1, 0)}, Summary: "reflective supervision on three cases",
			FeedbackConsidered: true, FeedbackSummary: "two families' feedback", Outcome: programme.Ready})
		must(err)
		_, err = p.Book(ctx, admin, programme.Request{Person: np.Person.ID, Kind: programme.Knowledge, Event: "rks"})
		must(err)
		_, err = p.Book(ctx, admin, programme.Request{Person: np.Person.ID, Kind: programme.RolePlay, Event: "rrp", Slot: "a"})
		must(err)
	}
}

// Evidence is a results.Evidence holding each person's scores: a pass
// or a fail of each element, well clear of the fixture's cuts, with two
// knowledge domains for feedback. A person it does not hold is absent.
// Safe for concurrent use.
type Evidence struct {
	mu        sync.Mutex // protects the maps
	knowledge map[string]bool
	rolePlay  map[string]bool
	unsettled map[string]bool
}

var _ results.Evidence = (*Evidence)(nil)

// NewEvidence returns an Evidence holding nobody.
func NewEvidence() *Evidence {
	return &Evidence{knowledge: map[string]bool{}, rolePlay: map[string]bool{}, unsettled: map[string]bool{}}
}

// Set gives person a passing or failing score on each element.
func (e *Evidence) Set(person string, knowledge, rolePlay bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.knowledge[person], e.rolePlay[person] = knowledge, rolePlay
}

// Unsettle makes person's role-play sheets unsettled (or settled again).
func (e *Evidence) Unsettle(person string, unsettled bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.unsettled[person] = unsettled
}

// Knowledge is 28 of 40 for a pass (a strength, relationships, and an
// area to develop, the law), 12 for a fail, by those two domains.
func (e *Evidence) Knowledge(_ context.Context, sitting, person string) (results.KnowledgeScore, error) {
	e.mu.Lock()
	pass, ok := e.knowledge[person]
	e.mu.Unlock()
	if !ok {
		return results.KnowledgeScore{}, &results.MissingError{Element: results.Knowledge, Code: results.CodeAbsent, Message: person + " did not sit"}
	}
	strong, weak := 20.0, 8.0
	if !pass {
		strong, weak = 8, 4
	}
	return results.KnowledgeScore{Sitting: sitting, Form: "demo-form", Score: strong + weak, Max: KnowledgeMax,
		Domains: map[string]results.DomainScore{"relationships": {Score: strong, Max: 20}, "law and the family and youth justice systems": {Score: weak, Max: 20}}}, nil
}

// RolePlay is 48 of 60 over four stations for a pass, 24 for a fail.
func (e *Evidence) RolePlay(_ context.Context, circuit, person string) (results.RolePlayScore, error) {
	e.mu.Lock()
	pass, ok := e.rolePlay[person]
	unsettled := e.unsettled[person]
	e.mu.Unlock()
	switch {
	case !ok:
		return results.RolePlayScore{}, &results.MissingError{Element: results.RolePlay, Code: results.CodeAbsent, Message: person + " is not on the circuit"}
	case unsettled:
		return results.RolePlayScore{}, &results.MissingError{Element: results.RolePlay, Code: results.CodeUnsettled,
			Message: "station S2 has no settled score", Stations: []string{"S2"}}
	}
	each := 12.0
	if !pass {
		each = 6
	}
	s := results.RolePlayScore{Circuit: circuit, Score: 4 * each, Max: RolePlayMax, Domains: map[string]results.DomainScore{}}
	for i := range 4 {
		s.Stations = append(s.Stations, results.StationScore{Station: fmt.Sprintf("S%d", i+1), Score: each, Max: 15})
	}
	return s, nil
}

// Range is 0..40 for demo-form and 0..60 over four stations for
// demo-practitioner.
func (e *Evidence) Range(_ context.Context, el results.Element, id string) (results.Range, error) {
	switch {
	case el == results.Knowledge && id == "demo-form":
		return results.Range{Max: KnowledgeMax}, nil
	case el == results.RolePlay && id == "demo-practitioner":
		return results.Range{Max: RolePlayMax, Stations: 4}, nil
	}
	return results.Range{}, fmt.Errorf("%w: %s %s", results.ErrNotFound, el, id)
}
