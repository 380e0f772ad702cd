package results

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
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
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/internal/clock"
)

// realRig is an engine on engine/testdata/lib (sitting s1, form f1 of four
// items in domains d1 and d2; candidates c1 and c2) and a marking service
// on the demo role-play model, sharing one bolt store.
type realRig struct {
	eng *engine.Engine
	mk  *marking.Service
	lib *content.Library
	st  store.Store
	clk *clock.Fake
	ev  *StoreEvidence
}

func newRealRig(t *testing.T) *realRig {
	t.Helper()
	lib, err := content.LoadDir(filepath.Join("..", "testdata", "lib"))
	must(t, err)
	return newRealRigWith(t, lib)
}

func newRealRigWith(t *testing.T, lib *content.Library) *realRig {
	t.Helper()
	model, err := roleplay.Load(roleplay.Demo())
	must(t, err)
	st := bolttest.Open(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC))
	eng := engine.New(engine.Config{Library: lib, Store: st, Clock: clk, Seed: func() uint64 { return 42 }})
	mk := marking.New(marking.Config{Model: model, Store: st, Clock: clk})
	t.Cleanup(func() { mk.Close(); eng.Close() })
	return &realRig{eng: eng, mk: mk, lib: lib, st: st, clk: clk, ev: &StoreEvidence{Engine: eng, Marking: mk, Library: lib}}
}

// complete marks every criterion of k's rubric with mark, gives the
// judgement and submits.
func (r *realRig) complete(t *testing.T, k roleplay.SheetKey, judgement, mark int) {
	t.Helper()
	err := markingtest.MarkSheet(context.Background(), r.mk, k, judgement, func(*roleplay.Criterion) int { return mark })
	must(t, err)
}

func TestStoreEvidenceKnowledge(t *testing.T) {
	r := newRealRig(t)
	ctx := context.Background()
	wantMissing := func(err error, c Code) {
		t.Helper()
		var m *MissingError
		if !errors.As(err, &m) || m.Code != c || m.Element != Knowledge {
			t.Fatalf("%v, want missing %s", err, c)
		}
	}
	_, err := r.ev.Knowledge(ctx, "s1", "c1")
	wantMissing(err, CodeAbsent)

	id1, err := r.eng.Join(ctx, "TEST-ONE-7K2M", enginetest.NopPeer{})
	must(t, err)
	id2, err := r.eng.Join(ctx, "TEST-TWO-9P4R", enginetest.NopPeer{})
	must(t, err)
	must(t, r.eng.Release(ctx, "s1", "inv1"))
	// c1: q1 right (d1), q3 right (d2), q4 wrong (d2), q2 unanswered.
	for i, a := range []struct {
		item string
		opts []string
	}{{"q1", []string{"b"}}, {"q3", []string{"c"}}, {"q4", []string{"a", "b"}}} {
		r.eng.Handle(ctx, id1, enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: uint64(i + 1), Item: a.item, Options: a.opts})
	}
	_, err = r.ev.Knowledge(ctx, "s1", "c1")
	wantMissing(err, CodeNotSubmitted)
	r.eng.Handle(ctx, id1, enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 4, Confirm: true})
	k, err := r.ev.Knowledge(ctx, "s1", "c1")
	must(t, err)
	if k.Form != "f1" || k.Score != 2 || k.Max != 4 || k.Domains["d1"] != (DomainScore{Score: 1, Max: 2}) || k.Domains["d2"] != (DomainScore{Score: 1, Max: 2}) {
		t.Fatalf("c1's knowledge score %+v", k)
	}
	must(t, r.eng.Void(ctx, id2, "inv1"))
	_, err = r.ev.Knowledge(ctx, "s1", "c2")
	wantMissing(err, CodeVoided)

	if rg, err := r.ev.Range(ctx, Knowledge, "f1"); err != nil || rg.Max != 4 {
		t.Fatalf("range of f1: %+v %v", rg, err)
	}
	if _, err := r.ev.Range(ctx, Knowledge, "f9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("range of an unknown form: %v", err)
	}
}

func TestStoreEvidenceRolePlay(t *testing.T) {
	r := newRealRig(t)
	ctx := context.Background()
	r.clk.Advance(90 * time.Minute) // slot 4: every station of C01 is over
	c := roleplay.DemoPractitionerCircuit
	key := func(station, cand, assessor string) roleplay.SheetKey {
		return roleplay.SheetKey{Circuit: c, Station: station, Candidate: cand, Assessor: assessor}
	}
	r.complete(t, key("S1", "C01", "ASR-LIAM"), 3, 2)
	r.complete(t, key("S1", "C01", "ASR-NADIA"), 3, 2)
	r.complete(t, key("S2", "C01", "ASR-PETRA"), 4, 2)
	_, err := r.ev.RolePlay(ctx, c, "C01")
	var m *MissingError
	if !errors.As(err, &m) || m.Code != CodeUnsettled || len(m.Stations) != 2 || m.Stations[0] != "S2" || m.Stations[1] != "S3" {
		t.Fatalf("C01 with S2 half marked and S3 unmarked: %v (%+v)", err, m)
	}
	r.complete(t, key("S2", "C01", "ASR-KOFI"), 4, 2)
	r.complete(t, key("S3", "C01", "ASR-HELEN"), 2, 1)
	rp, err := r.ev.RolePlay(ctx, c, "C01")
	must(t, err)
	res, err := r.mk.Results(ctx, c)
	must(t, err)
	if len(res.Elements) != 1 {
		t.Fatalf("marking elements %+v", res.Elements)
	}
	want := res.Elements[0]
	if rp.Circuit != c || rp.Score != want.Score || rp.Max != want.Max || len(rp.Stations) != 3 || rp.Score <= 0 {
		t.Fatalf("C01's role-play %+v, marking says %g of %g", rp, want.Score, want.Max)
	}
	rg, err := r.ev.Range(ctx, RolePlay, c)
	must(t, err)
	if rg.Max != want.Max || rg.Stations != 3 {
		t.Fatalf("range of %s: %+v, want max %g over 3 stations", c, rg, want.Max)
	}
	if _, err := r.ev.RolePlay(ctx, c, "Z99"); !errors.As(err, &m) || m.Code != CodeAbsent {
		t.Fatalf("someone not on the circuit: %v", err)
	}
}

