package rasch

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/scoring/internal/testref"
)

// Expected values: testdata/01_eRm_LRtest.txt, eRm 1.0.2
// LRtest(RM(raschdat1), splitcr = "median"):
// LR = 32.54154162, df = 29, p = 0.2966131279.
func TestAndersenLRRaschdat1(t *testing.T) {
	m := testref.Matrix(t, "testdata/00_raschdat1.csv")
	lr, err := AndersenLR(m, Summarise(m, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinAbs(lr.LR, 32.54154162, 1e-4) || lr.DF != 29 || !scalar.EqualWithinAbs(lr.P, 0.2966131279, 1e-5) {
		t.Errorf("LR %.8f df %d p %.8f; eRm 32.54154162, 29, 0.2966131279", lr.LR, lr.DF, lr.P)
	}
	if lr.GroupPersons[0]+lr.GroupPersons[1] != 100 {
		t.Errorf("groups %v", lr.GroupPersons)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		name   string
		counts []float64
		want   float64
	}{
		{"odd", []float64{1, 1, 1}, 1},           // 0 1 2
		{"even", []float64{1, 1, 1, 1}, 1.5},     // 0 1 2 3
		{"ties", []float64{0, 3, 0, 1}, 1},       // 1 1 1 3
		{"even gap", []float64{2, 0, 0, 2}, 1.5}, // 0 0 3 3
	} {
		if got := median(c.counts); got != c.want {
			t.Errorf("%s: median %v, want %v", c.name, got, c.want)
		}
	}
}
