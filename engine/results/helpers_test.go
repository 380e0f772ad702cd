package results

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/internal/clock"
)

var (
	t0     = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	admin  = Viewer{Role: RoleAdministrator, ID: "admin1"}
	psych  = Viewer{Role: RolePsychometrician, ID: "psy1"}
	spring = Window{ID: "2026-spring", From: t0, To: t0.AddDate(0, 3, 0)}
	summer = Window{ID: "2026-summer", From: t0.AddDate(0, 3, 0), To: t0.AddDate(0, 6, 0)}
)

// testBlueprints give the practitioner form-p and circuit-p, the
// supervisor form-s and circuit-s.
func testBlueprints() []programme.Blueprint {
	bps := programme.DefaultBlueprints()
	bps[0].Forms, bps[0].Circuits = []string{"form-p", "form-p2"}, []string{"circuit-p"}
	bps[1].Forms, bps[1].Circuits = []string{"form-s"}, []string{"circuit-s"}
	return bps
}

func openBolt(t testing.TB) store.Store { return bolttest.Open(t) }

// openRedisNodes opens n clients of one Redis keyspace: n nodes.
func openRedisNodes(t testing.TB, n int) []store.Store {
	t.Helper()
	var out []store.Store
	for _, st := range redistest.Nodes(t, redistest.Standalone, n) {
		out = append(out, st)
	}
	return out
}

// fakeEvidence is evidence held in maps; keys are "sitting/person" and
// "circuit/person". A missing key is absent.
type fakeEvidence struct {
	mu        sync.Mutex // protects the maps
	knowledge map[string]KnowledgeScore
	roleplay  map[string]RolePlayScore
	missing   map[string]*MissingError
	ranges    map[string]Range // by "knowledge/form" or "role_play/circuit"
}

func newFakeEvidence() *fakeEvidence {
	return &fakeEvidence{knowledge: map[string]KnowledgeScore{}, roleplay: map[string]RolePlayScore{},
		missing: map[string]*MissingError{}, ranges: map[string]Range{
			"knowledge/form-p": {Max: 60}, "knowledge/form-p2": {Max: 60}, "knowledge/form-s": {Max: 40},
			"role_play/circuit-p": {Max: 100, Stations: 4}, "role_play/circuit-s": {Max: 80, Stations: 3},
		}}
}

func (f *fakeEvidence) Knowledge(_ context.Context, sitting, person string) (KnowledgeScore, error) {
	return heldScore(f, f.knowledge, sitting+"/"+person, func() *MissingError {
		return missing(Knowledge, CodeAbsent, "%s did not sit %s", person, sitting)
	})
}

func (f *fakeEvidence) RolePlay(_ context.Context, circuit, person string) (RolePlayScore, error) {
	return heldScore(f, f.roleplay, circuit+"/"+person, func() *MissingError {
		return missing(RolePlay, CodeAbsent, "%s is not on circuit %s", person, circuit)
	})
}

// heldScore is the score held under key in scores, one of f's maps: the
// error set for key if any, else the score, else the error absent makes.
func heldScore[S any](f *fakeEvidence, scores map[string]S, key string, absent func() *MissingError) (S, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var zero S
	if m := f.missing[key]; m != nil {
		return zero, m
	}
	s, ok := scores[key]
	if !ok {
		return zero, absent()
	}
	return s, nil
}

func (f *fakeEvidence) Range(_ context.Context, el Element, id string) (Range, error) {
	r, ok := f.ranges[string(el)+"/"+id]
	if !ok {
		return Range{}, fmt.Errorf("%w: %s %q", ErrNotFound, el, id)
	}
	return r, nil
}

func (f *fakeEvidence) setKnowledge(sitting, form, person string, score float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.missing, sitting+"/"+person)
	f.knowledge[sitting+"/"+person] = KnowledgeScore{Sitting: sitting, Form: form, Score: score, Max: 60,
		Domains: map[string]DomainScore{"law": {Score: score / 2, Max: 30}, "ethics": {Score: score / 2, Max: 30}}}
}

