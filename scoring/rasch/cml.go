package rasch

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// FitOptions tunes Fit; the zero value is ready to use.
type FitOptions struct {
	MaxIter int     // Newton-Raphson iterations; 0 means 100
	Tol     float64 // stop when the largest step is below Tol logits; 0 means 1e-10
	NoSE    bool    // skip the covariance matrix (the Hessian is still used for steps)
}

// Calibration is a CML fit of the Rasch model.
type Calibration struct {
	// Difficulty holds the item difficulties β_i by item position, with
	// Σ β_i = 0 (eRm's sum0 convention, in difficulty rather than easiness).
	Difficulty []float64
	// SE holds the standard errors sqrt(diag(Cov)); nil with NoSE.
	SE []float64
	// Cov is the covariance of Difficulty under the sum-zero constraint,
	// the Moore-Penrose inverse of the conditional information matrix.
	Cov *mat.SymDense
	// LogLik is the conditional log-likelihood
	//   ln L_c = −Σ_i s_i β_i − Σ_g Σ_r n_gr ln γ_r(ε_g),   ε_i = exp(−β_i)
	// over patterns g and informative raw scores r.
	LogLik     float64
	Iterations int
}

// evaluation is the conditional log-likelihood with its gradient and
// information (negative Hessian) at one point.
type evaluation struct {
	loglik float64
	grad   []float64
	info   *mat.SymDense
}

// Fit maximises the conditional likelihood by Newton-Raphson. The gradient
// is ∂ln L_c/∂β_i = E_i − s_i, with E_i = Σ n_gr π_gri; the information is
// Σ n_gr Cov(x | r), whose entries are π_ri(1 − π_ri) on the diagonal and
// π_rij − π_ri π_rj off it (Fischer 1974; Glas 1988, Psychometrika 53).
// Its null vector is 1 (a common shift leaves L_c unchanged), so the step
// solves (I + 11ᵀ/k) δ = g, which keeps Σ β = 0.
func Fit(st *Stats, opt FitOptions) (*Calibration, error) {
	if opt.MaxIter == 0 {
		opt.MaxIter = 100
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-10
	}
	k := len(st.Cols)
	if k < 2 {
		return nil, ErrTooFewItems
	}
	s, n := st.ItemCounts(true)
	beta := make([]float64, k)
	for i := range beta {
		if s[i] <= 0 || s[i] >= n[i] {
			return nil, fmt.Errorf("rasch: item %d has %v of %v correct among informative persons: %w", i, s[i], n[i], ErrTooFewItems)
		}
		beta[i] = math.Log((n[i] - s[i]) / s[i])
	}
	center(beta)
	for iter := 1; iter <= opt.MaxIter; iter++ {
		ev, err := evaluate(st, beta, s)
		if err != nil {
			return nil, err
		}
		a := shifted(ev.info)
		var ch mat.Cholesky
		if !ch.Factorize(a) {
			return nil, ErrNotConnected
		}
		var step mat.VecDense
		if err := ch.SolveVecTo(&step, mat.NewVecDense(k, ev.grad)); err != nil {
			return nil, ErrNotConnected
		}
		largest := mat.Norm(&step, math.Inf(1))
		if largest < opt.Tol || iter == opt.MaxIter {
			if largest >= opt.Tol {
				return nil, fmt.Errorf("%w after %d iterations (step %.3g)", ErrNoConvergence, iter, largest)
			}
			return finish(beta, ev, &ch, iter, opt.NoSE), nil
		}
		scale := 1.0
		if largest > 1 { // damp wild first steps; the likelihood is concave
			scale = 1 / largest
		}
		for i := range beta {
			beta[i] += scale * step.AtVec(i)
		}
		center(beta)
	}
	panic("unreachable")
}

func finish(beta []float64, ev *evaluation, ch *mat.Cholesky, iter int, noSE bool) *Calibration {
	cal := &Calibration{Difficulty: beta, LogLik: ev.loglik, Iterations: iter}
	if noSE {
		return cal
	}
	k := len(beta)
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return cal
	}
	cov := mat.NewSymDense(k, nil)
	cal.SE = make([]float64, k)
	for i := range k {
		for j := i; j < k; j++ {
			cov.SetSym(i, j, inv.At(i, j)-1/float64(k))
		}
		cal.SE[i] = math.Sqrt(math.Max(cov.At(i, i), 0))
	}
	cal.Cov = cov
	return cal
}

// shifted returns info + 11ᵀ/k.
func shifted(info *mat.SymDense) *mat.SymDense {
	k := info.SymmetricDim()
	a := mat.NewSymDense(k, nil)
	a.CopySym(info)
	c := 1 / float64(k)
	for i := range k {
		for j := i; j < k; j++ {
			a.SetSym(i, j, a.At(i, j)+c)
		}
	}
	return a
}

func center(b []float64) {
	var sum float64
	for _, v := range b {
		sum += v
	}
	mean := sum / float64(len(b))
	for i := range b {
		b[i] -= mean
	}
}

// LogLik returns the conditional log-likelihood of st at difficulties beta
// (by item position).
func LogLik(st *Stats, beta []float64) (float64, error) {
	s, _ := st.ItemCounts(true)
	ev, err := evaluate(st, beta, s)
	if err != nil {
		return 0, err
	}
	return ev.loglik, nil
}

func evaluate(st *Stats, beta, s []float64) (*evaluation, error) {
	k := len(beta)
	eps := make([]float64, k)
	ev := &evaluation{grad: make([]float64, k), info: mat.NewSymDense(k, nil)}
	for i, b := range beta {
		eps[i] = math.Exp(-b)
		ev.loglik -= s[i] * b
		ev.grad[i] = -s[i]
	}
	for _, pt := range st.Patterns {
		pm, err := moments(pt, eps)
		if err != nil {
			return nil, err
		}
		for r, g := range pt.Groups {
			if pm.pi[r] == nil {
				continue
			}
			ev.loglik -= g.N * math.Log(pm.gamma[r])
			for j, it := range pt.Items {
				ev.grad[it] += g.N * pm.pi[r][j]
			}
		}
		addInformation(ev.info, pt, pm, eps)
	}
	return ev, nil
}

// addInformation adds Σ_r n_r Cov(x | r) of one pattern to info.
func addInformation(info *mat.SymDense, pt *Pattern, pm *patternMoments, epsAll []float64) {
	m := len(pt.Items)
	eps := make([]float64, m)
	for j, it := range pt.Items {
		eps[j] = epsAll[it]
	}
	scratch := make([]float64, m+1)
	for i := range m {
		var d float64
		for r, g := range pt.Groups {
			if p := pm.pi[r]; p != nil {
				d += g.N * p[i] * (1 - p[i])
			}
		}
		ii := pt.Items[i]
		info.SetSym(ii, ii, info.At(ii, ii)+d)
		for j := i + 1; j < m; j++ {
			tie := tied(eps[i], eps[j])
			if tie {
				esf(eps, i, j, scratch)
			}
			var c float64
			for r, g := range pt.Groups {
				p := pm.pi[r]
				if p == nil {
					continue
				}
				var joint float64
				switch {
				case !tie:
					joint = (eps[i]*p[j] - eps[j]*p[i]) / (eps[i] - eps[j])
				case r >= 2:
					joint = eps[i] * eps[j] * scratch[r-2] / pm.gamma[r]
				}
				c += g.N * (joint - p[i]*p[j])
			}
			jj := pt.Items[j]
			info.SetSym(ii, jj, info.At(ii, jj)+c)
		}
	}
}
