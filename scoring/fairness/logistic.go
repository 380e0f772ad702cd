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
// predictor columns, the intercept excluded; y holds 0/1. start, when not
// nil, gives the first coefficients (a nested model's fit, zero-padded).
func fitLogit(y, start []float64, cols ...[]float64) (logitFit, error) {
	p := len(cols) + 1
	n := len(y)
	x := make([]float64, n*p) // row-major design matrix with the intercept first
	for i := range n {
		x[i*p] = 1
		for j, c := range cols {
			x[i*p+j+1] = c[i]
		}
	}
	beta := make([]float64, p)
	copy(beta, start)
	ll := loglik(y, beta, x)
	info := mat.NewSymDense(p, nil)
	grad := mat.NewVecDense(p, nil)
	step := mat.NewVecDense(p, nil)
	var chol mat.Cholesky
	for range maxIter {
		accumulate(y, beta, x, info, grad)
		if !chol.Factorize(info) {
			return logitFit{}, ErrSingular
		}
		if err := chol.SolveVecTo(step, grad); err != nil {
			return logitFit{}, ErrSingular
		}
		next := make([]float64, p)
		if mat.Dot(grad, step) <= llTol*(math.Abs(ll)+0.1) {
			// The Newton decrement says the likelihood can rise by less than
			// the tolerance: take the step and stop.
			for j := range p {
				next[j] = beta[j] + step.AtVec(j)
			}
			if nextLL := loglik(y, next, x); nextLL >= ll {
				return logitFit{beta: next, loglik: nextLL}, nil
			}
			return logitFit{beta: beta, loglik: ll}, nil
		}
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

// accumulate sets info to the Fisher information XᵀWX and grad to the score
// Xᵀ(y − μ) at beta.
func accumulate(y, beta, x []float64, info *mat.SymDense, grad *mat.VecDense) {
	p := len(beta)
	var h [maxCoef * maxCoef]float64
	var g [maxCoef]float64
	for i, yi := range y {
		row := x[i*p : (i+1)*p]
		mu := invLogit(dot(beta, row))
		w := mu * (1 - mu)
		r := yi - mu
		for j, xj := range row {
			g[j] += xj * r
			wx := w * xj
			for l := j; l < p; l++ {
				h[j*maxCoef+l] += wx * row[l]
			}
		}
	}
	for j := range p {
		grad.SetVec(j, g[j])
		for l := j; l < p; l++ {
			info.SetSym(j, l, h[j*maxCoef+l])
		}
	}
}

// maxCoef bounds the coefficients of the DIF models (intercept, total,
// group, interaction).
const maxCoef = 4

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func invLogit(e float64) float64 {
	if e >= 0 {
		return 1 / (1 + math.Exp(-e))
	}
	z := math.Exp(e)
	return z / (1 + z)
}

// loglik is Σ yη − log(1 + e^η), computed without overflow.
func loglik(y, beta, x []float64) float64 {
	p := len(beta)
	var ll float64
	for i, yi := range y {
		e := dot(beta, x[i*p:(i+1)*p])
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
