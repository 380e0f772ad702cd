package agreement

import (
	"fmt"
	"math"
)

// Report gathers every agreement statistic for one set of ratings. Its JSON
// form puts the headline coefficients at the top level (icc1 ... icc3k, and
// with exactly two raters kappa, weighted_kappa_linear and
// weighted_kappa_quadratic) and the details beside them.
type Report struct {
	Targets int      `json:"targets"`
	Raters  []string `json:"raters"`
	Alpha   float64  `json:"alpha"`

	ICC1  float64   `json:"icc1"`
	ICC2  float64   `json:"icc2"`
	ICC3  float64   `json:"icc3"`
	ICC1k float64   `json:"icc1k"`
	ICC2k float64   `json:"icc2k"`
	ICC3k float64   `json:"icc3k"`
	ICC   ICCResult `json:"icc"`

	Kappa                  *float64     `json:"kappa,omitempty"`
	WeightedKappaLinear    *float64     `json:"weighted_kappa_linear,omitempty"`
	WeightedKappaQuadratic *float64     `json:"weighted_kappa_quadratic,omitempty"`
	Cohen                  *CohenReport `json:"cohen,omitempty"`

	FleissKappa float64      `json:"fleiss_kappa"`
	Fleiss      FleissResult `json:"fleiss"`

	Severity []Severity `json:"severity"`
}

// CohenReport is Cohen's kappa for two raters with each weighting; the
// categories are the distinct scores in increasing order.
type CohenReport struct {
	Levels    []float64 `json:"levels"`
	N         float64   `json:"n"`
	Kappa     Estimate  `json:"kappa"`
	Linear    Estimate  `json:"weighted_linear"`
	Quadratic Estimate  `json:"weighted_quadratic"`
}

// Analyse computes the six ICCs, Fleiss' kappa over the distinct scores,
// rater severity and, with exactly two raters, Cohen's kappa unweighted,
// linear- and quadratic-weighted. The design must be fully crossed (see
// Crossed). alpha sets the width of every confidence interval.
func Analyse(ratings []Rating, alpha float64) (Report, error) {
	if !(alpha > 0 && alpha < 1) {
		panic("agreement: alpha outside (0, 1)")
	}
	tab, err := Crossed(ratings)
	if err != nil {
		return Report{}, err
	}
	icc, err := ICC(tab.Scores, alpha)
	if err != nil {
		return Report{}, err
	}
	rep := Report{
		Targets: len(tab.Targets), Raters: tab.Raters, Alpha: alpha, ICC: icc,
		ICC1: icc.ICC1.Value, ICC2: icc.ICC2.Value, ICC3: icc.ICC3.Value,
		ICC1k: icc.ICC1k.Value, ICC2k: icc.ICC2k.Value, ICC3k: icc.ICC3k.Value,
		Severity: RaterSeverity(ratings),
	}
	counts, _ := tab.CategoryCounts()
	if rep.Fleiss, err = FleissKappa(counts); err != nil {
		return Report{}, err
	}
	rep.FleissKappa = rep.Fleiss.Kappa
	if len(tab.Raters) == 2 {
		if rep.Cohen, err = cohenReport(tab, alpha); err != nil {
			return Report{}, err
		}
		rep.Kappa = &rep.Cohen.Kappa.Value
		rep.WeightedKappaLinear = &rep.Cohen.Linear.Value
		rep.WeightedKappaQuadratic = &rep.Cohen.Quadratic.Value
	}
	if err := rep.checkFinite(); err != nil {
		return Report{}, err
	}
	return rep, nil
}

func cohenReport(tab Table, alpha float64) (*CohenReport, error) {
	table, levels := CrossTab(tab.Column(0), tab.Column(1))
	if len(levels) < 2 {
		return nil, fmt.Errorf("%w: both raters gave one score only", ErrNoVariance)
	}
	lin, err := CohenKappa(table, LinearWeights(len(levels)), 0, alpha)
	if err != nil {
		return nil, err
	}
	quad, err := CohenKappa(table, QuadraticWeights(len(levels)), 0, alpha)
	if err != nil {
		return nil, err
	}
	return &CohenReport{Levels: levels, N: lin.N, Kappa: lin.Kappa, Linear: lin.Weighted, Quadratic: quad.Weighted}, nil
}

// checkFinite guards the promise that a report never carries NaN or Inf.
func (r Report) checkFinite() error {
	var xs []float64
	for _, f := range r.ICC.Forms() {
		xs = append(xs, f.Value, f.F, f.P, f.Lower, f.Upper)
	}
	xs = append(xs, r.FleissKappa)
	if c := r.Cohen; c != nil {
		for _, e := range []Estimate{c.Kappa, c.Linear, c.Quadratic} {
			xs = append(xs, e.Value, e.SE, e.Lower, e.Upper)
		}
	}
	for _, s := range r.Severity {
		xs = append(xs, s.Mean)
		if s.SE != nil {
			xs = append(xs, *s.SE)
		}
	}
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: a statistic is undefined for these data", ErrNoVariance)
		}
	}
	return nil
}
