package agreement

import (
	"errors"
	"testing"
)

// Fleiss (1971): 10 subjects, 14 raters, 5 categories; published kappa 0.210.
// Expected values: testdata/03_rater_agreement.txt, computed from Fleiss's
// (1971) definition in base R 4.2.2.
func TestFleissKappaReference(t *testing.T) {
	counts := [][]float64{
		{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
	}
	got, err := FleissKappa(counts)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Pbar", got.Observed, 0.3780219780)
	near(t, "Pe", got.Chance, 0.2127551020)
	near(t, "kappa", got.Kappa, 0.2099307044)
	// p_j printed to 6 decimals by the script.
	for j, want := range []float64{0.142857, 0.2, 0.278571, 0.15, 0.228571} {
		if d := got.Categories[j] - want; d > 5e-7 || d < -5e-7 {
			t.Errorf("p_%d = %g, want %g", j+1, got.Categories[j], want)
		}
	}
}

func TestFleissKappaErrors(t *testing.T) {
	tests := []struct {
		name   string
		counts [][]float64
		want   error
	}{
		{"none", nil, ErrTooFew},
		{"unequal", [][]float64{{1, 1}, {2, 1}}, ErrUnequalRaters},
		{"one rater", [][]float64{{1, 0}, {0, 1}}, ErrTooFew},
		{"one category", [][]float64{{2, 0}, {2, 0}}, ErrNoVariance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := FleissKappa(tc.counts); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := FleissKappa([][]float64{{1.5, 0.5}}); err == nil {
		t.Error("fractional count accepted")
	}
}
