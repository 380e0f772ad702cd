package standardsetting

import (
	"io"

	"gonum.org/v1/gonum/stat"
)

// BeukJudgement is one judge's minimum percent correct to pass (K) and
// expected percent of candidates passing (V).
type BeukJudgement struct {
	Judge string
	K, V  float64
}

// ReadBeuk reads judge,k_pct,v_pass_pct rows, percentages in [0,100].
func ReadBeuk(file string, r io.Reader) ([]BeukJudgement, error) {
	t, cols, err := readColumns(file, r, 2, "judges", "judge", "k_pct", "v_pass_pct")
	if err != nil {
		return nil, err
	}
	jc, kc, vc := cols[0], cols[1], cols[2]
	ids, err := t.uniqueLabels(jc)
	if err != nil {
		return nil, err
	}
	out := make([]BeukJudgement, len(t.rows))
	for i := range t.rows {
		out[i].Judge = ids[i]
		if out[i].K, err = t.floatIn(i, kc, 0, 100); err != nil {
			return nil, err
		}
		if out[i].V, err = t.floatIn(i, vc, 0, 100); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// BeukResult is the Beuk compromise cut.
type BeukResult struct {
	KBar  float64 `json:"k_mean"`
	VBar  float64 `json:"v_mean"`
	SK    float64 `json:"k_sd"`
	SV    float64 `json:"v_sd"`
	Slope float64 `json:"slope"`
	// Case is "interior", "boundary-0" or "boundary-100" (the line misses
	// the pass curve inside [0, 100]), or "vertical" when the judges agree
	// exactly on K (sd 0): the cut is then K's mean.
	Case      string  `json:"case"`
	CutPct    float64 `json:"cut_pct"`
	Cut       float64 `json:"cut"`
	PassPctAt float64 `json:"pass_pct_at_cut"`
}

// Beuk computes the Beuk (1984, "A method for reaching a compromise between
// absolute and relative standards in examinations", Journal of Educational
// Measurement 21(2), 147-152) cut: the line through (mean K, mean V) with
// slope sd(V)/sd(K) meets the pass curve P(c), percent of candidates
// scoring at least c percent (linear between attainable scores 100k/K).
// scores are raw totals out of maxScore. It panics on fewer than two
// judges or maxScore < 1.
func Beuk(js []BeukJudgement, scores []float64, maxScore int) BeukResult {
	if len(js) < 2 || maxScore < 1 {
		panic("standardsetting: Beuk needs two judges and a positive maximum score")
	}
	k, v := make([]float64, len(js)), make([]float64, len(js))
	for i, j := range js {
		k[i], v[i] = j.K, j.V
	}
	res := BeukResult{KBar: stat.Mean(k, nil), VBar: stat.Mean(v, nil), SK: stat.StdDev(k, nil), SV: stat.StdDev(v, nil)}
	P := failCurve(scores, maxScore, true)
	if res.SK == 0 {
		res.Case, res.CutPct = "vertical", res.KBar
	} else {
		res.Slope = res.SV / res.SK
		a, b := res.VBar-res.Slope*res.KBar, res.Slope
		switch {
		case P.at(0)-a <= 0:
			res.Case, res.CutPct = "boundary-0", 0
		case P.at(100)-(a+b*100) >= 0:
			res.Case, res.CutPct = "boundary-100", 100
		default:
			res.Case, res.CutPct = "interior", P.crossLine(a, b, 0, 100)
		}
	}
	res.Cut = res.CutPct * float64(maxScore) / 100
	res.PassPctAt = P.at(res.CutPct)
	return res
}
