package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/rasch"
	"github.com/accredit/accredit/scoring/respmatrix"
	"github.com/accredit/accredit/web/webtest"
)

// demoNow is the demo's today in the tests: after the past cohort's
// sitting and circuit, in the next sitting window.
var demoNow = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// demoStore is a bolt store with the demo's content, role-play model and
// programme rules, the server's Programme on it and the past one
// (openPastProgramme).
type demoStore struct {
	st      store.Store
	lib     *content.Library
	rpm     *roleplay.Model
	rules   programme.Rules
	p, past *programme.Programme
}

func newDemoStore(t *testing.T) *demoStore {
	t.Helper()
	ctx := context.Background()
	d := &demoStore{st: webtest.BoltAt(t, filepath.Join(t.TempDir(), "demo.db"))}
	var err error
	if d.lib, err = loadContent(""); err != nil {
		t.Fatal(err)
	}
	if d.rpm, err = loadRoleplay(""); err != nil {
		t.Fatal(err)
	}
	if d.rules, err = readProgrammeRules("", true); err != nil {
		t.Fatal(err)
	}
	if d.p, err = openProgramme(ctx, d.rules, nil, d.st, d.lib, nil); err != nil {
		t.Fatal(err)
	}
	if d.past, err = openPastProgramme(ctx, d.rules, d.st, d.lib, nil); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSeedDemo seeds the demo programme, its past sitting and circuit
// twice on one bolt store: the second run stores nothing more; the past
// sitting's candidates are programme people with monitoring answers; the
// psychometric analyses of what is stored give results, with the planted
// item flagged by age band; the adopted standard decides the past
// cohort, whose window is released once.
func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	d := newDemoStore(t)
	st, lib, rpm := d.st, d.lib, d.rpm
	streams := func() map[string]int {
		ids, err := st.Streams(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, id := range ids {
			recs, err := st.Read(ctx, id, 0)
			if err != nil {
				t.Fatal(err)
			}
			n[id] = len(recs)
		}
		return n
	}
	t0 := time.Now()
	if err := seedProgrammeDemo(ctx, d.past, d.p, demoNow); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeding the programme took %v", time.Since(t0))
	t0 = time.Now()
	first, err := seedDemo(ctx, st, lib, rpm, d.p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first seeding of the attempts and sheets took %v", time.Since(t0))
	before := streams()
	if err := seedProgrammeDemo(ctx, d.past, d.p, demoNow); err != nil {
		t.Fatal(err)
	}
	second, err := seedDemo(ctx, st, lib, rpm, d.p)
	if err != nil {
		t.Fatal(err)
	}
	if after := streams(); len(after) != len(before) {
		t.Fatalf("second seeding: %d streams, was %d", len(after), len(before))
	} else {
		for id, n := range before {
			if after[id] != n {
				t.Fatalf("second seeding: stream %s has %d records, was %d", id, after[id], n)
			}
		}
	}
	if !bytes.Equal(first, second) {
		t.Fatal("second seeding exported a different response matrix")
	}

	m, err := respmatrix.Read(bytes.NewReader(first), "past.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.NumPersons() != pastCount {
		t.Fatalf("%d persons in the matrix, want %d", m.NumPersons(), pastCount)
	}
	rep, err := itemanalysis.Analyse(m)
	if err != nil {
		t.Fatalf("item analysis: %v", err)
	}
	if rep == nil {
		t.Fatal("item analysis: no report")
	}
	if _, err := rasch.Analyse(m, rasch.Options{}); err != nil {
		t.Fatalf("rasch: %v", err)
	}

	// Every candidate of the matrix is a programme person of a demo
	// employer with an age band; the DIF by age band flags the planted
	// item, class C, and few others.
	mon, err := d.p.Monitoring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	band := map[string]string{}
	for _, r := range mon {
		band[r.Person] = r.Monitoring.AgeBand
	}
	groups := make([]string, m.NumPersons())
	for i, id := range m.Persons {
		per, err := d.p.Person(ctx, id)
		if err != nil || (per.Employer != demoEmployers[0].ID && per.Employer != demoEmployers[1].ID) || band[id] == "" {
			t.Fatalf("candidate %s: person %+v, %v, age band %q", id, per, err, band[id])
		}
		groups[i] = band[id]
	}
	member, err := fairness.Membership(groups, pastDIFReference, pastDIFFocal)
	if err != nil {
		t.Fatal(err)
	}
	dif := fairness.DIF(m, member, fairness.Options{SkipLogistic: true})
	flagged := map[string]string{}
	for _, it := range dif.Items {
		if it.ETSClass == "C" {
			flagged[it.ID] = it.ETSClass
		}
	}
	if flagged[pastDIFItem] != "C" {
		t.Errorf("DIF by age band: %s is class %q, want C; flagged %v", pastDIFItem, flagged[pastDIFItem], flagged)
	}
	if len(flagged) > 1 {
		t.Errorf("DIF by age band flags %v class C, want only the planted %s", flagged, pastDIFItem)
	}
	t.Logf("DIF %s against %s: %d reference, %d focal; class C: %v", pastDIFFocal, pastDIFReference, dif.NReference, dif.NFocal, flagged)
	// The false flags over every pair of age bands: items other than the
	// planted one classed B or C, logged for docs/psychometrics.md.
	bands := []string{bandUnder25, band25to34, band35to44, band45to54, band55andOver}
	for i, ref := range bands {
		for _, foc := range bands[i+1:] {
			mem, err := fairness.Membership(groups, ref, foc)
			if err != nil {
				t.Fatal(err)
			}
			classes := map[string][]string{}
			for _, it := range fairness.DIF(m, mem, fairness.Options{SkipLogistic: true}).Items {
				if it.ETSClass != "A" {
					classes[it.ETSClass] = append(classes[it.ETSClass], it.ID)
				}
			}
			t.Logf("DIF %s (ref) vs %s: B %v, C %v", ref, foc, classes["B"], classes["C"])
		}
	}

	svc := marking.New(marking.Config{Model: rpm, Store: st})
	defer svc.Close()
	ag, err := svc.Agreement(ctx, pastCircuit)
	if err != nil {
		t.Fatal(err)
	}
	if len(ag) != 2 {
		t.Fatalf("agreement on %d stations, want the 2 double-marked", len(ag))
	}
	for _, s := range ag {
		if s.Problem != "" || s.Scores == nil || s.Judgements == nil || s.Candidates != pastCount {
			t.Errorf("station %s: %d candidates, problem %q, scores %v, judgements %v", s.Station, s.Candidates, s.Problem, s.Scores != nil, s.Judgements != nil)
		}
	}

	dir := t.TempDir()
	if err := seedStandardsDemo(dir, first); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"panelA.csv", "panelB.csv", "scores.csv", "responses.csv"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("standard-setting file %s: %v", f, err)
		}
	}

	checkDemoResults(t, d)
}

