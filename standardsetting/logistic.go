package standardsetting

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// logistic fits P(y=1 | x) = 1/(1 + exp(-(b0 + b1 x))) by iteratively
// reweighted least squares (Newton-Raphson on the log-likelihood; McCullagh
// and Nelder 1989, Generalized Linear Models, 2nd ed., sec. 4.4), as R's
// glm(family = binomial) does. It returns ErrSeparation when the
// coefficients diverge (the score separates the groups perfectly) and
// ErrDegenerate when y does not vary or x is constant.
func logistic(x []float64, y []bool) (b0, b1 float64, err error) {
	n1 := 0
	for _, v := range y {
		if v {
			n1++
		}
	}
	if n1 == 0 || n1 == len(y) {
		return 0, 0, fmt.Errorf("%w: every candidate is in the same group", ErrDegenerate)
	}
	var beta [2]float64
	var dev float64 = math.Inf(1)
	for iter := 0; iter < 50; iter++ {
		var xtwx mat.SymDense
		xtwx.ReuseAsSym(2)
		var xtwz [2]float64
		var nd float64
		for i, xi := range x {
			eta := beta[0] + beta[1]*xi
			p := 1 / (1 + math.Exp(-eta))
			w := math.Max(p*(1-p), 1e-300)
			yi := 0.0
			if y[i] {
				yi = 1
			}
			z := eta + (yi-p)/w
			xtwx.SetSym(0, 0, xtwx.At(0, 0)+w)
			xtwx.SetSym(0, 1, xtwx.At(0, 1)+w*xi)
			xtwx.SetSym(1, 1, xtwx.At(1, 1)+w*xi*xi)
			xtwz[0] += w * z
			xtwz[1] += w * z * xi
			nd -= 2 * (yi*math.Log(math.Max(p, 1e-300)) + (1-yi)*math.Log(math.Max(1-p, 1e-300)))
		}
		var sol mat.VecDense
		if err := sol.SolveVec(&xtwx, mat.NewVecDense(2, xtwz[:])); err != nil {
			return 0, 0, fmt.Errorf("%w: the score does not vary", ErrDegenerate)
		}
		beta = [2]float64{sol.AtVec(0), sol.AtVec(1)}
		if math.Abs(nd-dev)/(math.Abs(nd)+0.1) < 1e-12 {
			break
		}
		dev = nd
	}
	if nd := dev; nd < 1e-6 || math.Abs(beta[1]) > 1e6 || math.IsNaN(beta[1]) {
		return 0, 0, fmt.Errorf("%w: the logistic fit does not converge", ErrSeparation)
	}
	return beta[0], beta[1], nil
}
