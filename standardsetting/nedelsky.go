package standardsetting

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// NedelskyResult is the Nedelsky cut.
type NedelskyResult struct {
	Judges int     `json:"judges"`
	Items  int     `json:"items"`
	Cut    float64 `json:"cut"`
	CutPct float64 `json:"cut_pct"`
	// SE is the judges' standard error sd(c_j)/sqrt(J), c_j = sum_i 1/m_ji.
	SE    float64 `json:"se"`
	SEPct float64 `json:"se_pct"`
	// Sigma is Nedelsky's sqrt(sum_i p_i (1 - p_i)), the binomial spread of a
	// borderline candidate's score, used to move the cut by k sigma.
	Sigma     float64    `json:"sigma"`
	JudgeCuts []JudgeCut `json:"judge_cuts"`
	Spread    Spread     `json:"spread"`
	G         GStudy     `json:"g_study"`
}

// Nedelsky computes the Nedelsky (1954, "Absolute grading standards for
// objective tests", Educational and Psychological Measurement 14(1), 3-19)
// cut from m (judges x items): m_ji is the number of options judge j thinks
// a borderline candidate cannot eliminate on item i, who then guesses among
// them. p_i = (1/J) sum_j 1/m_ji; cut = sum_i p_i; sigma =
// sqrt(sum_i p_i (1 - p_i)). The G study is run on the 1/m_ji scale. It
// panics on fewer than two judges or items.
func Nedelsky(m *Ratings) NedelskyResult {
	J, I := m.NumJudges(), m.NumItems()
	if J < 2 || I < 2 {
		panic("standardsetting: Nedelsky needs two judges and two items")
	}
	inv := make([][]float64, J)
	for j, row := range m.Values {
		inv[j] = make([]float64, I)
		for i, v := range row {
			inv[j][i] = 1 / v
		}
	}
	p := colMeans(inv)
	cuts := rowSums(inv)
	res := NedelskyResult{Judges: J, Items: I, Cut: floats.Sum(p), SE: seMean(cuts), Spread: spreadOf(cuts), G: GStudyJudgesItems(inv)}
	res.CutPct, res.SEPct = 100*res.Cut/float64(I), 100*res.SE/float64(I)
	var v float64
	for _, pi := range p {
		v += pi * (1 - pi)
	}
	res.Sigma = math.Sqrt(v)
	for j, c := range cuts {
		res.JudgeCuts = append(res.JudgeCuts, JudgeCut{Judge: m.Judges[j], Cut: c})
	}
	return res
}
