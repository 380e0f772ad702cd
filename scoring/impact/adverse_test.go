package impact

import (
	"fmt"
	"testing"

	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/internal/testref"
)

// ageRows makes decisions with the given age band, met passes of n.
func ageRows(rows []Row, band string, met, n int) []Row {
	for i := range n {
		r := Row{
			Person: fmt.Sprintf("%s-%d", band, i), Employer: "LA1", Phase: Phase1, Cohort: "W1",
			Status: Practitioner, Outcome: NotMet, Monitoring: Monitoring{AgeBand: band},
		}
		if i < met {
			r.Outcome = Met
		}
		rows = append(rows, r)
	}
	return rows
}

func findGroup(t *testing.T, f FieldImpact, g string) GroupImpact {
	t.Helper()
	for _, o := range f.Groups {
		if o.Group == g {
			return o
		}
	}
	t.Fatalf("no group %q in %+v", g, f)
	return GroupImpact{}
}

// TestAdverseImpactReference checks a field's comparison against
// testdata/04_adverse_impact.txt (base R 4.2.2: the impact ratio, and
// stats::fisher.test on 120/200 against 40/100).
func TestAdverseImpactReference(t *testing.T) {
	get := testref.Labelled(t, "testdata/04_adverse_impact.txt")
	var rows []Row
	rows = ageRows(rows, "under 30", 120, 200)
	rows = ageRows(rows, "50 and over", 40, 100)
	rows = ageRows(rows, "", 7, 12) // not stated: shown, not compared

	rep, err := Build(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	age := rep.Impact[0]
	if age.Field != AgeBand || age.Reference != "under 30" || age.Note != "" || len(age.Groups) != 3 {
		t.Fatalf("age band %+v", age)
	}
	ns := age.Groups[0]
	if ns.Group != "" || ns.N != 12 || ns.Passed != 7 || ns.ImpactRatio != nil || ns.FisherP != nil {
		t.Errorf("not stated %+v", ns)
	}
	old := findGroup(t, age, "50 and over")
	if old.N != 100 || old.Passed != 40 || !old.FourFifths {
		t.Errorf("50 and over %+v", old)
	}
	testref.Near(t, "impact ratio", *old.ImpactRatio, get("impact ratio"), 1e-9)
	testref.Near(t, "fisher p", *old.FisherP, get("Fisher exact p"), 1e-9)
	if lo, hi := Wilson(40, 100, Z95); old.Lo != lo || old.Hi != hi {
		t.Errorf("interval [%g, %g]", old.Lo, old.Hi)
	}
	if young := findGroup(t, age, "under 30"); young.ImpactRatio != nil || young.FisherP != nil {
		t.Errorf("reference group compared with itself: %+v", young)
	}
	// Every other field has one stated group only.
	for _, f := range rep.Impact[1:] {
		if f.Reference != "" || f.Note == "" {
			t.Errorf("%s: %+v", f.Field, f)
		}
	}

	// A configured reference: the ratio is against it, Fisher's p is the
	// same (the test is symmetric).
	rep, err = Build(rows, Options{Reference: map[Field]string{AgeBand: "50 and over"}})
	if err != nil {
		t.Fatal(err)
	}
	age = rep.Impact[0]
	young := findGroup(t, age, "under 30")
	if age.Reference != "50 and over" || young.FourFifths {
		t.Errorf("configured reference %+v", age)
	}
	testref.Near(t, "ratio to reference", *young.ImpactRatio, 1/get("impact ratio"), 1e-9)
	testref.Near(t, "fisher p", *young.FisherP, get("Fisher exact p"), 1e-9)

	rep, err = Build(rows, Options{Reference: map[Field]string{AgeBand: "30-39"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Impact[0].Reference != "" || rep.Impact[0].Note == "" {
		t.Errorf("absent reference %+v", rep.Impact[0])
	}
}

// TestAdverseImpactMatchesFairness: on generated data every published
// comparison is fairness.AdverseImpact's on the published groups.
func TestAdverseImpactMatchesFairness(t *testing.T) {
	rows := cohortRows(7, 3000, 20, 6)
	rep, err := Build(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for fi, f := range fields {
		var labels []string
		var pass []bool
		for _, r := range rows {
			labels = append(labels, r.Monitoring.get(f))
			pass = append(pass, r.Outcome == Met)
		}
		want, err := fairness.AdverseImpact(labels, pass, "")
		if err != nil {
			t.Fatal(err)
		}
		got := rep.Impact[fi]
		if got.Reference != want.Comparison {
			t.Errorf("%s: reference %q, want %q", f, got.Reference, want.Comparison)
		}
		for _, w := range want.Groups {
			g := findGroup(t, got, w.Group)
			if g.N != w.N || g.Passed != w.Passed || (g.FisherP == nil) != (w.FisherP == nil) ||
				(g.FisherP != nil && *g.FisherP != *w.FisherP) || g.FourFifths != w.FourFifthsViolated {
				t.Errorf("%s %s: %+v, want %+v", f, w.Group, g, w)
			}
		}
	}
}

// TestAdverseImpactLeavesOutSuppressed: a group under the minimum is shown
// suppressed and takes no part, even though its rate is the highest.
func TestAdverseImpactLeavesOutSuppressed(t *testing.T) {
	var rows []Row
	rows = ageRows(rows, "a", 5, 5)
	rows = ageRows(rows, "b", 30, 40)
	rows = ageRows(rows, "c", 20, 40)
	rows = ageRows(rows, "d", 25, 30)
	rep, err := Build(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	age := rep.Impact[0]
	a := findGroup(t, age, "a")
	if !a.Suppressed || a.N != 0 || a.ImpactRatio != nil {
		t.Errorf("small group %+v", a)
	}
	// The complement is the smallest other group, d.
	if d := findGroup(t, age, "d"); !d.Suppressed || d.FisherP != nil {
		t.Errorf("complement %+v", d)
	}
	if age.Reference != "b" || findGroup(t, age, "c").ImpactRatio == nil {
		t.Errorf("comparison %+v", age)
	}
	testref.Near(t, "c against b", *findGroup(t, age, "c").ImpactRatio, (20.0/40)/(30.0/40), 1e-12)
}
