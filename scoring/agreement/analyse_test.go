package agreement

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) []Rating {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := ReadCSV(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// testdata/shrout_fleiss_long.csv is the Shrout and Fleiss (1979) table in
// long form; expected ICCs from psych 2.2.9 ICC
// (testdata/03_rater_agreement.txt), the values of shroutFleissForms.
func TestAnalyseShroutFleiss(t *testing.T) {
	rep, err := Analyse(readFile(t, "testdata/shrout_fleiss_long.csv"), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	for i, got := range []float64{rep.ICC1, rep.ICC2, rep.ICC3, rep.ICC1k, rep.ICC2k, rep.ICC3k} {
		near(t, shroutFleissForms[i].Type, got, shroutFleissForms[i].Value)
	}
	if rep.Kappa != nil || rep.Cohen != nil {
		t.Error("Cohen's kappa reported for four raters")
	}
	// Balanced design: a judge's severity is the judge's mean minus the grand
	// mean (127/24): judge 1 scored 46/6.
	near(t, "severity J1", rep.Severity[0].Mean, 46.0/6-127.0/24)
	var sum float64
	for _, s := range rep.Severity {
		sum += s.Mean
	}
	near(t, "sum of severities", sum+1, 1)
}

// testdata/psych_two_raters_long.csv holds the two-rater example of
// psych's cohen.kappa help page; psych 2.2.9 cohen.kappa gives
// kappa 0 and quadratic weighted kappa 0.6779661017.
func TestAnalyseTwoRaters(t *testing.T) {
	rep, err := Analyse(readFile(t, "testdata/psych_two_raters_long.csv"), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kappa == nil || rep.WeightedKappaQuadratic == nil || rep.WeightedKappaLinear == nil {
		t.Fatal("kappa missing for two raters")
	}
	near(t, "kappa", *rep.Kappa, 0)
	near(t, "quadratic", *rep.WeightedKappaQuadratic, 0.6779661017)
	near(t, "quadratic lower", rep.Cohen.Quadratic.Lower, 0.4297217518)
	var out bytes.Buffer
	if err := json.NewEncoder(&out).Encode(rep); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k",
		"kappa", "weighted_kappa_linear", "weighted_kappa_quadratic"} {
		if _, ok := m[key].(float64); !ok {
			t.Errorf("JSON key %q missing or not a number", key)
		}
	}
	var tab bytes.Buffer
	if err := rep.WriteTable(&tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tab.String(), "ICC3k") || !strings.Contains(tab.String(), "quadratic") {
		t.Errorf("table lacks rows:\n%s", tab.String())
	}
}

// Hand-computed: T1 mean 5 (A -1, B +1); T2 mean 4 (A -1, B -1, C +2); T3
// is scored once and skipped. A: mean -1, SE 0; B: mean 0, sd sqrt(2), SE 1;
// C: one deviation, no SE.
func TestRaterSeverity(t *testing.T) {
	got := RaterSeverity([]Rating{
		{"T1", "A", 4}, {"T1", "B", 6},
		{"T2", "A", 3}, {"T2", "B", 3}, {"T2", "C", 6},
		{"T3", "A", 2},
	})
	want := []struct {
		rater string
		n     int
		mean  float64
		se    float64 // -1: none
	}{{"A", 2, -1, 0}, {"B", 2, 0, 1}, {"C", 1, 2, -1}}
	if len(got) != len(want) {
		t.Fatalf("got %d raters", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Rater != w.rater || g.N != w.n {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
		near(t, w.rater+" mean", g.Mean, w.mean)
		switch {
		case w.se < 0 && g.SE != nil:
			t.Errorf("%s: SE %g, want none", w.rater, *g.SE)
		case w.se >= 0 && g.SE == nil:
			t.Errorf("%s: no SE", w.rater)
		case w.se >= 0:
			near(t, w.rater+" SE", *g.SE, w.se)
		}
	}
}

func TestAnalyseIncomplete(t *testing.T) {
	_, err := Analyse([]Rating{{"T1", "A", 1}, {"T1", "B", 2}, {"T2", "A", 3}}, 0.05)
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), `"T2"`) || !strings.Contains(err.Error(), `"B"`) {
		t.Fatalf("err = %v", err)
	}
}