// TestDecideFromStore decides two people from what the engine and the
// marking service stored: release waits for C02's unsettled sheets,
// listing them, then C01 has met the standard and C02 partially.
func TestDecideFromStore(t *testing.T) {
	ctx := context.Background()
	circuit := roleplay.DemoPractitionerCircuit
	rr := newRealRigWith(t, testLibrary(t, []string{"C01", "C02"}))
	sit := rr.lib.Sittings["s1"]
	ids := map[string]string{}
	for _, c := range sit.Candidates {
		id, err := rr.eng.Join(ctx, c.AccessCode, enginetest.NopPeer{})
		must(t, err)
		ids[c.ID] = id
	}
	must(t, rr.eng.Release(ctx, "s1", "inv1"))
	// C01: q1, q2 and q3 right; C02 answers nothing.
	for i, a := range [][2]string{{"q1", "b"}, {"q2", "a"}, {"q3", "c"}} {
		rr.eng.Handle(ctx, ids["C01"], enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: uint64(i + 1), Item: a[0], Options: []string{a[1]}})
	}
	rr.eng.Handle(ctx, ids["C01"], enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 4, Confirm: true})
	rr.eng.Handle(ctx, ids["C02"], enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 1, Confirm: true})

	rr.clk.Advance(90 * time.Minute)
	key := func(station, cand, assessor string) roleplay.SheetKey {
		return roleplay.SheetKey{Circuit: circuit, Station: station, Candidate: cand, Assessor: assessor}
	}
	for _, k := range []roleplay.SheetKey{key("S1", "C01", "ASR-LIAM"), key("S1", "C01", "ASR-NADIA"), key("S2", "C01", "ASR-PETRA"),
		key("S2", "C01", "ASR-KOFI"), key("S3", "C01", "ASR-HELEN"), key("S2", "C02", "ASR-PETRA"), key("S2", "C02", "ASR-KOFI")} {
		rr.complete(t, k, 3, 2)
	}
	bps := testBlueprints()
	bps[0].Forms, bps[0].Circuits = []string{"f1"}, []string{circuit}
	ros := &fakeRoster{}
	for _, id := range []string{"C01", "C02"} {
		ros.cands = append(ros.cands, Candidate{Person: id, Employer: "bury", Status: programme.Practitioner,
			Sitting: "s1", KnowledgeStart: t0, Circuit: circuit, RolePlayStart: t0, Start: t0})
	}
	r, err := New(Config{Store: rr.st, Clock: rr.clk, Evidence: rr.ev, Roster: ros, Blueprints: bps, Windows: []Window{spring}})
	must(t, err)
	rg, err := rr.ev.Range(ctx, RolePlay, circuit)
	must(t, err)
	_, err = r.Adopt(ctx, psych, Standard{Status: programme.Practitioner,
		Knowledge: map[string]Cut{"f1": {Panel: 2}},
		RolePlay:  map[string]RolePlayCut{circuit: {Cut: Cut{Panel: rg.Max / 4}}}})
	must(t, err)

	_, err = r.Release(ctx, admin, spring.ID)
	rs := Reasons(err)
	if len(rs) != 1 || rs[0].Code != CodeUnsettled || !strings.HasPrefix(rs[0].Message, "C02: ") || !strings.Contains(rs[0].Message, "[S1 S3]") {
		t.Fatalf("release with C02's S1 and S3 unmarked: %v", err)
	}
	rr.complete(t, key("S1", "C02", "ASR-LIAM"), 3, 2)
	rr.complete(t, key("S1", "C02", "ASR-NADIA"), 3, 2)
	rr.complete(t, key("S3", "C02", "ASR-HELEN"), 3, 2)
	rel, err := r.Release(ctx, admin, spring.ID)
	must(t, err)
	if rel.Outcomes[Met] != 1 || rel.Outcomes[PartiallyMet] != 1 {
		t.Fatalf("release %+v", rel)
	}
	d, err := r.DecisionOf(ctx, admin, "C01")
	must(t, err)
	if d.Outcome != Met || d.Elements[0].Score != 3 || d.Elements[0].Max != 4 || d.Elements[1].Score <= rg.Max/4 {
		t.Fatalf("C01: %+v", d)
	}
	o, err := r.Outcome(ctx, Viewer{Role: RoleCandidate, ID: "C02"}, "C02")
	must(t, err)
	if o.Outcome != PartiallyMet || !slices.Equal(o.Resit, []Element{Knowledge}) {
		t.Fatalf("C02 sees %+v", o)
	}
}
