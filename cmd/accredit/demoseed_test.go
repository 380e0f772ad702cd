package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/rasch"
	"github.com/accredit/accredit/scoring/respmatrix"
	"github.com/accredit/accredit/web/webtest"
)

// TestSeedDemo seeds the demo's past sitting and circuit twice on one bolt
// store: the second run stores nothing more, and the psychometric analyses
// of what is stored give results, with the planted item flagged.
func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	st := webtest.BoltAt(t, filepath.Join(t.TempDir(), "demo.db"))
	lib, err := loadContent("")
	if err != nil {
		t.Fatal(err)
	}
	rpm, err := loadRoleplay("")
	if err != nil {
		t.Fatal(err)
	}
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
	first, err := seedDemo(ctx, st, lib, rpm)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first seeding took %v", time.Since(t0))
	before := streams()
	second, err := seedDemo(ctx, st, lib, rpm)
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
	groups := make([]string, m.NumPersons())
	employer := map[string]string{}
	for _, c := range lib.Sittings[pastSitting].Candidates {
		employer[c.ID] = c.Employer
	}
	for i, p := range m.Persons {
		groups[i] = employer[p]
	}
	member, err := fairness.Membership(groups, demoEmployers[0].Name, pastDIFFocal)
	if err != nil {
		t.Fatal(err)
	}
	dif := fairness.DIF(m, member, fairness.Options{SkipLogistic: true})
	flagged := map[string]string{}
	for _, it := range dif.Items {
		if it.ETSClass != "A" {
			flagged[it.ID] = it.ETSClass
		}
	}
	if flagged[pastDIFItem] != "C" {
		t.Errorf("DIF: %s is class %q, want C; flagged %v", pastDIFItem, flagged[pastDIFItem], flagged)
	}
	if len(flagged) > 3 {
		t.Errorf("DIF flags %d items, want the planted one and few others: %v", len(flagged), flagged)
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
		if s.Problem != "" || s.Scores == nil || s.Judgements == nil || s.Candidates != pastCircuitN {
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
}
