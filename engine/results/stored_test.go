package results

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
)

// TestStored runs the behaviour of the stored parts (standards, releases,
// appeals) on every backend.
func TestStored(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				name string
				f    func(t *testing.T, st store.Store)
			}{
				{"adopt versions", testAdoptVersions},
				{"adopt refusals", testAdoptRefusals},
				{"release", testRelease},
				{"embargo", testEmbargo},
				{"preview", testPreview},
				{"appeals", testAppeals},
			} {
				t.Run(tc.name, func(t *testing.T) { tc.f(t, open(t)) })
			}
		})
	}
}

func testAdoptVersions(t *testing.T, st store.Store) {
	ctx := context.Background()
	g := newRig(t, st)
	s1, err := g.r.Adopt(ctx, psych, standardP("panels reconciled"))
	must(t, err)
	if s1.Version != 1 || s1.By != "psy1" || !s1.At.Equal(t0) || s1.Why != "panels reconciled" {
		t.Fatalf("version 1: %+v", s1)
	}
	if c := s1.Knowledge["form-p"]; c.Cut != 36 || c.Panel != 34 || c.K != 1 || c.SEM != 2 {
		t.Fatalf("form-p cut %+v, want 34 + 1*2 = 36 with its parts", c)
	}
	if c := s1.Knowledge["form-p2"]; c.Cut != 36 || c.Panel != 35 {
		t.Fatalf("form-p2 cut as given: %+v", c)
	}
	g.clk.Advance(time.Hour)
	next := standardP("")
	next.Knowledge["form-p"] = Cut{Panel: 34, K: 2, SEM: 2}
	s2, err := g.r.Adopt(ctx, psych, next)
	must(t, err)
	if s2.Version != 2 || s2.Knowledge["form-p"].Cut != 38 {
		t.Fatalf("version 2: %+v", s2)
	}
	all, err := g.r.Standards(ctx, programme.Practitioner)
	must(t, err)
	if len(all) != 2 || all[0].Version != 1 || all[1].Version != 2 || !all[1].At.Equal(t0.Add(time.Hour)) {
		t.Fatalf("stored versions %+v", all)
	}
	cur, err := g.node(t).Current(ctx, programme.Practitioner)
	must(t, err)
	if cur == nil || cur.Version != 2 {
		t.Fatalf("current on another node: %+v", cur)
	}
	if acts := g.rec.Actions(); !slices.Equal(acts, []audit.Action{audit.StandardAdopt, audit.StandardAdopt}) {
		t.Fatalf("audit %v", acts)
	}
	if e := g.rec.Entries()[0]; e.Target.ID != "practitioner" || e.Reason != "panels reconciled" || e.Actor.ID != "psy1" {
		t.Fatalf("audit entry %+v", e)
	}
}

