package standardsetting

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// JudgeCut is one judge's cut on the raw scale.
type JudgeCut struct {
	Judge string  `json:"judge"`
	Cut   float64 `json:"cut"`
}

// Spread describes how far judges' cuts lie apart (raw scale).
type Spread struct {
	SD    float64 `json:"sd"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Range float64 `json:"range"`
}

// spreadOf summarises x (at least two values).
func spreadOf(x []float64) Spread {
	lo, hi := floats.Min(x), floats.Max(x)
	return Spread{SD: stat.StdDev(x, nil), Min: lo, Max: hi, Range: hi - lo}
}

// AngoffResult is a modified Angoff standard set by one panel in one round.
type AngoffResult struct {
	Judges int     `json:"judges"`
	Items  int     `json:"items"`
	Cut    float64 `json:"cut"`     // raw-score cut: mean of the judges' cuts
	CutPct float64 `json:"cut_pct"` // percent of the maximum score, 100 cut/I
	SE     float64 `json:"se"`      // sd(judge cuts)/sqrt(J), raw scale
	SEPct  float64 `json:"se_pct"`  // 100 SE/I

	JudgeCuts []JudgeCut `json:"judge_cuts"`
	Spread    Spread     `json:"spread"`
	G         GStudy     `json:"g_study"`
	// Facility holds the correlations of judges' ratings with the items'
	// observed facility; nil when no response data were given.
	Facility *FacilityCorrelation `json:"facility_correlation,omitempty"`
}

// Angoff computes the modified Angoff cut (Angoff 1971, "Scales, norms and
// equivalent scores", in Thorndike (ed.), Educational Measurement, 2nd ed.,
// p. 515). Judge j's cut is the sum of their ratings, c_j = sum_i r_ji; the
// panel cut is their mean c = (1/J) sum_j c_j, with standard error
// sd(c_j)/sqrt(J) (judges random, items fixed). Ratings on the YesNo scale
// give the yes/no variant (Impara and Plake 1997, Journal of Educational
// Measurement 34(4), 353-366) by the same formula. facility, if not nil,
// holds each item's observed proportion correct (same order as the items)
// for the diagnostic correlations. It panics if r has fewer than two judges
// or items, or if facility has the wrong length.
func Angoff(r *Ratings, facility []float64) AngoffResult {
	J, I := r.NumJudges(), r.NumItems()
	if J < 2 || I < 2 {
		panic("standardsetting: Angoff needs two judges and two items")
	}
	cuts := rowSums(r.Values)
	res := AngoffResult{Judges: J, Items: I, Cut: stat.Mean(cuts, nil), SE: seMean(cuts), Spread: spreadOf(cuts)}
	res.CutPct = 100 * res.Cut / float64(I)
	res.SEPct = 100 * res.SE / float64(I)
	for j, c := range cuts {
		res.JudgeCuts = append(res.JudgeCuts, JudgeCut{Judge: r.Judges[j], Cut: c})
	}
	res.G = GStudyJudgesItems(r.Values)
	if facility != nil {
		fc := FacilityCorrelations(r, facility)
		res.Facility = &fc
	}
	return res
}

// GStudy holds the variance components of a judges x items crossed design
// with one rating per cell, on the proportion (rating) scale.
type GStudy struct {
	VarJudges       float64 `json:"var_judges"`
	VarItems        float64 `json:"var_items"`
	VarResidual     float64 `json:"var_judges_items"`
	SEItemsFixed    float64 `json:"se_pct_items_fixed"`  // proportion scale
	SEItemsRandom   float64 `json:"se_pct_items_random"` // proportion scale
	MeanSquareJudge float64 `json:"ms_judges"`
	MeanSquareItem  float64 `json:"ms_items"`
}

// GStudyJudgesItems estimates variance components for ratings x (J judges
// by I items, one rating per cell) by the ANOVA method (Brennan and
// Lockwood 1980, "A comparison of the Nedelsky and Angoff cutting score
// procedures using generalizability theory", Applied Psychological
// Measurement 4(2), 219-240; Brennan 2001, Generalizability Theory):
//
//	MS_j  = I sum_j (xbar_j. - xbar)^2 / (J-1)
//	MS_i  = J sum_i (xbar_.i - xbar)^2 / (I-1)
//	MS_ji = sum (x_ji - xbar_j. - xbar_.i + xbar)^2 / ((J-1)(I-1))
//	s2_j = max(0, (MS_j - MS_ji)/I), s2_i = max(0, (MS_i - MS_ji)/J), s2_ji = MS_ji
//
// The standard error of the cut on the proportion scale is
// sqrt(s2_j/J + s2_ji/(JI)) with items fixed and
// sqrt(s2_j/J + s2_i/I + s2_ji/(JI)) with items random.
// It panics if x has fewer than two rows or columns.
func GStudyJudgesItems(x [][]float64) GStudy {
	J, I := len(x), len(x[0])
	if J < 2 || I < 2 {
		panic("standardsetting: G study needs a 2x2 design at least")
	}
	rm := make([]float64, J)
	for j, r := range x {
		rm[j] = stat.Mean(r, nil)
	}
	cm := colMeans(x)
	gm := stat.Mean(rm, nil)
	var ssj, ssi, ssr float64
	for _, v := range rm {
		ssj += (v - gm) * (v - gm)
	}
	for _, v := range cm {
		ssi += (v - gm) * (v - gm)
	}
	for j, r := range x {
		for i, v := range r {
			e := v - rm[j] - cm[i] + gm
			ssr += e * e
		}
	}
	fJ, fI := float64(J), float64(I)
	msj, msi := fI*ssj/(fJ-1), fJ*ssi/(fI-1)
	msr := ssr / ((fJ - 1) * (fI - 1))
	g := GStudy{VarJudges: max(0, (msj-msr)/fI), VarItems: max(0, (msi-msr)/fJ), VarResidual: msr,
		MeanSquareJudge: msj, MeanSquareItem: msi}
	g.SEItemsFixed = math.Sqrt(g.VarJudges/fJ + g.VarResidual/(fJ*fI))
	g.SEItemsRandom = math.Sqrt(g.VarJudges/fJ + g.VarItems/fI + g.VarResidual/(fJ*fI))
	return g
}