// checkDemoResults decides and releases the past cohort twice on d's
// seeded store: one release, every past candidate decided, and an impact
// report by authority, phase, cohort and age band.
func checkDemoResults(t *testing.T, d *demoStore) {
	t.Helper()
	ctx := context.Background()
	res, ev, err := openResults("", true, d.st, d.rules, d.lib, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev.roster.P = d.p
	eng := engine.New(engine.Config{Library: d.lib, Store: d.st, Roster: engine.Rosters(engine.LibraryRoster(d.lib), results.DeliveryRoster(d.p))})
	defer eng.Close()
	ms := marking.New(marking.Config{Model: d.rpm, Store: d.st})
	defer ms.Close()
	ev.Engine, ev.Marking = eng, ms
	t0 := time.Now()
	for range 2 {
		if err := seedDemoResults(ctx, res, ev.StoreEvidence, d.lib, d.rules); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("deciding and releasing took %v", time.Since(t0))
	dir := t.TempDir()
	if done, err := demoSeeded(ctx, res, dir); err != nil || done {
		t.Fatalf("released, no standard-setting files: seeded %v, %v; want not yet", done, err)
	}
	for _, f := range []string{"panelA.csv", "panelB.csv", "scores.csv", "responses.csv"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if done, err := demoSeeded(ctx, res, dir); err != nil || !done {
		t.Fatalf("released, with the standard-setting files: seeded %v, %v; want done", done, err)
	}
	rels, err := res.Releases(ctx)
	if err != nil || len(rels) != 1 {
		t.Fatalf("releases %+v, %v", rels, err)
	}
	rel := rels[0]
	if rel.Window != pastWindow || rel.People != pastCount || len(rel.Incomplete) != 0 {
		t.Fatalf("release of %s: %d people, outcomes %v, incomplete %v", rel.Window, rel.People, rel.Outcomes, rel.Incomplete)
	}
	met := rel.Outcomes[results.Met]
	if met < pastCount/2 || met == pastCount {
		t.Errorf("outcomes %v: want most met and some not", rel.Outcomes)
	}
	t.Logf("released %s: %v", rel.Window, rel.Outcomes)
	out, err := res.Outcome(ctx, results.Viewer{Role: results.RoleCandidate, ID: "p001"}, "p001")
	if err != nil || out.Released.IsZero() {
		t.Fatalf("p001's own outcome: %+v, %v", out, err)
	}
	rep, err := res.Impact(ctx, d.p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall.N != pastCount {
		t.Errorf("impact overall n %d, want %d", rep.Overall.N, pastCount)
	}
	var fields []string
	for _, f := range rep.Impact {
		fields = append(fields, string(f.Field))
		if f.Field == "age_band" && (f.Reference == "" || len(f.Groups) < 5) {
			t.Errorf("impact by age band: reference %q, %d groups (%s)", f.Reference, len(f.Groups), f.Note)
		}
	}
	for _, name := range []string{"employer", "phase", "cohort"} {
		if tb := rep.Table(name); tb == nil || len(tb.Cells) == 0 {
			t.Errorf("impact table %s: %+v (tables %d, fields %v)", name, tb, len(rep.Tables), fields)
		}
	}
}