func testAdoptRefusals(t *testing.T, st store.Store) {
	ctx := context.Background()
	g := newRig(t, st)
	cases := []struct {
		name string
		by   Viewer
		s    func() Standard
		want []Code
	}{
		{"not a psychometrician", admin, func() Standard { return standardP("") }, []Code{CodeNotPermitted}},
		{"form not in the blueprint", psych, func() Standard {
			s := standardP("")
			s.Knowledge["form-s"] = Cut{Cut: 20}
			return s
		}, []Code{CodeUnknown}},
		{"circuit not in the blueprint", psych, func() Standard {
			s := standardP("")
			s.RolePlay["circuit-x"] = RolePlayCut{Cut: Cut{Cut: 20}}
			return s
		}, []Code{CodeUnknown}},
		{"cut above the maximum", psych, func() Standard {
			s := standardP("")
			s.Knowledge["form-p"] = Cut{Panel: 58, K: 2, SEM: 2} // 62 > 60
			return s
		}, []Code{CodeOutOfRange}},
		{"negative cut and too many stations", psych, func() Standard {
			s := standardP("")
			s.RolePlay["circuit-p"] = RolePlayCut{Cut: Cut{Cut: -1}, MinStations: 5}
			return s
		}, []Code{CodeOutOfRange, CodeOutOfRange}},
		{"unknown status", psych, func() Standard {
			s := standardP("")
			s.Status = "director"
			return s
		}, []Code{CodeUnknown}},
		{"no cut", psych, func() Standard { return Standard{Status: programme.Practitioner} }, []Code{CodeInvalid}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s()
			_, err := g.r.Adopt(ctx, tc.by, s)
			if !errors.Is(err, ErrRefused) || !slices.Equal(codes(err), tc.want) {
				t.Fatalf("%v: codes %v, want %v", err, codes(err), tc.want)
			}
			if s.Knowledge["form-p"].Cut != tc.s().Knowledge["form-p"].Cut {
				t.Fatal("Adopt changed the caller's standard")
			}
		})
	}
	g.rec.SetFail(true)
	if _, err := g.r.Adopt(ctx, psych, standardP("")); err == nil {
		t.Fatal("adopted with the audit log down")
	}
	all, err := g.r.Standards(ctx, programme.Practitioner)
	must(t, err)
	if len(all) != 0 || len(g.rec.Actions()) != 0 {
		t.Fatalf("refusals stored %d versions, %d audit entries", len(all), len(g.rec.Actions()))
	}
}

// adoptedCohort is a rig on st holding the cohort, p4's role-play settled
// at score p4, with standardP adopted.
func adoptedCohort(t testing.TB, st store.Store, p4 float64) *rig {
	t.Helper()
	g := newRig(t, st)
	g.cohort()
	g.ev.setRolePlay("circuit-p", "p4", p4)
	g.adoptStandard(t)
	return g
}

// cohort fills the rig with four practitioners in spring: met, partially
// met on the role-play, not met, and one whose role-play is unsettled.
func (g *rig) cohort() {
	for i, id := range []string{"p1", "p2", "p3", "p4"} {
		emp := "bury"
		if i%2 == 1 {
			emp = "leeds"
		}
		g.ros.cands = append(g.ros.cands, practitioner(id, emp, t0.Add(time.Duration(i)*time.Hour)))
	}
	g.ev.setKnowledge("k1", "form-p", "p1", 50)
	g.ev.setRolePlay("circuit-p", "p1", 80)
	g.ev.setKnowledge("k1", "form-p", "p2", 40)
	g.ev.setRolePlay("circuit-p", "p2", 55)
	g.ev.setKnowledge("k1", "form-p", "p3", 20)
	g.ev.setRolePlay("circuit-p", "p3", 30)
	g.ev.setKnowledge("k1", "form-p", "p4", 45)
	g.ev.setMissing("circuit-p/p4", &MissingError{Element: RolePlay, Code: CodeUnsettled, Message: "p4 not settled at S1", Stations: []string{"S1"}})
	g.clk.Advance(t0.AddDate(0, 1, 0).Sub(g.clk.Now())) // after every sitting
}

