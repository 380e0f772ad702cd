package irt

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// em is the state of a Bock-Aitkin EM run. Items are in the slope-intercept
// form z = a x + c.
type em struct {
	pt     *patterns
	model  Model
	x, w   []float64 // quadrature nodes and weights
	a, c   []float64 // slopes (one for the 1PL) and intercepts
	nq, rq [][]float64
	loglik float64
	iter   int
}

func newEM(pt *patterns, opt Options, facility []float64) *em {
	k := len(facility)
	e := &em{pt: pt, model: opt.Model, c: make([]float64, k), nq: make([][]float64, k), rq: make([][]float64, k)}
	e.x, e.w = GaussHermite(opt.Nodes)
	na := k
	if opt.Model == OnePL {
		na = 1
	}
	e.a = make([]float64, na)
	for j := range e.a {
		e.a[j] = 1
	}
	for j, f := range facility {
		e.c[j] = math.Log(f / (1 - f))
		e.nq[j], e.rq[j] = make([]float64, len(e.x)), make([]float64, len(e.x))
	}
	return e
}

func (e *em) slope(j int) float64 {
	if e.model == OnePL {
		return e.a[0]
	}
	return e.a[j]
}

func (e *em) run(opt Options) error {
	for e.iter = 1; e.iter <= opt.MaxIter; e.iter++ {
		e.estep()
		change := e.mstep()
		if opt.Progress != nil {
			opt.Progress(e.iter, e.loglik)
		}
		if change < opt.Tol {
			e.estep() // log-likelihood and expected counts at the final values
			return nil
		}
		if e.iter == opt.MaxIter {
			return errNoConvergence(e.iter, change)
		}
	}
	return nil
}

// logProbs returns ln P and ln(1 − P) for item j at every node.
func (e *em) logProbs(j int, lp, lq []float64) {
	a, c := e.slope(j), e.c[j]
	for q, x := range e.x {
		z := a*x + c
		lp[q] = -softplus(-z)
		lq[q] = -softplus(z)
	}
}

// softplus returns ln(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// posterior fills post with the posterior weights of pattern resp over the
// nodes (summing to 1) and returns the pattern's log marginal likelihood.
func (e *em) posterior(resp []int8, lp, lq [][]float64, post []float64) float64 {
	for q, w := range e.w {
		post[q] = math.Log(w)
	}
	for j, v := range resp {
		var l []float64
		switch v {
		case 1:
			l = lp[j]
		case 0:
			l = lq[j]
		default:
			continue
		}
		for q := range post {
			post[q] += l[q]
		}
	}
	top := math.Inf(-1)
	for _, v := range post {
		top = math.Max(top, v)
	}
	var sum float64
	for q, v := range post {
		post[q] = math.Exp(v - top)
		sum += post[q]
	}
	for q := range post {
		post[q] /= sum
	}
	return top + math.Log(sum)
}

func (e *em) tables() (lp, lq [][]float64) {
	k, nQ := len(e.c), len(e.x)
	lp, lq = make([][]float64, k), make([][]float64, k)
	for j := range k {
		lp[j], lq[j] = make([]float64, nQ), make([]float64, nQ)
		e.logProbs(j, lp[j], lq[j])
	}
	return lp, lq
}

// estep computes the expected counts n_jq, r_jq and the log-likelihood.
func (e *em) estep() {
	lp, lq := e.tables()
	for j := range e.nq {
		clear(e.nq[j])
		clear(e.rq[j])
	}
	post := make([]float64, len(e.x))
	e.loglik = 0
	for p, resp := range e.pt.resp {
		n := e.pt.count[p]
		e.loglik += n * e.posterior(resp, lp, lq, post)
		for j, v := range resp {
			if v == respmatrix.Missing {
				continue
			}
			nj, rj := e.nq[j], e.rq[j]
			for q, w := range post {
				nj[q] += n * w
				if v == 1 {
					rj[q] += n * w
				}
			}
		}
	}
}

// itemSums returns, for item j at slope a and intercept c, the gradient
// (g_a, g_c) of its expected complete-data log-likelihood and the negative
// Hessian entries (h_aa, h_ac, h_cc).
func (e *em) itemSums(j int, a, c float64) (ga, gc, haa, hac, hcc float64) {
	for q, x := range e.x {
		p := 1 / (1 + math.Exp(-(a*x + c)))
		d := e.rq[j][q] - e.nq[j][q]*p
		w := e.nq[j][q] * p * (1 - p)
		ga += d * x
		gc += d
		haa += w * x * x
		hac += w * x
		hcc += w
	}
	return
}

// mstep maximises the expected complete-data log-likelihood and returns
// the largest parameter change.
func (e *em) mstep() float64 {
	if e.model == OnePL {
		return e.mstepCommon()
	}
	var change float64
	for j := range e.c {
		a0, c0 := e.a[j], e.c[j]
		for range 50 {
			ga, gc, haa, hac, hcc := e.itemSums(j, e.a[j], e.c[j])
			det := haa*hcc - hac*hac
			if det <= 0 {
				break
			}
			da, dc := (hcc*ga-hac*gc)/det, (haa*gc-hac*ga)/det
			e.a[j] += da
			e.c[j] += dc
			if math.Max(math.Abs(da), math.Abs(dc)) < 1e-12 {
				break
			}
		}
		change = math.Max(change, math.Max(math.Abs(e.a[j]-a0), math.Abs(e.c[j]-c0)))
	}
	return change
}

