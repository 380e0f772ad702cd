package rasch

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Expected values: testdata/01_eRm_itemfit.csv (eRm 1.0.2 itemfit on
// eRm's raschdat1). eRm's own difficulties sit up to 2e-4
// logits from the optimum, so MSQ and t are compared to 2e-3.
func TestItemfitRaschdat1(t *testing.T) {
	st, cal := fitRaschdat1(t)
	fit := Itemfit(st, cal.Difficulty)
	path := "testdata/01_eRm_itemfit.csv"
	cols := map[string]func(f ItemFit) float64{
		"outfitMSQ": func(f ItemFit) float64 { return f.OutfitMSQ },
		"infitMSQ":  func(f ItemFit) float64 { return f.InfitMSQ },
		"outfitZ":   func(f ItemFit) float64 { return f.OutfitT },
		"infitZ":    func(f ItemFit) float64 { return f.InfitT },
		"chisq":     func(f ItemFit) float64 { return f.ChiSq },
	}
	for name, get := range cols {
		want := column(t, path, name)
		tol := 2e-3
		if name == "chisq" {
			tol = 0.2 // chisq = n × outfit with n = 100
		}
		for i := range want {
			if got := get(fit[i]); !scalar.EqualWithinAbs(got, want[i], tol) {
				t.Errorf("%s item %d: %.6f, eRm %.6f", name, i+1, got, want[i])
			}
		}
	}
	// testdata/01_eRm_itemfit.txt prints df 99 and p-values 0.893 (I1), 0.058 (I6).
	if fit[0].DF != 99 || !scalar.EqualWithinAbs(fit[0].P, 0.893, 2e-3) || !scalar.EqualWithinAbs(fit[5].P, 0.058, 2e-3) {
		t.Errorf("df %d p %.4f %.4f; eRm 99, 0.893, 0.058", fit[0].DF, fit[0].P, fit[5].P)
	}
}
