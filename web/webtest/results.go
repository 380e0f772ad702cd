package webtest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/marking/markingtest"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// The results fixture: a cohort of ResultsPeople people at north and
// south, endorsed by their supervisors and booked on the knowledge
// sitting rks and the role-play day rrp of the one sitting window
// ResultsWindow; they sit the knowledge test on the engine and are
// marked on the role-play by the marking service (Sit). Half are under
// 35, half 50 and over; the older half fail the knowledge test more
// often, so the impact report flags them.
const (
	ResultsWindow = "2026-12"
	ResultsPeople = 24
	// RolePlayCut is the fixture's role-play cut on ResultsModel's
	// circuit; the knowledge cut is 15 of demo-form's 28.
	RolePlayCut = 16
)

// ResultsStandardJSON is ResultsStandard("panels reconciled") as the
// adoption route takes it.
const ResultsStandardJSON = `{"why":"panels reconciled","knowledge":{"demo-form":{"panel":14,"k":0.5,"sem":2}},` +
	`"role_play":{"demo-practitioner":{"cut":16,"panel":16}}}`

// ResultsReleasePath is the route that releases the results of
// ResultsWindow.
const ResultsReleasePath = "/api/results/windows/" + ResultsWindow + "/release"

// ResultsFixture is the programme, the results over it and the evidence
// they read.
type ResultsFixture struct {
	Programme *programme.Programme
	Results   *results.Results
	Evidence  *Evidence
	Clock     *clock.Fake

	lib       *content.Library
	knowledge map[string]bool // who passes the knowledge test, by person
	rolePlay  map[string]bool // who passes the role-play, by person
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
		Knowledge: map[string]results.Cut{"demo-form": {Panel: 14, K: 0.5, SEM: 2}},
		RolePlay:  map[string]results.RolePlayCut{"demo-practitioner": {Cut: results.Cut{Cut: RolePlayCut, Panel: RolePlayCut}}}}
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
// person is endorsed and booked, and the clock is then moved to ten
// minutes before the knowledge sitting; Sit, with the engine serving the
// fixture, has them sit it. With log set, the results record their acts
// there. No standard is adopted and nothing is released.
func Results(t testing.TB, st store.Store, clk *clock.Fake, lib *content.Library, log *audit.Log) *ResultsFixture {
	t.Helper()
	f := &ResultsFixture{Evidence: NewEvidence(lib), Clock: clk, lib: lib, knowledge: map[string]bool{}, rolePlay: map[string]bool{}}
	roster := &results.ProgrammeRoster{}
	f.Results = newResults(t, st, clk, f.Evidence, roster, log)
	var err error
	cfg := programme.Config{Store: st, Clock: clk, Rules: ProgrammeRules(), Library: lib, Gate: f.Results.Gate()}
	f.Programme, err = programme.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	roster.P = f.Programme
	f.seed(t)
	f.Programme = Recording(t, f.Programme, cfg, log)
	roster.P = f.Programme
	clk.Advance(SittingStart.Add(-10 * time.Minute).Sub(clk.Now()))
	return f
}

// Sit has every person sit the knowledge test on the engine of n, the
// node serving the fixture (with ResultsModel's marking): each joins with
// the access code of their booking, the sitting is released, and each
// answers and submits: the sections A and C of demo-form right (18 of
// 28) for a pass, section A only (10 of 28) for a fail. The clock then
// moves past the role-play day and each person's sheets are marked
// (Mark), but for station S2 of the unmarked, whose evidence is then
// pending until they are marked.
func (f *ResultsFixture) Sit(t testing.TB, n *Node, unmarked ...string) {
	t.Helper()
	ctx := context.Background()
	eng := n.Engine
	f.Evidence.use(n)
	ids := map[string]string{} // attempt by person
	for i := range ResultsPeople {
		person, _, _, _, _ := ResultPerson(i)
		rec, err := f.Programme.Record(ctx, person)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range rec.Bookings {
			if b.Kind == programme.Knowledge && b.State == programme.BookingLive {
				if ids[person], err = eng.Join(ctx, b.Code, enginetest.NopPeer{}); err != nil {
					t.Fatalf("%s joins: %v", person, err)
				}
			}
		}
	}
	if err := eng.Release(ctx, "rks", "s01"); err != nil {
		t.Fatal(err)
	}
	form := f.lib.Forms["demo-form"]
	for person, id := range ids {
		var items []string
		right := map[string]bool{}
		for _, sec := range form.Sections {
			items = append(items, sec.Items...)
			for _, item := range sec.Items {
				right[item] = sec.ID == "A" || sec.ID == "C" && f.knowledge[person]
			}
		}
		if err := enginetest.Sit(ctx, eng, f.lib, id, enginetest.NopPeer{}, items, func(item string) bool { return right[item] }); err != nil {
			t.Fatalf("%s's attempt %s: %v", person, id, err)
		}
	}
	f.Clock.Advance(SittingStart.Add(6 * time.Hour).Sub(f.Clock.Now()))
	for i := range ResultsPeople {
		person, _, _, _, _ := ResultPerson(i)
		if slices.Contains(unmarked, person) {
			f.Mark(t, n, person, "S1") // S2's sheet left unsettled
			continue
		}
		f.Mark(t, n, person)
	}
}