// mstepCommon is the 1PL M-step: Newton-Raphson over (a, c_1..c_k), whose
// Hessian is an arrowhead, solved through its Schur complement.
func (e *em) mstepCommon() float64 {
	k := len(e.c)
	a0, c0 := e.a[0], append([]float64{}, e.c...)
	gc, hac, hcc := make([]float64, k), make([]float64, k), make([]float64, k)
	for range 50 {
		var ga, haa float64
		for j := range k {
			var g float64
			var h float64
			g, gc[j], h, hac[j], hcc[j] = e.itemSums(j, e.a[0], e.c[j])
			ga += g
			haa += h
		}
		num, den := ga, haa
		for j := range k {
			num -= hac[j] * gc[j] / hcc[j]
			den -= hac[j] * hac[j] / hcc[j]
		}
		da := num / den
		step := math.Abs(da)
		e.a[0] += da
		for j := range k {
			dc := (gc[j] - hac[j]*da) / hcc[j]
			e.c[j] += dc
			step = math.Max(step, math.Abs(dc))
		}
		if step < 1e-12 {
			break
		}
	}
	change := math.Abs(e.a[0] - a0)
	for j := range k {
		change = math.Max(change, math.Abs(e.c[j]-c0[j]))
	}
	return change
}

// maxSECost bounds patterns × nodes × parameters² for the standard errors.
const maxSECost = 4e9

// standardErrors returns sqrt(diag) of the inverse observed information,
// by Louis's (1982) formula: I = Σ_p n_p (E[−∇² ln L_p(θ)] − Cov[∇ ln L_p(θ)])
// under each pattern's posterior over the nodes, with parameters ordered
// (a…, c…). It returns nil when too costly or singular.
func (e *em) standardErrors() []float64 {
	k, na, nQ := len(e.c), len(e.a), len(e.x)
	d := na + k
	if float64(len(e.pt.resp))*float64(nQ)*float64(d*d) > maxSECost {
		return nil
	}
	info := mat.NewSymDense(d, nil)
	for j := range k { // expected complete-data information
		_, _, haa, hac, hcc := e.itemSums(j, e.slope(j), e.c[j])
		ia := j
		if e.model == OnePL {
			ia = 0
		}
		info.SetSym(ia, ia, info.At(ia, ia)+haa)
		info.SetSym(ia, na+j, info.At(ia, na+j)+hac)
		info.SetSym(na+j, na+j, info.At(na+j, na+j)+hcc)
	}
	lp, lq := e.tables()
	post := make([]float64, nQ)
	g := mat.NewDense(nQ, d, nil)
	var cov mat.SymDense
	for p, resp := range e.pt.resp {
		e.posterior(resp, lp, lq, post)
		g.Zero()
		for j, v := range resp {
			if v == respmatrix.Missing {
				continue
			}
			ia := j
			if e.model == OnePL {
				ia = 0
			}
			for q, x := range e.x {
				r := float64(v) - math.Exp(lp[j][q])
				g.Set(q, ia, g.At(q, ia)+r*x)
				g.Set(q, na+j, r)
			}
		}
		mean := mat.NewVecDense(d, nil)
		mean.MulVec(g.T(), mat.NewVecDense(nQ, post))
		for q := range nQ {
			row := g.RawRowView(q)
			s := math.Sqrt(post[q])
			for i := range row {
				row[i] = s*row[i] - s*mean.AtVec(i)
			}
		}
		cov.SymOuterK(1, g.T())
		info.AddSym(info, scaled(&cov, -e.pt.count[p]))
	}
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		return nil
	}
	var inv mat.SymDense
	if ch.InverseTo(&inv) != nil {
		return nil
	}
	covAll := make([]float64, 0, d*d)
	for i := range d {
		for j := range d {
			covAll = append(covAll, inv.At(i, j))
		}
	}
	return covAll
}

func scaled(s *mat.SymDense, f float64) *mat.SymDense {
	var out mat.SymDense
	out.ScaleSym(f, s)
	return &out
}

// itemSE returns the SEs of a_j and b_j = −c_j/a_j (delta method) from the
// flattened covariance matrix.
func (e *em) itemSE(cov []float64, j int) (*float64, *float64) {
	na, k := len(e.a), len(e.c)
	d := na + k
	ia := j
	if e.model == OnePL {
		ia = 0
	}
	ic := na + j
	va, vc, vac := cov[ia*d+ia], cov[ic*d+ic], cov[ia*d+ic]
	a, c := e.slope(j), e.c[j]
	ga, gc := c/(a*a), -1/a
	vb := ga*ga*va + gc*gc*vc + 2*ga*gc*vac
	if va < 0 || vb < 0 {
		return nil, nil
	}
	sa, sb := math.Sqrt(va), math.Sqrt(vb)
	return &sa, &sb
}