func (f *fakeEvidence) setRolePlay(circuit, person string, score float64, failed ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.missing, circuit+"/"+person)
	f.roleplay[circuit+"/"+person] = RolePlayScore{Circuit: circuit, Score: score, Max: 100, FailedStations: failed,
		Domains: map[string]DomainScore{"communication": {Score: score, Max: 100}}}
}

func (f *fakeEvidence) setMissing(key string, m *MissingError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.missing[key] = m
}

// fakeRoster holds candidates by person id.
type fakeRoster struct {
	mu    sync.Mutex // protects cands
	cands []Candidate
}

func (r *fakeRoster) Candidates(context.Context) ([]Candidate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Candidate(nil), r.cands...), nil
}

func (r *fakeRoster) Candidate(_ context.Context, person string) (Candidate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.cands {
		if c.Person == person {
			return c, nil
		}
	}
	return Candidate{}, fmt.Errorf("%w: person %q", ErrNotFound, person)
}

func (r *fakeRoster) FromBookings(ctx context.Context, per programme.Person, _ []programme.Booking) (Candidate, error) {
	return r.Candidate(ctx, per.ID)
}

func (r *fakeRoster) Form(context.Context, string) (string, error) { return "form-p", nil }

// practitioner is a practitioner who sat form-p on sitting k1 and circuit-p
// at start.
func practitioner(id, employer string, start time.Time) Candidate {
	return Candidate{Person: id, Employer: employer, Status: programme.Practitioner, Sitting: "k1", KnowledgeStart: start,
		Circuit: "circuit-p", RolePlayStart: start.Add(24 * time.Hour), Start: start}
}

// rig is Results over a fake evidence and roster on a store.
type rig struct {
	r   *Results
	st  store.Store
	ev  *fakeEvidence
	ros *fakeRoster
	clk *clock.Fake
	rec *audittest.Recorder
}

func testResit() ResitRules {
	return ResitRules{
		PartiallyMet:  ResitRule{Allowed: true, MinInterval: 14 * 24 * time.Hour, Within: 180 * 24 * time.Hour, MaxResits: 2},
		NotMet:        ResitRule{Allowed: true, MinInterval: 90 * 24 * time.Hour},
		DifferentForm: true,
		AppealsWindow: 28 * 24 * time.Hour,
	}
}

func newRig(t testing.TB, st store.Store) *rig {
	t.Helper()
	g := &rig{st: st, ev: newFakeEvidence(), ros: &fakeRoster{}, clk: clock.NewFake(t0), rec: &audittest.Recorder{}}
	g.r = g.node(t)
	return g
}

// node is another Results on the rig's store, evidence and roster.
func (g *rig) node(t testing.TB) *Results {
	t.Helper()
	r, err := New(Config{Store: g.st, Clock: g.clk, Evidence: g.ev, Roster: g.ros, Recorder: g.rec,
		Blueprints: testBlueprints(), Windows: []Window{spring, summer},
		Feedback: FeedbackRules{Enabled: true, Strength: 70, Develop: 50}, Resit: testResit()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// standardP is a practitioner standard: knowledge cut 36 on both forms
// (panel 34 + 1*2), role-play cut 60 with no must-pass failure.
func standardP(why string) Standard {
	return Standard{Status: programme.Practitioner, Why: why,
		Knowledge: map[string]Cut{"form-p": {Panel: 34, K: 1, SEM: 2}, "form-p2": {Cut: 36, Panel: 35}},
		RolePlay:  map[string]RolePlayCut{"circuit-p": {Cut: Cut{Panel: 60}, NoMustPassFailure: true}}}
}

// adoptStandard adopts standardP, with no reason, as the psychometrician.
func (g *rig) adoptStandard(t testing.TB) {
	t.Helper()
	_, err := g.r.Adopt(context.Background(), psych, standardP(""))
	must(t, err)
}

func codes(err error) []Code {
	var out []Code
	for _, r := range Reasons(err) {
		out = append(out, r.Code)
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
