package rasch

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Expected values: testdata/01_eRm_RM_items.csv and 01_eRm_RM_scalar.txt,
// from eRm 1.0.2 RM(raschdat1, sum0 = TRUE); psychotools 0.7.2 gives the same log-likelihood.
func TestFitRaschdat1(t *testing.T) {
	_, cal := fitRaschdat1(t)
	want := column(t, "testdata/01_eRm_RM_items.csv", "difficulty")
	wantSE := column(t, "testdata/01_eRm_RM_items.csv", "se_beta")
	for i := range want {
		if !scalar.EqualWithinAbs(cal.Difficulty[i], want[i], 1e-3) {
			t.Errorf("item %d: difficulty %.6f, eRm %.6f", i+1, cal.Difficulty[i], want[i])
		}
		if !scalar.EqualWithinAbs(cal.SE[i], wantSE[i], 1e-3) {
			t.Errorf("item %d: se %.6f, eRm %.6f", i+1, cal.SE[i], wantSE[i])
		}
	}
	// eRm RM conditional loglik: -1434.481812 (01_eRm_RM_scalar.txt)
	if !scalar.EqualWithinAbs(cal.LogLik, -1434.481812, 1e-6) {
		t.Errorf("loglik %.7f, eRm -1434.481812", cal.LogLik)
	}
	// psychotools stops its optimiser within about 2e-4 logits of the optimum too.
	pt := column(t, "testdata/01_crosscheck_psychotools.csv", "difficulty_psychotools")
	for i := range pt {
		if !scalar.EqualWithinAbs(cal.Difficulty[i], pt[i], 5e-4) {
			t.Errorf("item %d: difficulty %.7f, psychotools %.7f", i+1, cal.Difficulty[i], pt[i])
		}
	}
	t.Logf("iterations %d loglik %.8f", cal.Iterations, cal.LogLik)
}
