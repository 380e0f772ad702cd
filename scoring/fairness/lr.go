package fairness

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/accredit/accredit/scoring/logistic"
)

// Logistic holds the logistic-regression DIF tests of one item (Swaminathan
// and Rogers 1990): models M0 y ~ total, M1 y ~ total + group, M2
// y ~ total · group, fitted by maximum likelihood, group 1 for focal.
type Logistic struct {
	N int `json:"n"`
	// LRUniform is the likelihood-ratio statistic D(M0) − D(M1) on 1 df.
	LRUniform float64 `json:"lr_uniform"`
	PUniform  float64 `json:"p_uniform"`
	// LRNonUniform is D(M1) − D(M2) on 1 df.
	LRNonUniform float64 `json:"lr_nonuniform"`
	PNonUniform  float64 `json:"p_nonuniform"`
	// LRBoth is D(M0) − D(M2) on 2 df.
	LRBoth float64 `json:"lr_both"`
	PBoth  float64 `json:"p_both"`
	// DeltaR2 is Nagelkerke's (1991) R² of M2 minus that of M0, each
	// (1 − exp(2(ℓ₀ − ℓ)/n)) / (1 − exp(2ℓ₀/n)) against the intercept-only ℓ₀.
	DeltaR2 float64 `json:"delta_r2"`
	// ZumboThomas classes ΔR² as A (< .13), B (≤ .26) or C (Zumbo and Thomas
	// 1997); JodoinGierl as A (< .035), B (≤ .07) or C (Jodoin and Gierl 2001).
	ZumboThomas string `json:"zumbo_thomas_class"`
	JodoinGierl string `json:"jodoin_gierl_class"`
	// GroupCoef is the group coefficient of M1 (log-odds, focal minus reference).
	GroupCoef float64 `json:"group_coef"`
}

// logisticDIF fits the three models to y against total and focal (0/1).
func logisticDIF(y, total, focal []float64) (Logistic, error) {
	inter := make([]float64, len(y))
	for i := range y {
		inter[i] = total[i] * focal[i]
	}
	m0, err := logistic.Fit(y, nil, total)
	if err != nil {
		return Logistic{}, fmt.Errorf("fairness: %w", err)
	}
	m1, err := logistic.Fit(y, m0.Coef, total, focal)
	if err != nil {
		return Logistic{}, fmt.Errorf("fairness: %w", err)
	}
	m2, err := logistic.Fit(y, m1.Coef, total, focal, inter)
	if err != nil {
		return Logistic{}, fmt.Errorf("fairness: %w", err)
	}
	l00 := logistic.NullLogLik(y)
	n := float64(len(y))
	r := Logistic{
		N:            len(y),
		LRUniform:    lrStat(m1.LogLik, m0.LogLik),
		LRNonUniform: lrStat(m2.LogLik, m1.LogLik),
		LRBoth:       lrStat(m2.LogLik, m0.LogLik),
		DeltaR2:      nagelkerke(m2.LogLik, l00, n) - nagelkerke(m0.LogLik, l00, n),
		GroupCoef:    m1.Coef[2],
	}
	chi1 := distuv.ChiSquared{K: 1}
	r.PUniform = chi1.Survival(r.LRUniform)
	r.PNonUniform = chi1.Survival(r.LRNonUniform)
	r.PBoth = distuv.ChiSquared{K: 2}.Survival(r.LRBoth)
	r.ZumboThomas = r2Class(r.DeltaR2, 0.13, 0.26)
	r.JodoinGierl = r2Class(r.DeltaR2, 0.035, 0.07)
	return r, nil
}

// lrStat is 2(ℓ_big − ℓ_small), never below zero: nested fits can differ by
// rounding only in that direction.
func lrStat(big, small float64) float64 { return math.Max(0, 2*(big-small)) }

// nagelkerke is Nagelkerke's (1991) R² of a model with log-likelihood ll
// against the intercept-only l0 on n observations.
func nagelkerke(ll, l0, n float64) float64 {
	return -math.Expm1(2*(l0-ll)/n) / -math.Expm1(2*l0/n)
}

func r2Class(d, b, c float64) string {
	switch {
	case d < b:
		return "A"
	case d <= c:
		return "B"
	}
	return "C"
}
