package rasch

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Expected values: testdata/01_eRm_rawscore_theta.csv (eRm 1.0.2
// person.parameter on eRm's raschdat1). SEs from
// testdata/01_eRm_person_parameters.txt, rows for raw scores 1, 10 and 26.
func TestScoreTableRaschdat1(t *testing.T) {
	_, cal := fitRaschdat1(t)
	rows := ScoreTable(cal.Difficulty)
	raw := column(t, "testdata/01_eRm_rawscore_theta.csv", "raw")
	theta := column(t, "testdata/01_eRm_rawscore_theta.csv", "theta")
	for i, r := range raw {
		got := rows[int(r)].Theta
		if got == nil || !scalar.EqualWithinAbs(*got, theta[i], 1e-3) {
			t.Errorf("raw %v: theta %v, eRm %.6f", r, got, theta[i])
		}
	}
	for _, c := range []struct {
		raw int
		se  float64
	}{{1, 1.0263492464}, {10, 0.4127478331}, {26, 0.5653929993}} {
		if got := *rows[c.raw].SE; !scalar.EqualWithinAbs(got, c.se, 1e-3) {
			t.Errorf("raw %d: se %.6f, eRm %.6f", c.raw, got, c.se)
		}
	}
	if rows[0].Theta != nil || rows[30].Theta != nil {
		t.Error("extreme scores must have no MLE")
	}
}

// WLE properties (Warm 1989): finite at extreme scores, pulled toward the
// centre relative to the MLE, and odd-symmetric for symmetric difficulties.
func TestWLE(t *testing.T) {
	b := []float64{-1.5, -0.5, 0, 0.5, 1.5}
	for r := 0; r <= len(b); r++ {
		w := WLE(b, r)
		if math.IsNaN(w.Theta) || math.IsInf(w.Theta, 0) || w.SE <= 0 {
			t.Fatalf("raw %d: WLE %+v", r, w)
		}
		mirror := WLE(b, len(b)-r)
		if !scalar.EqualWithinAbs(w.Theta, -mirror.Theta, 1e-9) {
			t.Errorf("raw %d: WLE %v, mirror %v", r, w.Theta, mirror.Theta)
		}
		if a, ok := MLE(b, r); ok && math.Abs(w.Theta) > math.Abs(a.Theta)+1e-12 {
			t.Errorf("raw %d: |WLE| %v > |MLE| %v", r, w.Theta, a.Theta)
		}
		// The WLE solves its estimating equation.
		sp, info, dinfo := testInfo(w.Theta, b)
		if eq := float64(r) - sp + dinfo/(2*info); math.Abs(eq) > 1e-9 {
			t.Errorf("raw %d: estimating equation %g", r, eq)
		}
	}
}
