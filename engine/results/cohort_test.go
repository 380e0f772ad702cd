package results

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/marking/markingtest"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// The cohort test: a simulated cohort goes through the whole programme,
// from endorsement to a released outcome and the fast track back, on the
// real programme, engine, marking service and results, sharing one store
// (bolt, one node) or one Redis (two nodes, each with its own of all four).

const (
	cohortN       = 300
	cohortCircuit = "cohort-circuit"
)

var cohortEmployers = []programme.Employer{
	{ID: "ashby", Name: "Ashby Borough Council", Region: "North West", Phase: programme.PhasePilot, Rating: programme.RatingGood},
	{ID: "brayford", Name: "Brayford County Council", Region: "East Midlands", Phase: programme.Phase1, Rating: programme.RatingImprovement},
	{ID: "corran", Name: "Corran City Council", Region: "South West", Phase: programme.Phase2, Rating: programme.RatingOutstanding},
}

// cohortNode is one node: the four services on one store connection.
type cohortNode struct {
	p     *programme.Programme
	r     *Results
	eng   *engine.Engine
	mk    *marking.Service
	start func() // a new engine on the node's store
}

// cohortModel is the demo role-play model with a circuit of two
// single-marked stations for every person of the cohort.
func cohortModel(t *testing.T, people []string) *roleplay.Model {
	t.Helper()
	var cands []roleplay.Candidate
	for _, id := range people {
		cands = append(cands, roleplay.Candidate{ID: id, Name: "Person " + id})
	}
	return markingtest.DemoModelWith(t, markingtest.Circuit{File: cohortCircuit + ".json", ID: cohortCircuit,
		Title: "The cohort's circuit", Start: t0.AddDate(0, 0, 8), Candidates: cands})
}

// cohortStores are the stores of the nodes: one bolt, or two connections
// to one Redis.
func cohortStores(t *testing.T) map[string][]store.Store {
	out := map[string][]store.Store{"bolt": {openBolt(t)}}
	if _, ok := storetest.Backends()["redis"]; ok {
		out["redis"] = openRedisNodes(t, 2)
	}
	return out
}

func TestCohortEndToEnd(t *testing.T) {
	for name, stores := range cohortStores(t) {
		t.Run(name, func(t *testing.T) { runCohort(t, stores) })
	}
}

