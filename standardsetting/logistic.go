package standardsetting

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/accredit/accredit/scoring/logistic"
)

// logisticFit fits P(y=1 | x) = 1/(1 + exp(-(b0 + b1 x))) by maximum
// likelihood (logistic.Fit), as R's glm(family = binomial) does. It returns
// ErrSeparation when the coefficients diverge (the score separates the
// groups perfectly) and ErrDegenerate when y does not vary or x is constant.
func logisticFit(x []float64, y []bool) (b0, b1 float64, err error) {
	n1 := 0
	yf := make([]float64, len(y))
	for i, v := range y {
		if v {
			n1++
			yf[i] = 1
		}
	}
	if n1 == 0 || n1 == len(y) {
		return 0, 0, fmt.Errorf("%w: every candidate is in the same group", ErrDegenerate)
	}
	if floats.Min(x) == floats.Max(x) {
		return 0, 0, fmt.Errorf("%w: the score does not vary", ErrDegenerate)
	}
	// With a score that varies, a failed fit (the information matrix
	// vanishing as the fitted probabilities reach 0 and 1, or no
	// convergence), a perfect fit (deviance -2 log L near zero) or diverging
	// coefficients all mean the groups are separated.
	m, err := logistic.Fit(yf, nil, x)
	if err != nil || -2*m.LogLik < 1e-6 || math.Abs(m.Coef[1]) > 1e6 || math.IsNaN(m.Coef[1]) {
		return 0, 0, fmt.Errorf("%w: the logistic fit does not converge", ErrSeparation)
	}
	return m.Coef[0], m.Coef[1], nil
}
