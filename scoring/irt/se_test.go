package irt

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// Louis's observed information equals the numerical Hessian of the
// marginal log-likelihood at the estimate (central differences).
func TestLouisInformationMatchesNumericalHessian(t *testing.T) {
	m := loadLSAT6(t)
	for _, model := range []Model{TwoPL, OnePL} {
		opt := Options{Model: model}.withDefaults()
		res := &Result{}
		cols, facility := estimable(m, res)
		e := newEM(collapse(m, cols), opt, facility)
		if err := e.run(opt); err != nil {
			t.Fatal(err)
		}
		cov := e.standardErrors()
		params := func() []*float64 {
			var ps []*float64
			for i := range e.a {
				ps = append(ps, &e.a[i])
			}
			for i := range e.c {
				ps = append(ps, &e.c[i])
			}
			return ps
		}()
		d := len(params)
		ll := func() float64 { e.estep(); return e.loglik }
		const h = 1e-4
		hess := mat.NewSymDense(d, nil)
		for i := range d {
			for j := i; j < d; j++ {
				f := func(di, dj float64) float64 {
					*params[i] += di
					*params[j] += dj
					v := ll()
					*params[i] -= di
					*params[j] -= dj
					return v
				}
				hess.SetSym(i, j, -(f(h, h)-f(h, -h)-f(-h, h)+f(-h, -h))/(4*h*h))
			}
		}
		var inv mat.SymDense
		var ch mat.Cholesky
		if !ch.Factorize(hess) || ch.InverseTo(&inv) != nil {
			t.Fatal("numerical Hessian not positive definite")
		}
		for i := range d {
			got, want := math.Sqrt(cov[i*d+i]), math.Sqrt(inv.At(i, i))
			if !scalar.EqualWithinRel(got, want, 1e-3) {
				t.Errorf("%v parameter %d: se %.6f, numerical %.6f", model, i, got, want)
			}
		}
	}
}
