package fairness

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// logitFit is a fitted logistic regression.
type logitFit struct {
	beta   []float64
	loglik float64
}

const (
	maxIter = 100
	llTol   = 1e-13 // relative change in log-likelihood that ends the iterations
)

// fitLogit fits P(y = 1 | x) = 1 / (1 + exp(−xᵀβ)) by maximum likelihood
// with Newton-Raphson (iteratively reweighted least squares, McCullagh and
// Nelder 1989 §4.4), halving a step that lowers the likelihood. cols are the
// predictor columns, the intercept excluded; y holds 0/1.
func fitLogit(y []float64, cols ...[]float64) (logitFit, error) {
	p := len(cols) + 1
	n := len(y)
	x := func(i, j int) float64 {
		if j == 0 {
			return 1
		}
		return cols[j-1][i]
	}
	beta := make([]float64, p)
	ll := loglik(y, beta, x)
	info := mat.NewSymDense(p, nil)
	grad := mat.NewVecDense(p, nil)
	step := mat.NewVecDense(p, nil)
	var chol mat.Cholesky
	for range maxIter {
		info.Zero()
		grad.Zero()
		for i := range n {
			mu := invLogit(eta(beta, i, x))
			w := mu * (1 - mu)
			r := y[i] - mu
			for j := range p {
				xj := x(i, j)
				grad.SetVec(j, grad.AtVec(j)+xj*r)
				for l := j; l < p; l++ {
					info.SetSym(j, l, info.At(j, l)+w*xj*x(i, l))
				}
			}
		}
		if !chol.Factorize(info) {
			return logitFit{}, ErrSingular
		}
		if err := chol.SolveVecTo(step, grad); err != nil {
			return logitFit{}, ErrSingular
		}
		next := make([]float64, p)
		nextLL := math.Inf(-1)
		for h := 1.0; h > 1e-10; h /= 2 {
			for j := range p {
				next[j] = beta[j] + h*step.AtVec(j)
			}
			if nextLL = loglik(y, next, x); nextLL >= ll {
				break
			}
		}
		if nextLL < ll {
			return logitFit{beta: beta, loglik: ll}, nil // no ascent left: at the maximum to machine precision
		}
		done := nextLL-ll <= llTol*(math.Abs(nextLL)+0.1)
		beta, ll = next, nextLL
		if done {
			return logitFit{beta: beta, loglik: ll}, nil
		}
	}
	return logitFit{}, ErrNoConvergence
}

func eta(beta []float64, i int, x func(i, j int) float64) float64 {
	var e float64
	for j, b := range beta {
		e += b * x(i, j)
	}
	return e
}

func invLogit(e float64) float64 {
	if e >= 0 {
		return 1 / (1 + math.Exp(-e))
	}
	z := math.Exp(e)
	return z / (1 + z)
}

// loglik is Σ yη − log(1 + e^η), computed without overflow.
func loglik(y, beta []float64, x func(i, j int) float64) float64 {
	var ll float64
	for i, yi := range y {
		e := eta(beta, i, x)
		ll += yi*e - softplus(e)
	}
	return ll
}

func softplus(e float64) float64 {
	if e > 0 {
		return e + math.Log1p(math.Exp(-e))
	}
	return math.Log1p(math.Exp(e))
}

// nullLoglik is the intercept-only log-likelihood n[p̂ ln p̂ + (1 − p̂) ln(1 − p̂)].
func nullLoglik(y []float64) float64 {
	var s float64
	for _, v := range y {
		s += v
	}
	n := float64(len(y))
	p := s / n
	var ll float64
	if p > 0 {
		ll += s * math.Log(p)
	}
	if p < 1 {
		ll += (n - s) * math.Log(1-p)
	}
	return ll
}