func runCohort(t *testing.T, stores []store.Store) {
	ctx := context.Background()
	lib, err := content.LoadDir(filepath.Join("..", "testdata", "lib"))
	must(t, err)
	form := lib.Sittings["s1"].Form
	people := make([]string, cohortN)
	for i := range people {
		people[i] = fmt.Sprintf("p%03d", i+1)
	}
	model := cohortModel(t, people)
	bps := programme.DefaultBlueprints()
	bps[0].Forms, bps[0].Circuits = []string{form}, []string{cohortCircuit}
	clk := clock.NewFake(t0)
	resit := ResitRules{PartiallyMet: ResitRule{Allowed: true, MinInterval: 14 * day, Within: 180 * day}}
	nodes := make([]*cohortNode, len(stores))
	for i, st := range stores {
		n := &cohortNode{}
		roster := &ProgrammeRoster{}
		ev := &StoreEvidence{Library: lib}
		n.r, err = New(Config{Store: st, Clock: clk, Evidence: ev, Roster: roster, Blueprints: bps,
			Windows: []Window{spring, summer}, Resit: resit})
		must(t, err)
		n.p, err = programme.New(programme.Config{Store: st, Clock: clk, Gate: n.r.Gate(), Library: lib,
			Rules: programme.Rules{Blueprints: bps}})
		must(t, err)
		roster.P = n.p
		ec := engine.Config{Library: lib, Store: st, Clock: clk, Node: fmt.Sprint("node-", i),
			Roster: engine.Rosters(engine.LibraryRoster(lib), DeliveryRoster(n.p))}
		mc := marking.Config{Model: model, Store: st, Clock: clk}
		rs, onRedis := st.(*redis.Store)
		if onRedis {
			mc.Broker = redis.NewBroker(rs, "marking")
		}
		n.start = func() {
			if onRedis {
				ec.Broker = redis.NewBroker(rs, "notices") // one subscription per engine
			}
			n.eng = engine.New(ec)
			ev.Engine = n.eng
			must(t, n.eng.Recover(ctx))
		}
		n.start()
		n.mk = marking.New(mc)
		ev.Marking = n.mk
		t.Cleanup(func() { n.mk.Close(); n.eng.Close() })
		nodes[i] = n
	}
	// later moves the clock on by d with the engines stopped, as nodes
	// restarted over weeks are: a running engine polls its deadlines every
	// second of the fake clock's advance.
	later := func(d time.Duration) {
		for _, n := range nodes {
			n.eng.Close()
		}
		clk.Advance(d)
		for _, n := range nodes {
			n.start()
		}
	}
	node := func(i int) *cohortNode { return nodes[i%len(nodes)] }
	a := nodes[0]

	// The programme: employers, supervisors, people with their monitoring
	// answers, a knowledge sitting and a role-play day for all, and a
	// second sitting in the next window for the fast track.
	must(t, a.p.CreateEmployers(ctx, padmin, cohortEmployers))
	var staff []programme.Staff
	for _, e := range cohortEmployers {
		staff = append(staff, programme.Staff{ID: "sup-" + e.ID, Name: "Supervisor of " + e.Name, Employer: e.ID, Role: programme.RoleSupervisor})
	}
	must(t, a.p.CreateStaff(ctx, padmin, staff))
	bands := []string{"under 25", "25-34", "35-44", "45-54", "55 and over"}
	var news []programme.NewPerson
	for i, id := range people {
		news = append(news, programme.NewPerson{
			Person: programme.Person{ID: id, Name: "Person " + id, Registration: fmt.Sprintf("SW%06d", 700000+i),
				Employer: cohortEmployers[i%3].ID, Employment: programme.Permanent, Started: t0.AddDate(-3, 0, 0),
				Email: id + "@example.org", Seeks: programme.Practitioner},
			Monitoring: programme.Monitoring{AgeBand: bands[i%len(bands)], Sex: []string{"female", "male"}[i%2]}})
	}
	must(t, a.p.CreatePeople(ctx, padmin, news))
	_, err = a.p.CreateSitting(ctx, padmin, programme.Sitting{ID: "k1", Centre: "Quay House", Start: t0.AddDate(0, 0, 7),
		Session: "morning", Capacity: cohortN, Form: form})
	must(t, err)
	_, err = a.p.CreateSitting(ctx, padmin, programme.Sitting{ID: "k2", Centre: "Quay House", Start: t0.AddDate(0, 0, 100),
		Session: "morning", Capacity: 50, Form: form})
	must(t, err)
	var slots []programme.Slot
	for s := range cohortN / 50 {
		slots = append(slots, programme.Slot{ID: fmt.Sprint("slot", s), Start: t0.AddDate(0, 0, 8).Add(time.Duration(s) * time.Hour), Capacity: 50})
	}
	_, err = a.p.CreateRolePlayDay(ctx, padmin, programme.RolePlayDay{ID: "r1", Centre: "Quay House", Circuit: cohortCircuit, Slots: slots})
	must(t, err)

	began := time.Now()
	phase := func(what string) {
		t.Logf("%s: %s", what, time.Since(began).Round(time.Millisecond))
		began = time.Now()
	}
	phase("programme")
	// Endorsed by their supervisors and booked, on both nodes at once.
	codes := make([]string, cohortN)
	parallel(cohortN, func(i int) {
		id, n := people[i], node(i)
		_, err := n.p.Endorse(ctx, programme.Actor{Kind: programme.ActorStaff, ID: "sup-" + cohortEmployers[i%3].ID},
			programme.Endorsement{Person: id, Status: programme.Practitioner, Sessions: []time.Time{t0.AddDate(0, 0, -20)},
				Summary: "Reflective supervision on current cases.", FeedbackConsidered: true,
				FeedbackSummary: "A parent's feedback, discussed together.", Outcome: programme.Ready})
		if err != nil {
			t.Errorf("endorse %s: %v", id, err)
			return
		}
		me := programme.Actor{Kind: programme.ActorCandidate, ID: id}
		b, err := n.p.Book(ctx, me, programme.Request{Person: id, Kind: programme.Knowledge, Event: "k1"})
		if err != nil {
			t.Errorf("book %s: %v", id, err)
			return
		}
		codes[i] = b.Code
		if _, err := n.p.Book(ctx, me, programme.Request{Person: id, Kind: programme.RolePlay, Event: "r1", Slot: slots[i%len(slots)].ID}); err != nil {
			t.Errorf("book %s's role-play: %v", id, err)
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	phase("endorsed and booked")
	// The knowledge test: each joins with the code issued on either node,
	// answers from a seeded ability and submits.
	later(7 * day)
	ability := func(i int) float64 { return rand.New(rand.NewPCG(uint64(i), 31)).NormFloat64() + 0.3 }
	attempts := make([]string, cohortN)
	screens := make([]*screen, cohortN)
	parallel(cohortN, func(i int) {
		var err error
		screens[i] = newScreen()
		attempts[i], err = node(i+1).eng.Join(ctx, codes[i], screens[i])
		if err != nil {
			t.Errorf("join %s: %v", people[i], err)
		}
	})
	must(t, a.eng.Release(ctx, "k1", "inv1"))
	items := lib.Forms[form].ItemIDs()
	// sit answers once the candidate's screen shows the test: the release
	// reaches the other node's candidates through the broker.
	sit := func(n *cohortNode, sc *screen, id string, right func(item string) bool) error {
		select {
		case <-sc.started:
		case <-time.After(time.Minute):
			return fmt.Errorf("attempt %s: the test never reached the candidate's screen", id)
		}
		return enginetest.Sit(ctx, n.eng, lib, id, sc, items, right)
	}
	parallel(cohortN, func(i int) {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		p := 1 / (1 + math.Exp(-ability(i)))
		if err := sit(node(i+1), screens[i], attempts[i], func(string) bool { return rng.Float64() < p }); err != nil {
			t.Error(err)
		}
	})

	phase("knowledge test sat")
	// The role-play day, every slot begun: every station marked from the
	// same ability.
	later(t0.AddDate(0, 0, 8).Add(time.Duration(cohortN+2) * 30 * time.Minute).Sub(clk.Now()))
	parallel(cohortN, func(i int) {
		n := node(i)
		rng := rand.New(rand.NewPCG(uint64(i), 11))
		for _, st := range n.mk.Model().Circuits[cohortCircuit].Stations {
			k := roleplay.SheetKey{Circuit: cohortCircuit, Station: st.ID, Candidate: people[i], Assessor: st.Assessors[0]}
			err := markingtest.MarkSheet(ctx, n.mk, k, 2, func(*roleplay.Criterion) int {
				v := int(math.Round(1.5 + ability(i) + rng.NormFloat64()*0.7))
				return min(3, max(0, v))
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	phase("role-play marked")
	// The panels' cuts adopted; decisions computed on the other node.
	rp, err := node(1).r.cfg.Evidence.Range(ctx, RolePlay, cohortCircuit)
	must(t, err)
	_, err = a.r.Adopt(ctx, psych, Standard{Status: programme.Practitioner, Why: "the panels' reconciled cuts",
		Knowledge: map[string]Cut{form: {Panel: 2.5, K: 0.5, SEM: 1}},
		RolePlay:  map[string]RolePlayCut{cohortCircuit: {Cut: Cut{Cut: math.Round(rp.Max * 0.5)}, NoMustPassFailure: true}}})
	must(t, err)
	ds, err := node(1).r.DecideWindow(ctx, spring.ID)
	must(t, err)
	count := map[Outcome]int{}
	var fastTrack string
	for _, d := range ds {
		count[d.Outcome]++
		if d.Outcome == PartiallyMet && fastTrack == "" && len(d.Resit) == 1 && d.Resit[0] == Knowledge {
			fastTrack = d.Person
		}
	}
	if len(ds) != cohortN || count[Incomplete] != 0 || count[Met] == 0 || count[NotMet] == 0 || fastTrack == "" {
		t.Fatalf("%d decisions: %v; a partially met on knowledge: %q", len(ds), count, fastTrack)
	}

	// Held until released; then the candidate and their employer see it,
	// no other employer does.
	ft := fastTrack
	ftEmployer := ""
	for _, d := range ds {
		if d.Person == ft {
			ftEmployer = d.Employer
		}
	}
	me := Viewer{Role: RoleCandidate, ID: ft}
	if _, err := node(1).r.Outcome(ctx, me, ft); !errors.Is(err, ErrEmbargoed) {
		t.Fatalf("before release: %v", err)
	}
	rel, err := node(1).r.Release(ctx, admin, spring.ID)
	must(t, err)
	if rel.Outcomes[Met] != count[Met] || rel.Outcomes[PartiallyMet] != count[PartiallyMet] || rel.Outcomes[NotMet] != count[NotMet] {
		t.Fatalf("release counts %v, decided %v", rel.Outcomes, count)
	}
	o, err := a.r.Outcome(ctx, me, ft)
	if err != nil || o.Outcome != PartiallyMet {
		t.Fatalf("the candidate's outcome after release: %+v, %v", o, err)
	}
	if _, err := a.r.Outcome(ctx, Viewer{Role: RoleEmployer, ID: "sup-" + ftEmployer, Employer: ftEmployer}, ft); err != nil {
		t.Fatalf("their employer: %v", err)
	}
	for _, e := range cohortEmployers {
		if e.ID == ftEmployer {
			continue
		}
		if _, err := a.r.Outcome(ctx, Viewer{Role: RoleEmployer, ID: "sup-" + e.ID, Employer: e.ID}, ft); !errors.Is(err, ErrEmbargoed) {
			t.Fatalf("another employer sees the outcome: %v", err)
		}
	}

	// The fast track: the person partially met re-sits only the knowledge
	// test, in the next window; a person who met may not re-sit.
	later(20 * day)
	var metPerson string
	for _, d := range ds {
		if d.Outcome == Met {
			metPerson = d.Person
			break
		}
	}
	if _, err := node(1).p.Book(ctx, programme.Actor{Kind: programme.ActorCandidate, ID: metPerson},
		programme.Request{Person: metPerson, Kind: programme.Knowledge, Event: "k2"}); err == nil {
		t.Fatalf("%s met the standard and re-booked", metPerson)
	}
	b, err := node(1).p.Book(ctx, programme.Actor{Kind: programme.ActorCandidate, ID: ft},
		programme.Request{Person: ft, Kind: programme.Knowledge, Event: "k2"})
	must(t, err)
	later(t0.AddDate(0, 0, 100).Sub(clk.Now()))
	sc := newScreen()
	id, err := a.eng.Join(ctx, b.Code, sc)
	must(t, err)
	must(t, a.eng.Release(ctx, "k2", "inv1"))
	must(t, sit(a, sc, id, func(string) bool { return true }))
	d, err := node(1).r.DecisionOf(ctx, admin, ft)
	must(t, err)
	if d.Window != summer.ID || d.Outcome != Met {
		t.Fatalf("after the fast track: %+v", d)
	}
	if _, err := a.r.Outcome(ctx, me, ft); !errors.Is(err, ErrEmbargoed) {
		t.Fatalf("the re-sit's outcome before summer's release: %v", err)
	}
	_, err = a.r.Release(ctx, admin, summer.ID)
	must(t, err)
	if o, err := node(1).r.Outcome(ctx, me, ft); err != nil || o.Outcome != Met {
		t.Fatalf("after summer's release: %+v, %v", o, err)
	}

	phase("decided, released, fast track")
	// The workforce impact of the cohort, from the same decisions.
	rep, err := a.r.Impact(ctx, a.p, 0)
	must(t, err)
	if rep.Overall.N != cohortN || rep.Overall.Suppressed {
		t.Fatalf("impact overall %+v", rep.Overall)
	}
}

// screen is a candidate's connection that tells when the test is shown.
type screen struct {
	once    sync.Once
	started chan struct{}
}

func newScreen() *screen { return &screen{started: make(chan struct{})} }

func (s *screen) Send(m engine.ServerMsg) {
	if m.Type == engine.MsgAttempt {
		s.once.Do(func() { close(s.started) })
	}
}

func (s *screen) Close(int, string) {}
