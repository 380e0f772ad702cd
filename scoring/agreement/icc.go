package agreement

import (
	"fmt"

	"gonum.org/v1/gonum/stat/distuv"
)

// ICCForm is one Shrout and Fleiss intraclass correlation with its F test of
// ICC = 0 and its 1-alpha confidence interval.
type ICCForm struct {
	Type  string  `json:"type"` // ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k
	Value float64 `json:"icc"`
	F     float64 `json:"f"`
	DF1   float64 `json:"df1"`
	DF2   float64 `json:"df2"`
	P     float64 `json:"p"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

// ICCResult holds the two-way ANOVA mean squares of an n-targets by
// k-raters table and the six intraclass correlations of Shrout and Fleiss
// (1979, Psychological Bulletin 86, 420-428).
type ICCResult struct {
	Targets int `json:"targets"`
	Raters  int `json:"raters"`
	// Mean squares: between targets (MSR, Shrout and Fleiss' BMS), between
	// raters (MSC, JMS), residual (MSE, EMS) and within targets (MSW, WMS).
	MSR float64 `json:"msr"`
	MSC float64 `json:"msc"`
	MSE float64 `json:"mse"`
	MSW float64 `json:"msw"`
	// Single-rater forms.
	ICC1 ICCForm `json:"icc1"`
	ICC2 ICCForm `json:"icc2"`
	ICC3 ICCForm `json:"icc3"`
	// Forms for the mean of the k raters.
	ICC1k ICCForm `json:"icc1k"`
	ICC2k ICCForm `json:"icc2k"`
	ICC3k ICCForm `json:"icc3k"`
}

// Forms returns the six forms in psych's order.
func (r ICCResult) Forms() []ICCForm {
	return []ICCForm{r.ICC1, r.ICC2, r.ICC3, r.ICC1k, r.ICC2k, r.ICC3k}
}

// ICC returns the six Shrout and Fleiss (1979) intraclass correlations of
// scores, an n-by-k table (targets in rows, raters in columns, no missing
// cells), with F tests and 1-alpha confidence intervals computed as
// psych::ICC does. With the two-way ANOVA mean squares MSR, MSC, MSE and
// MSW = (SSC+SSE)/(n(k-1)):
//
//	ICC1  = (MSR-MSW)/(MSR+(k-1)MSW)                 ICC1k = (MSR-MSW)/MSR
//	ICC2  = (MSR-MSE)/(MSR+(k-1)MSE+k(MSC-MSE)/n)    ICC2k = (MSR-MSE)/(MSR+(MSC-MSE)/n)
//	ICC3  = (MSR-MSE)/(MSR+(k-1)MSE)                 ICC3k = (MSR-MSE)/MSR
//
// F = MSR/MSW on (n-1, n(k-1)) df for case 1 and MSR/MSE on (n-1, (n-1)(k-1))
// df for cases 2 and 3. Intervals: Shrout and Fleiss (1979) equations 6-8
// and Table 4; for case 2 the Satterthwaite df of their equation 11.
// It panics if the rows have different lengths.
func ICC(scores [][]float64, alpha float64) (ICCResult, error) {
	n := len(scores)
	if n < 2 {
		return ICCResult{}, fmt.Errorf("%w: ICC needs at least two targets, have %d", ErrTooFew, n)
	}
	k := len(scores[0])
	for _, row := range scores {
		if len(row) != k {
			panic("agreement: ragged score table")
		}
	}
	if k < 2 {
		return ICCResult{}, fmt.Errorf("%w: ICC needs at least two raters, have %d", ErrTooFew, k)
	}
	r := meanSquares(scores)
	if !(r.MSE > 0) || !(r.MSW > 0) {
		return ICCResult{}, fmt.Errorf("%w: residual mean square is zero, the F tests are undefined", ErrNoVariance)
	}
	r.fill(alpha)
	return r, nil
}

func meanSquares(x [][]float64) ICCResult {
	n, k := len(x), len(x[0])
	nf, kf := float64(n), float64(k)
	rowMean := make([]float64, n)
	colMean := make([]float64, k)
	grand := 0.0
	for i, row := range x {
		for j, v := range row {
			rowMean[i] += v / kf
			colMean[j] += v / nf
			grand += v
		}
	}
	grand /= nf * kf
	var ssr, ssc, sst float64
	for _, m := range rowMean {
		ssr += kf * (m - grand) * (m - grand)
	}
	for _, m := range colMean {
		ssc += nf * (m - grand) * (m - grand)
	}
	for _, row := range x {
		for _, v := range row {
			sst += (v - grand) * (v - grand)
		}
	}
	sse := sst - ssr - ssc
	return ICCResult{
		Targets: n, Raters: k,
		MSR: ssr / (nf - 1),
		MSC: ssc / (kf - 1),
		MSE: sse / ((nf - 1) * (kf - 1)),
		MSW: (ssc + sse) / (nf * (kf - 1)),
	}
}

func (r *ICCResult) fill(alpha float64) {
	n, k := float64(r.Targets), float64(r.Raters)
	msr, msc, mse, msw := r.MSR, r.MSC, r.MSE, r.MSW

	f1, d1n, d1d := msr/msw, n-1, n*(k-1)
	f3, d3n, d3d := msr/mse, n-1, (n-1)*(k-1)
	p1 := distuv.F{D1: d1n, D2: d1d}.Survival(f1)
	p3 := distuv.F{D1: d3n, D2: d3d}.Survival(f3)

	// Cases 1 and 3: Shrout and Fleiss (1979) equations 6 and 8.
	f1l := f1 / fq(1-alpha/2, d1n, d1d)
	f1u := f1 * fq(1-alpha/2, d1d, d1n)
	f3l := f3 / fq(1-alpha/2, d3n, d3d)
	f3u := f3 * fq(1-alpha/2, d3d, d3n)
	r.ICC1 = ICCForm{"ICC1", (msr - msw) / (msr + (k-1)*msw), f1, d1n, d1d, p1,
		(f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)}
	r.ICC1k = ICCForm{"ICC1k", (msr - msw) / msr, f1, d1n, d1d, p1, 1 - 1/f1l, 1 - 1/f1u}
	r.ICC3 = ICCForm{"ICC3", (msr - mse) / (msr + (k-1)*mse), f3, d3n, d3d, p3,
		(f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)}
	r.ICC3k = ICCForm{"ICC3k", (msr - mse) / msr, f3, d3n, d3d, p3, 1 - 1/f3l, 1 - 1/f3u}

	// Case 2: equation 11, Satterthwaite's df v for the denominator.
	icc2 := (msr - mse) / (msr + (k-1)*mse + k*(msc-mse)/n)
	fj := msc / mse
	a := k*icc2*fj + n*(1+(k-1)*icc2) - k*icc2
	b := n*(1+(k-1)*icc2) - k*icc2
	v := (k - 1) * (n - 1) * a * a / ((n-1)*k*k*icc2*icc2*fj*fj + b*b)
	fu := fq(1-alpha/2, n-1, v)
	fl := fq(1-alpha/2, v, n-1)
	den := k*msc + (k*n-k-n)*mse
	lo := n * (msr - fu*mse) / (fu*den + n*msr)
	hi := n * (fl*msr - mse) / (den + n*fl*msr)
	r.ICC2 = ICCForm{"ICC2", icc2, f3, d3n, d3d, p3, lo, hi}
	r.ICC2k = ICCForm{"ICC2k", (msr - mse) / (msr + (msc-mse)/n), f3, d3n, d3d, p3,
		lo * k / (1 + lo*(k-1)), hi * k / (1 + hi*(k-1))}
}

// fq is the p quantile of the F distribution with d1 and d2 df.
func fq(p, d1, d2 float64) float64 {
	return distuv.F{D1: d1, D2: d2}.Quantile(p)
}
