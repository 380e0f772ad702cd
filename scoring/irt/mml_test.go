package irt

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/scoring/internal/testref"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// loadLSAT6 reads psych's lsat6 (testdata/00_lsat6.csv, 0/1 cells under a
// quoted header of item ids).
func loadLSAT6(t testing.TB) *respmatrix.Matrix {
	t.Helper()
	return testref.Matrix(t, "testdata/00_lsat6.csv")
}

// Expected values: testdata/07_lsat6_mml.txt, the marginal maximum
// likelihood 2PL of psych's lsat6 in base R (optim BFGS on the marginal
// likelihood with 41-node Gauss-Hermite quadrature, reltol 1e-14; Bock and
// Aitkin 1981); parameters are printed to 4 decimals.
func TestMMLLSAT6(t *testing.T) {
	m := loadLSAT6(t)
	for _, c := range []struct {
		model  Model
		a, b   []float64
		loglik float64
	}{
		{TwoPL,
			[]float64{0.8257, 0.7227, 0.8909, 0.6884, 0.6569},
			[]float64{-3.3588, -1.3701, -0.2797, -1.8664, -3.1259},
			-2466.653377},
		{OnePL,
			[]float64{0.7551, 0.7551, 0.7551, 0.7551, 0.7551},
			[]float64{-3.6153, -1.3224, -0.3176, -1.7301, -2.7802},
			-2466.9376},
	} {
		res, err := Fit(m, Options{Model: c.model})
		if err != nil {
			t.Fatal(err)
		}
		for j, it := range res.Items {
			if !scalar.EqualWithinAbs(it.A, c.a[j], 1e-3) || !scalar.EqualWithinAbs(it.B, c.b[j], 1e-3) {
				t.Errorf("%v item %d: a %.5f b %.5f; R a %.4f b %.4f", c.model, j+1, it.A, it.B, c.a[j], c.b[j])
			}
			if it.SEA == nil || it.SEB == nil || *it.SEA <= 0 || *it.SEB <= 0 {
				t.Errorf("%v item %d: no SE", c.model, j+1)
			}
		}
		if !scalar.EqualWithinAbs(res.LogLik, c.loglik, 1e-4) {
			t.Errorf("%v loglik %.6f, R %.6f", c.model, res.LogLik, c.loglik)
		}
		t.Logf("%v: %d cycles, loglik %.7f, se_a1 %.4f se_b1 %.4f", c.model, res.Iterations, res.LogLik, *res.Items[0].SEA, *res.Items[0].SEB)
	}
}