func testRelease(t *testing.T, st store.Store) {
	ctx := context.Background()
	g := newRig(t, st)
	g.cohort()
	_, err := g.r.Release(ctx, admin, spring.ID)
	if !slices.Equal(codes(err), []Code{CodeNoStandard, CodeNoStandard, CodeNoStandard, CodeNoStandard, CodeNoStandard, CodeNoStandard, CodeNoStandard, CodeUnsettled}) {
		t.Fatalf("release with no standard: %v", err)
	}
	g.adoptStandard(t)
	_, err = g.r.Release(ctx, admin, spring.ID)
	if rs := Reasons(err); len(rs) != 1 || rs[0].Code != CodeUnsettled || rs[0].Message != "p4: p4 not settled at S1" {
		t.Fatalf("release with an unsettled sheet: %v", err)
	}
	if _, err := g.r.Release(ctx, psych, spring.ID); !slices.Equal(codes(err), []Code{CodeNotPermitted}) {
		t.Fatalf("release by a psychometrician: %v", err)
	}
	if _, err := g.r.Release(ctx, admin, "2027-winter"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("release of an unknown window: %v", err)
	}
	if rel, err := g.r.Released(ctx, spring.ID); err != nil || rel != nil {
		t.Fatalf("refusals stored a release: %+v %v", rel, err)
	}
	// p4's role-play is absent for good: released as incomplete.
	g.ev.setMissing("circuit-p/p4", &MissingError{Element: RolePlay, Code: CodeAbsent, Message: "p4 did not attend"})
	g.rec.SetFail(true)
	if _, err := g.r.Release(ctx, admin, spring.ID); err == nil {
		t.Fatal("released with the audit log down")
	}
	if rel, err := g.r.Released(ctx, spring.ID); err != nil || rel != nil {
		t.Fatalf("a release stored without its audit entry: %+v %v", rel, err)
	}
	g.rec.SetFail(false)
	rel, err := g.r.Release(ctx, admin, spring.ID)
	must(t, err)
	want := map[Outcome]int{Met: 1, PartiallyMet: 1, NotMet: 1, Incomplete: 1}
	if rel.People != 4 || !maps.Equal(rel.Outcomes, want) || !slices.Equal(rel.Incomplete, []string{"p4"}) || rel.Versions[programme.Practitioner] != 1 {
		t.Fatalf("release %+v", rel)
	}
	if _, err := g.node(t).Release(ctx, admin, spring.ID); !slices.Equal(codes(err), []Code{CodeReleased}) {
		t.Fatalf("second release: %v", err)
	}
	rels, err := g.r.Releases(ctx)
	must(t, err)
	if len(rels) != 1 || rels[0].Window != spring.ID || rels[0].By != "admin1" {
		t.Fatalf("releases %+v", rels)
	}
	// After release a new version needs a reason.
	if _, err := g.r.Adopt(ctx, psych, standardP("")); !slices.Equal(codes(err), []Code{CodeNeedsReason}) {
		t.Fatalf("change after release without a reason: %v", err)
	}
	lower := standardP("appeal upheld: station S2's rubric was misprinted")
	lower.RolePlay["circuit-p"] = RolePlayCut{Cut: Cut{Cut: 50, Panel: 60}, NoMustPassFailure: true}
	s2, err := g.r.Adopt(ctx, psych, lower)
	must(t, err)
	o, err := g.r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "p2"}, "p2")
	must(t, err)
	if s2.Version != 2 || o.Outcome != Met {
		t.Fatalf("after version 2 (role-play cut 50) p2 (55) is %s", o.Outcome)
	}
	if acts := g.rec.Actions(); !slices.Equal(acts, []audit.Action{audit.StandardAdopt, audit.ResultsRelease, audit.StandardAdopt}) {
		t.Fatalf("audit %v", acts)
	}
}

