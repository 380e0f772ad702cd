package agreement

import (
	"errors"
	"testing"

	"github.com/accredit/accredit/scoring/internal/testref"
)

const tol = 1e-8

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	testref.Near(t, name, got, want, tol)
}

// Reference values: testdata/03_rater_agreement.txt, from psych 2.2.9
// cohen.kappa.
func TestCohenKappaReference(t *testing.T) {
	cohen1968 := [][]float64{{.44, .07, .09}, {.05, .20, .05}, {.01, .03, .06}}
	fleiss1969 := [][]float64{{106, 10, 4}, {22, 28, 10}, {2, 12, 6}}
	tests := []struct {
		name           string
		table, w       [][]float64
		n              float64
		k, kLo, kHi    float64
		wk, wkLo, wkHi float64
		varK, varW     float64 // 0: not printed by the reference
	}{
		{
			// Cohen (1968): disagreement weights 0/1/3/6, k=.492, kw=.348.
			name: "cohen1968 disagreement weights", table: cohen1968, n: 200,
			w: [][]float64{{0, 1, 3}, {1, 0, 6}, {3, 6, 0}},
			k: 0.4915254237, kLo: 0.3915637021, kHi: 0.5914871454,
			wk: 0.347826087, wkLo: -0.3417638015, wkHi: 1,
		},
		{
			// Fleiss, Cohen and Everitt (1969): k=.429, kw=.507.
			name: "fleiss cohen everitt 1969", table: fleiss1969,
			w: [][]float64{{1, 0, .4444}, {0, 1, .6667}, {.4444, .6667, 1}},
			k: 0.4285714286, kLo: 0.3232997935, kHi: 0.5338430637,
			wk: 0.5070699649, wkLo: 0.4043152479, wkHi: 0.6098246818,
			varK: 0.002884872044, varW: 0.002748573484,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CohenKappa(tc.table, tc.w, tc.n, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "kappa", got.Kappa.Value, tc.k)
			near(t, "kappa lower", got.Kappa.Lower, tc.kLo)
			near(t, "kappa upper", got.Kappa.Upper, tc.kHi)
			near(t, "weighted", got.Weighted.Value, tc.wk)
			near(t, "weighted lower", got.Weighted.Lower, tc.wkLo)
			near(t, "weighted upper", got.Weighted.Upper, tc.wkHi)
			if tc.varK != 0 {
				near(t, "var kappa", got.Kappa.Variance, tc.varK)
				near(t, "var weighted", got.Weighted.Variance, tc.varW)
			}
		})
	}
}

// Same source: psych's default quadratic weights and linear weights on the
// Cohen (1968) table.
func TestCohenKappaWeightSchemes(t *testing.T) {
	table := [][]float64{{.44, .07, .09}, {.05, .20, .05}, {.01, .03, .06}}
	for _, tc := range []struct {
		name string
		w    [][]float64
		want float64
	}{
		{"default quadratic", nil, 0.4545454545},
		{"quadratic", QuadraticWeights(3), 0.4545454545},
		{"linear", LinearWeights(3), 0.4736842105},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CohenKappa(table, tc.w, 200, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "weighted kappa", got.Weighted.Value, tc.want)
		})
	}
}

// Same source: the two-rater vector example from psych's help page.
func TestCohenKappaRawRatings(t *testing.T) {
	r1 := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	r2 := []float64{1, 3, 1, 6, 1, 5, 5, 6, 7}
	table, levels := CrossTab(r1, r2)
	if len(levels) != 9 {
		t.Fatalf("levels = %v", levels)
	}
	got, err := CohenKappa(table, nil, 0, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "kappa", got.Kappa.Value, 0)
	near(t, "kappa lower", got.Kappa.Lower, -0.1846267014)
	near(t, "kappa upper", got.Kappa.Upper, 0.1846267014)
	near(t, "weighted", got.Weighted.Value, 0.6779661017)
	near(t, "weighted lower", got.Weighted.Lower, 0.4297217518)
	near(t, "weighted upper", got.Weighted.Upper, 0.9262104516)
}

func TestCohenKappaPerfectAgreement(t *testing.T) {
	got, err := CohenKappa([][]float64{{10, 0, 0}, {0, 12, 0}, {0, 0, 8}}, nil, 0, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "kappa", got.Kappa.Value, 1)
	near(t, "weighted", got.Weighted.Value, 1)
	if got.Kappa.SE < 0 || got.Kappa.SE > 1e-7 {
		t.Errorf("SE = %g, want 0", got.Kappa.SE)
	}
}

func TestCohenKappaErrors(t *testing.T) {
	tests := []struct {
		name  string
		table [][]float64
		want  error
	}{
		{"empty", [][]float64{{0, 0}, {0, 0}}, ErrTooFew},
		{"single category", [][]float64{{5, 0}, {0, 0}}, ErrNoVariance},
		{"one level", [][]float64{{5}}, ErrNoVariance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CohenKappa(tc.table, nil, 0, 0.05)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := CohenKappa([][]float64{{1, -1}, {0, 2}}, nil, 0, 0.05); err == nil {
		t.Error("negative count accepted")
	}
}