// ResultsOn returns results over p (the Programme fixture, say), with the
// fixture's window and rules and an Evidence over lib holding nobody: for tests of
// the routes rather than of outcomes.
func ResultsOn(t testing.TB, st store.Store, clk clock.Clock, lib *content.Library, p *programme.Programme, log *audit.Log) *results.Results {
	t.Helper()
	return newResults(t, st, clk, NewEvidence(lib), &results.ProgrammeRoster{P: p}, log)
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
	seedEmployers(t, p)
	seedEvents(t, p, "rks", "rrp", ResultsPeople)
	now := f.Clock.Now()
	var people []programme.NewPerson
	for i := range ResultsPeople {
		id, emp, band, k, rp := ResultPerson(i)
		people = append(people, programme.NewPerson{Person: programme.Person{ID: id, Name: fmt.Sprintf("Person %02d", i+1),
			Registration: fmt.Sprintf("SW2000%02d", i+1), Employer: emp, Employment: programme.Permanent,
			Started: now.AddDate(-3, 0, 0), Email: id + "@example.org", Seeks: programme.Practitioner},
			Monitoring: programme.Monitoring{AgeBand: band, Sex: "female", Ethnicity: "white british", Disability: "no"}})
		f.knowledge[id], f.rolePlay[id] = k, rp
	}
	must(t, p.CreatePeople(ctx, seedAdmin, people))
	for _, np := range people {
		sup := programme.Actor{Kind: programme.ActorStaff, ID: "sup-" + np.Person.Employer}
		_, err := p.Endorse(ctx, sup, programme.Endorsement{Person: np.Person.ID, Status: programme.Practitioner,
			Sessions: []time.Time{now.AddDate(0, -2, 0), now.AddDate(0, -1, 0)}, Summary: "reflective supervision on three cases",
			FeedbackConsidered: true, FeedbackSummary: "two families' feedback", Outcome: programme.Ready})
		must(t, err)
		_, err = p.Book(ctx, seedAdmin, programme.Request{Person: np.Person.ID, Kind: programme.Knowledge, Event: "rks"})
		must(t, err)
		_, err = p.Book(ctx, seedAdmin, programme.Request{Person: np.Person.ID, Kind: programme.RolePlay, Event: "rrp", Slot: "a"})
		must(t, err)
	}
}

// Evidence is the fixture's results.Evidence: results.StoreEvidence over
// the engine's submitted attempts and the marking service's settled
// sheets, once Sit has given it the node. Before that everyone is
// absent, and demo-practitioner's range is 0..60 over four stations (for
// routes tests with no marking). Safe for concurrent use.
type Evidence struct {
	mu    sync.Mutex // protects store
	store results.StoreEvidence
}

var _ results.Evidence = (*Evidence)(nil)

// NewEvidence returns an Evidence over lib's forms holding nobody.
func NewEvidence(lib *content.Library) *Evidence {
	return &Evidence{store: results.StoreEvidence{Library: lib}}
}

func (e *Evidence) use(n *Node) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.store.Engine, e.store.Marking = n.Engine, n.Marking
}

func (e *Evidence) stored() results.StoreEvidence {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.store
}

// Knowledge is the score of person's submitted attempt.
func (e *Evidence) Knowledge(ctx context.Context, sitting, person string) (results.KnowledgeScore, error) {
	st := e.stored()
	if st.Engine == nil {
		return results.KnowledgeScore{}, &results.MissingError{Element: results.Knowledge, Code: results.CodeAbsent, Message: person + " did not sit"}
	}
	return st.Knowledge(ctx, sitting, person)
}

// RolePlay is person's score from their settled sheets.
func (e *Evidence) RolePlay(ctx context.Context, circuit, person string) (results.RolePlayScore, error) {
	st := e.stored()
	if st.Marking == nil {
		return results.RolePlayScore{}, &results.MissingError{Element: results.RolePlay, Code: results.CodeAbsent, Message: person + " is not on the circuit"}
	}
	return st.RolePlay(ctx, circuit, person)
}

// Range is the library's for a form and the marking model's for a
// circuit.
func (e *Evidence) Range(ctx context.Context, el results.Element, id string) (results.Range, error) {
	st := e.stored()
	if el == results.RolePlay && st.Marking == nil {
		if id != roleplay.DemoPractitionerCircuit {
			return results.Range{}, fmt.Errorf("%w: circuit %q", results.ErrNotFound, id)
		}
		return results.Range{Max: 60, Stations: 4}, nil
	}
	return st.Range(ctx, el, id)
}

// ResultsModel is the demo role-play model with demo-practitioner made
// the fixture's circuit: stations S1 (home visit, ASR-LIAM) and S2 (return
// interview, ASR-PETRA), single-marked, for r01 to r24, every slot over
// before the knowledge sitting ends.
func ResultsModel(t testing.TB) *roleplay.Model {
	t.Helper()
	var cands []roleplay.Candidate
	for i := range ResultsPeople {
		id, _, _, _, _ := ResultPerson(i)
		cands = append(cands, roleplay.Candidate{ID: id, Name: fmt.Sprintf("Person %02d", i+1)})
	}
	return markingtest.DemoModelWith(t, markingtest.Circuit{File: "practitioner-demo.json", ID: roleplay.DemoPractitionerCircuit,
		Title: "The results fixture's circuit", Start: SittingStart.Add(-12 * time.Hour), Candidates: cands})
}

// Mark has person's sheets marked and submitted on n's marking service:
// every criterion at its top point for a pass, its lowest for a fail,
// as ResultPerson says; stations names the stations to mark (none: all).
func (f *ResultsFixture) Mark(t testing.TB, n *Node, person string, stations ...string) {
	t.Helper()
	ctx := context.Background()
	pass := f.rolePlay[person]
	m := n.Marking.Model()
	c := m.Circuits[roleplay.DemoPractitionerCircuit]
	for _, st := range c.Stations {
		if len(stations) > 0 && !slices.Contains(stations, st.ID) {
			continue
		}
		k := roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: person, Assessor: st.Assessors[0]}
		err := markingtest.MarkSheet(ctx, n.Marking, k, 2, func(cr *roleplay.Criterion) int {
			if pass {
				return cr.Max()
			}
			return cr.Min()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