func testEmbargo(t *testing.T, st store.Store) {
	ctx := context.Background()
	g := adoptedCohort(t, st, 70)
	viewers := []struct {
		name   string
		v      Viewer
		before bool // sees p1's (bury) outcome before release
		after  bool
	}{
		{"administrator", admin, true, true},
		{"psychometrician", psych, true, true},
		{"the candidate", Viewer{Role: RoleCandidate, ID: "p1"}, false, true},
		{"another candidate", Viewer{Role: RoleCandidate, ID: "p2"}, false, false},
		{"their employer's staff", Viewer{Role: RoleEmployer, ID: "adm-bury", Employer: "bury"}, false, true},
		{"another employer's staff", Viewer{Role: RoleEmployer, ID: "adm-leeds", Employer: "leeds"}, false, false},
		{"staff with no employer", Viewer{Role: RoleEmployer, ID: "x"}, false, false},
		{"an assessor", Viewer{Role: "assessor", ID: "ASR-LIAM"}, false, false},
		{"nobody", Viewer{}, false, false},
	}
	look := func(after bool) {
		for _, tc := range viewers {
			o, err := g.r.Outcome(ctx, tc.v, "p1")
			sees := tc.before
			if after {
				sees = tc.after
			}
			switch {
			case sees && (err != nil || o.Outcome != Met):
				t.Errorf("after=%v %s: %+v %v, want met", after, tc.name, o, err)
			case !sees && (!errors.Is(err, ErrEmbargoed) || o.Outcome != ""):
				t.Errorf("after=%v %s: %+v %v, want nothing", after, tc.name, o, err)
			}
			if d, err := g.r.DecisionOf(ctx, tc.v, "p1"); tc.v.Team() != (err == nil && d.Elements[0].Score == 50) {
				t.Errorf("%s: decision with scores %+v %v", tc.name, d, err)
			}
		}
	}
	look(false)
	_, err := g.r.Release(ctx, admin, spring.ID)
	must(t, err)
	look(true)
	o, err := g.r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "p1"}, "p1")
	must(t, err)
	if !o.Released.Equal(g.clk.Now()) || o.Window != spring.ID {
		t.Fatalf("released outcome %+v", o)
	}
	if _, err := g.r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "nobody"}, "nobody"); !errors.Is(err, ErrEmbargoed) {
		t.Fatalf("unknown person to a candidate: %v, want ErrEmbargoed", err)
	}
	if _, err := g.r.Outcome(ctx, admin, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown person to the team: %v, want ErrNotFound", err)
	}
	// A person of another window stays embargoed.
	g.ros.cands = append(g.ros.cands, practitioner("p9", "bury", summer.From.Add(time.Hour)))
	if _, err := g.r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "p9"}, "p9"); !errors.Is(err, ErrEmbargoed) {
		t.Fatalf("summer candidate after the spring release: %v", err)
	}
}

func testPreview(t *testing.T, st store.Store) {
	ctx := context.Background()
	g := adoptedCohort(t, st, 58)
	cand := standardP("")
	cand.RolePlay["circuit-p"] = RolePlayCut{Cut: Cut{Cut: 55}, NoMustPassFailure: true}
	changes, err := g.r.Preview(ctx, programme.Practitioner, cand)
	must(t, err)
	// p2 (knowledge 40, role-play 55) and p4 (45, 58) pass the role-play at 55.
	var got []string
	for _, c := range changes {
		got = append(got, c.Person+":"+string(c.From.Outcome)+">"+string(c.To.Outcome))
	}
	if want := []string{"p2:partially_met>met", "p4:partially_met>met"}; !slices.Equal(got, want) {
		t.Fatalf("preview %v, want %v", got, want)
	}
	if all, _ := g.r.Standards(ctx, programme.Practitioner); len(all) != 1 {
		t.Fatalf("preview stored a version: %d", len(all))
	}
	bad := standardP("")
	bad.Knowledge["form-p"] = Cut{Cut: 61}
	if _, err := g.r.Preview(ctx, programme.Practitioner, bad); !slices.Equal(codes(err), []Code{CodeOutOfRange}) {
		t.Fatalf("preview of a bad standard: %v", err)
	}
}

