package standardsetting

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Rule selects how panels' cuts are reconciled into one.
type Rule string

const (
	// InverseVariance weights each panel's cut by 1/SE^2 (fixed effect).
	InverseVariance Rule = "inverse-variance"
	// SimpleMean averages the panels' cuts with equal weights.
	SimpleMean Rule = "mean"
	// RandomEffects is the DerSimonian-Laird random-effects mean.
	RandomEffects Rule = "dersimonian-laird"
)

// ParseRule maps a rule name (as in the CLI flag) to a Rule.
func ParseRule(s string) (Rule, error) {
	switch Rule(s) {
	case InverseVariance, SimpleMean, RandomEffects:
		return Rule(s), nil
	case "", "iv":
		return InverseVariance, nil
	case "dl", "random":
		return RandomEffects, nil
	}
	return "", fmt.Errorf("%w: reconciliation rule %q (want inverse-variance, mean or dersimonian-laird)", ErrConfig, s)
}

// PanelCut is one panel's cut and its standard error (raw scale).
type PanelCut struct {
	Panel string  `json:"panel"`
	Cut   float64 `json:"cut"`
	SE    float64 `json:"se"`
}

// Estimate is a pooled cut with its standard error.
type Estimate struct {
	Cut float64 `json:"cut"`
	SE  float64 `json:"se"`
}

// Agreement tests whether the panels set the same standard.
type Agreement struct {
	// Z and P compare the first two panels: z = (c1 - c2)/sqrt(s1^2 + s2^2),
	// two-sided p from the standard normal.
	Z float64 `json:"z"`
	P float64 `json:"p"`
	// Q is Cochran's heterogeneity statistic over all panels with K-1
	// degrees of freedom and its chi-square p value; I2 = max(0, (Q-df)/Q).
	Q  float64 `json:"q"`
	DF int     `json:"df"`
	QP float64 `json:"q_p"`
	I2 float64 `json:"i2"`
}

// Reconciled is the panels' common cut by the configured rule, with every
// rule's estimate for comparison.
type Reconciled struct {
	Rule Rule    `json:"rule"`
	Cut  float64 `json:"cut"`
	SE   float64 `json:"se"`

	InverseVariance Estimate `json:"inverse_variance"`
	// Mean is the simple mean, SE = sqrt(sum s_k^2)/K (pooled within-panel
	// error); MeanSEBetween = sd(c_k)/sqrt(K), which is |c1-c2|/2 for two panels.
	Mean          Estimate `json:"mean"`
	MeanSEBetween float64  `json:"mean_se_between"`
	RandomEffects Estimate `json:"random_effects"`
	Tau2          float64  `json:"tau2"`
}

// Reconcile pools two or more panels' cuts.
//
// Inverse variance (fixed effect): w_k = 1/s_k^2, c = sum w_k c_k / sum w_k,
// SE = 1/sqrt(sum w_k). Cochran's Q = sum w_k (c_k - c)^2 (Cochran 1954,
// Biometrics 10(1), 101-129). DerSimonian and Laird (1986, Controlled
// Clinical Trials 7(3), 177-188): tau^2 = max(0, (Q - (K-1)) / (sum w -
// sum w^2 / sum w)), w*_k = 1/(s_k^2 + tau^2), c = sum w*_k c_k / sum w*_k,
// SE = 1/sqrt(sum w*_k). (The reference script uses Q - 1, which is Q -
// (K-1) for its two panels.)
//
// A panel whose SE is zero (every judge gave the same cut) makes the
// weights infinite: Reconcile then returns ErrDegenerate for the weighted
// rules, naming the panel; the simple mean is still defined. It panics on
// fewer than two panels.
func Reconcile(panels []PanelCut, rule Rule) (Reconciled, Agreement, error) {
	K := len(panels)
	if K < 2 {
		panic("standardsetting: reconcile needs two panels")
	}
	c, s2 := make([]float64, K), make([]float64, K)
	for k, p := range panels {
		c[k], s2[k] = p.Cut, p.SE*p.SE
	}
	rec := Reconciled{Rule: rule}
	rec.Mean = Estimate{Cut: stat.Mean(c, nil), SE: math.Sqrt(floats.Sum(s2)) / float64(K)}
	rec.MeanSEBetween = seMean(c)
	var ag Agreement
	ag.DF = K - 1
	if s2[0]+s2[1] == 0 {
		return rec, ag, fmt.Errorf("%w: panels %q and %q both have a standard error of zero; z is undefined", ErrDegenerate, panels[0].Panel, panels[1].Panel)
	}
	ag.Z = (c[0] - c[1]) / math.Sqrt(s2[0]+s2[1])
	ag.P = 2 * distuv.UnitNormal.CDF(-math.Abs(ag.Z))
	zeroSE := ""
	for k, v := range s2 {
		if v == 0 && zeroSE == "" {
			zeroSE = panels[k].Panel
		}
	}
	if zeroSE != "" {
		if rule != SimpleMean {
			return rec, ag, fmt.Errorf("%w: panel %q has a standard error of zero, so %s weights are undefined; use the simple mean", ErrDegenerate, zeroSE, rule)
		}
		rec.Cut, rec.SE = rec.Mean.Cut, rec.Mean.SE
		return rec, ag, nil
	}
	w := make([]float64, K)
	for k := range w {
		w[k] = 1 / s2[k]
	}
	sw := floats.Sum(w)
	rec.InverseVariance = Estimate{Cut: floats.Dot(w, c) / sw, SE: 1 / math.Sqrt(sw)}
	for k := range c {
		d := c[k] - rec.InverseVariance.Cut
		ag.Q += w[k] * d * d
	}
	ag.QP = distuv.ChiSquared{K: float64(ag.DF)}.Survival(ag.Q)
	if ag.Q > 0 {
		ag.I2 = max(0, (ag.Q-float64(ag.DF))/ag.Q)
	}
	rec.Tau2 = max(0, (ag.Q-float64(ag.DF))/(sw-floats.Dot(w, w)/sw))
	wr := make([]float64, K)
	for k := range wr {
		wr[k] = 1 / (s2[k] + rec.Tau2)
	}
	swr := floats.Sum(wr)
	rec.RandomEffects = Estimate{Cut: floats.Dot(wr, c) / swr, SE: 1 / math.Sqrt(swr)}
	switch rule {
	case SimpleMean:
		rec.Cut, rec.SE = rec.Mean.Cut, rec.Mean.SE
	case RandomEffects:
		rec.Cut, rec.SE = rec.RandomEffects.Cut, rec.RandomEffects.SE
	default:
		rec.Rule = InverseVariance
		rec.Cut, rec.SE = rec.InverseVariance.Cut, rec.InverseVariance.SE
	}
	return rec, ag, nil
}

// PooledJudges treats every judge of every panel as one sample: the mean
// of all judges' cuts and its standard error sd/sqrt(n).
func PooledJudges(results []AngoffResult) Estimate {
	var all []float64
	for _, r := range results {
		for _, jc := range r.JudgeCuts {
			all = append(all, jc.Cut)
		}
	}
	return Estimate{Cut: stat.Mean(all, nil), SE: seMean(all)}
}
