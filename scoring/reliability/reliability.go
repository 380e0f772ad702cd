package reliability

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/stat"
)

// ErrNoVariance: the total scores do not vary, so alpha is undefined.
var ErrNoVariance = errors.New("reliability: total scores do not vary")

// Alpha is Cronbach's (1951) coefficient from summary statistics,
//
//	alpha = k/(k−1) (1 − Σσ²ᵢ/σ²ₜ),
//
// with sumItemVar the sum of the k item variances and totalVar the variance
// of the totals, both sample (n−1) variances as psych::alpha's raw_alpha
// (Cronbach 1951, "Coefficient alpha and the internal structure of tests",
// Psychometrika 16(3), 297-334). It panics if k < 2.
func Alpha(k int, sumItemVar, totalVar float64) float64 {
	if k < 2 {
		panic("reliability: alpha needs two items")
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumItemVar/totalVar)
}

// AlphaOf returns Cronbach's (1951) alpha of the response matrix x
// (candidates in rows, items in columns) with n−1 variances. For 0/1 items
// it equals KR-20. It returns ErrNoVariance when the total scores do not
// vary and panics on fewer than two rows or columns or a ragged matrix.
func AlphaOf(x [][]float64) (float64, error) {
	if len(x) < 2 || len(x[0]) < 2 {
		panic("reliability: alpha needs two candidates and two items")
	}
	n, k := len(x), len(x[0])
	totals := make([]float64, n)
	for p, row := range x {
		if len(row) != k {
			panic("reliability: ragged response matrix")
		}
		for _, v := range row {
			totals[p] += v
		}
	}
	var sumVar float64
	col := make([]float64, n)
	for i := range k {
		for p := range x {
			col[p] = x[p][i]
		}
		sumVar += stat.Variance(col, nil)
	}
	vt := stat.Variance(totals, nil)
	if vt == 0 {
		return 0, ErrNoVariance
	}
	return Alpha(k, sumVar, vt), nil
}

// KR20 is Kuder and Richardson's (1937) formula 20,
// k/(k−1)·(1 − Σpᵢqᵢ/σ²ₜ) with the population variance popVar of the totals
// (Kuder and Richardson 1937, "The theory of the estimation of test
// reliability", Psychometrika 2(3), 151-160). It panics if k < 2.
func KR20(k int, sumPQ, popVar float64) float64 {
	if k < 2 {
		panic("reliability: KR-20 needs two items")
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumPQ/popVar)
}

// KR21 is Kuder and Richardson's (1937) formula 21, which assumes equal
// facilities: k/(k−1)·(1 − m(k−m)/(k·s²)), m the mean total and s² its
// sample variance. It panics if k < 2.
func KR21(k int, mean, sampleVar float64) float64 {
	if k < 2 {
		panic("reliability: KR-21 needs two items")
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - mean*(fk-mean)/(fk*sampleVar))
}

// SEM is the classical standard error of measurement sd·√(1 − rho), sd the
// standard deviation of the total scores and rho a reliability coefficient
// (Lord and Novick 1968, Statistical Theories of Mental Test Scores,
// eq. 3.8.4). A negative rho gives an SEM above sd; a rho above 1 cannot
// occur for alpha and gives NaN.
func SEM(sd, rho float64) float64 {
	return sd * math.Sqrt(1-rho)
}

// CSEMLord is Lord's binomial-error conditional SEM at raw score x on a
// k-item test, √(x(k − x)/(k − 1)) (Lord 1955, "Estimating test
// reliability", Educational and Psychological Measurement 15, 325-336).
// x is clamped to [0, k]. It panics if k < 2.
func CSEMLord(x float64, k int) float64 {
	if k < 2 {
		panic("reliability: CSEM needs two items")
	}
	fk := float64(k)
	x = min(fk, max(0, x))
	return math.Sqrt(x * (fk - x) / (fk - 1))
}