func testAppeals(t *testing.T, st store.Store) {
	ctx := context.Background()
	g := adoptedCohort(t, st, 70)
	p2 := Viewer{Role: RoleCandidate, ID: "p2"}
	if _, err := g.r.Lodge(ctx, p2, "p2", "the actor left mid-scenario"); !slices.Equal(codes(err), []Code{CodeNotReleased}) {
		t.Fatalf("appeal before release: %v", err)
	}
	_, err := g.r.Release(ctx, admin, spring.ID)
	must(t, err)
	if _, err := g.r.Lodge(ctx, Viewer{Role: RoleCandidate, ID: "p1"}, "p2", "x"); !slices.Equal(codes(err), []Code{CodeNotPermitted}) {
		t.Fatalf("appeal for someone else: %v", err)
	}
	if _, err := g.r.Lodge(ctx, p2, "p2", "  "); !slices.Equal(codes(err), []Code{CodeInvalid}) {
		t.Fatalf("appeal without grounds: %v", err)
	}
	a, err := g.r.Lodge(ctx, p2, "p2", "the actor left mid-scenario")
	must(t, err)
	if a.ID != "ap-1" || !a.Open() || a.Window != spring.ID {
		t.Fatalf("lodged %+v", a)
	}
	if _, err := g.node(t).Lodge(ctx, Viewer{Role: RoleEmployer, ID: "adm-leeds", Employer: "leeds"}, "p2", "again"); !slices.Equal(codes(err), []Code{CodeAppealOpen}) {
		t.Fatalf("second open appeal: %v", err)
	}
	if _, err := g.r.DecideAppeal(ctx, p2, "p2", "ap-1", true, "mine"); !slices.Equal(codes(err), []Code{CodeNotPermitted}) {
		t.Fatalf("candidate decides: %v", err)
	}
	if _, err := g.r.DecideAppeal(ctx, admin, "p2", "ap-9", true, "no such"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown appeal: %v", err)
	}
	d, err := g.r.DecideAppeal(ctx, admin, "p2", "ap-1", false, "the scenario was completed on the recording")
	must(t, err)
	if d.Open() || d.Upheld || d.DecidedBy != "admin1" {
		t.Fatalf("decided %+v", d)
	}
	if _, err := g.r.DecideAppeal(ctx, admin, "p2", "ap-1", true, "again"); !slices.Equal(codes(err), []Code{CodeInvalid}) {
		t.Fatalf("decided twice: %v", err)
	}
	g.clk.Advance(29 * day)
	if _, err := g.r.Lodge(ctx, p2, "p2", "late"); !slices.Equal(codes(err), []Code{CodeAppealWindow}) {
		t.Fatalf("appeal after the window: %v", err)
	}
	all, err := g.node(t).Appeals(ctx, "p2")
	must(t, err)
	if len(all) != 1 || all[0].Note != "the scenario was completed on the recording" {
		t.Fatalf("stored appeals %+v", all)
	}
}

// TestTwoNodesOnRedis runs two Results on two clients of one Redis: each
// sees the other's standards, releases and appeals, and concurrent
// adoptions get distinct versions.
func TestTwoNodesOnRedis(t *testing.T) {
	nodes := openRedisNodes(t, 2)
	ctx := context.Background()
	a := newRig(t, nodes[0])
	a.cohort()
	a.ev.setRolePlay("circuit-p", "p4", 70)
	b := *a
	b.st = nodes[1]
	b.r = b.node(t)

	var wg sync.WaitGroup
	vs := make([]int, 2)
	for i, g := range []*rig{a, &b} {
		wg.Go(func() {
			s, err := g.r.Adopt(ctx, psych, standardP(""))
			if err != nil {
				t.Error(err)
			}
			vs[i] = s.Version
		})
	}
	wg.Wait()
	slices.Sort(vs)
	if !slices.Equal(vs, []int{1, 2}) {
		t.Fatalf("concurrent versions %v, want 1 and 2", vs)
	}
	if cur, err := a.r.Current(ctx, programme.Practitioner); err != nil || cur.Version != 2 {
		t.Fatalf("node a's current: %+v %v", cur, err)
	}
	_, err := b.r.Release(ctx, admin, spring.ID)
	must(t, err)
	if _, err := a.r.Release(ctx, admin, spring.ID); !slices.Equal(codes(err), []Code{CodeReleased}) {
		t.Fatalf("node a releases again: %v", err)
	}
	if o, err := a.r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "p1"}, "p1"); err != nil || o.Outcome != Met {
		t.Fatalf("node a after node b's release: %+v %v", o, err)
	}
	_, err = a.r.Lodge(ctx, Viewer{Role: RoleCandidate, ID: "p3"}, "p3", "marking")
	must(t, err)
	if all, err := b.r.Appeals(ctx, "p3"); err != nil || len(all) != 1 || !all[0].Open() {
		t.Fatalf("node b's appeals: %+v %v", all, err)
	}
}
