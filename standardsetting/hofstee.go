package standardsetting

import (
	"io"

	"gonum.org/v1/gonum/stat"
)

// HofsteeJudgement is one judge's acceptable range of cut (percent correct)
// and of failure rate (percent failing).
type HofsteeJudgement struct {
	Judge                  string
	Cmin, Cmax, Fmin, Fmax float64
}

// ReadHofstee reads judge,Cmin,Cmax,Fmin,Fmax rows, all percentages in
// [0,100], with Cmin < Cmax and Fmin <= Fmax on every row.
func ReadHofstee(file string, r io.Reader) ([]HofsteeJudgement, error) {
	t, cols, err := readColumns(file, r, 2, "judges", "judge", "Cmin", "Cmax", "Fmin", "Fmax")
	if err != nil {
		return nil, err
	}
	ids, err := t.uniqueLabels(cols[0])
	if err != nil {
		return nil, err
	}
	out := make([]HofsteeJudgement, len(t.rows))
	for i := range t.rows {
		var v [4]float64
		for k := range v {
			if v[k], err = t.floatIn(i, cols[k+1], 0, 100); err != nil {
				return nil, err
			}
		}
		if v[0] >= v[1] {
			return nil, inputErr(file, t.lines[i], "Cmax", ErrRange, "Cmax %v is not above Cmin %v", v[1], v[0])
		}
		if v[2] > v[3] {
			return nil, inputErr(file, t.lines[i], "Fmax", ErrRange, "Fmax %v is below Fmin %v", v[3], v[2])
		}
		out[i] = HofsteeJudgement{Judge: ids[i], Cmin: v[0], Cmax: v[1], Fmin: v[2], Fmax: v[3]}
	}
	return out, nil
}

// HofsteeResult is the Hofstee compromise cut.
type HofsteeResult struct {
	Cmin float64 `json:"cmin"`
	Cmax float64 `json:"cmax"`
	Fmin float64 `json:"fmin"`
	Fmax float64 `json:"fmax"`
	// Case is "interior" when the line meets the fail curve inside
	// [Cmin, Cmax], "boundary-cmin" when the curve is already above the
	// line at Cmin, "boundary-cmax" when it is still below at Cmax.
	Case            string  `json:"case"`
	CutPct          float64 `json:"cut_pct"` // continuous solution, percent correct
	Cut             float64 `json:"cut"`     // the same on the raw scale
	FailPctAt       float64 `json:"fail_pct_at_cut"`
	DiscreteCut     float64 `json:"cut_discrete"`
	DiscreteFailPct float64 `json:"fail_pct_at_discrete"`
	// DiscreteFallback is true when no attainable score in [Cmin, Cmax]
	// reaches the line; the discrete cut is then the ceiling of Cut.
	DiscreteFallback bool `json:"discrete_fallback"`
	// SD of each judged quantity across judges (their disagreement).
	SDCmin float64 `json:"sd_cmin"`
	SDCmax float64 `json:"sd_cmax"`
	SDFmin float64 `json:"sd_fmin"`
	SDFmax float64 `json:"sd_fmax"`
}

// failCurve returns F(c) = 100 mean(score < k) at c = 100 k/K, k = 0..K,
// as a polyline (percent failing against percent correct).
func failCurve(scores []float64, maxScore int, pass bool) polyline {
	p := polyline{x: make([]float64, maxScore+1), y: make([]float64, maxScore+1)}
	for k := range maxScore + 1 {
		p.x[k] = 100 * float64(k) / float64(maxScore)
		pr := PassRate(scores, float64(k))
		if pass {
			p.y[k] = 100 * pr
		} else {
			p.y[k] = 100 * (1 - pr)
		}
	}
	return p
}

// Hofstee computes the Hofstee (1983, "The case for compromise in
// educational selection and grading", in Anderson and Helmick (eds.), On
// Educational Testing, 109-127) cut. With the judges' mean Cmin, Cmax,
// Fmin, Fmax, the line runs from (Cmin, Fmax) to (Cmax, Fmin); the fail
// curve F(c), percent of candidates scoring below c percent, is linear
// between the attainable scores 100k/K. The continuous cut solves
// F(c) = line(c) in [Cmin, Cmax]; if F(Cmin) >= line(Cmin) the cut is Cmin,
// if F(Cmax) <= line(Cmax) it is Cmax. The discrete cut is the smallest
// raw score k with 100k/K in [Cmin, Cmax] and F(100k/K) >= line(100k/K).
// scores are raw totals out of maxScore. It panics on fewer than two
// judges or maxScore < 1.
func Hofstee(js []HofsteeJudgement, scores []float64, maxScore int) HofsteeResult {
	if len(js) < 2 || maxScore < 1 {
		panic("standardsetting: Hofstee needs two judges and a positive maximum score")
	}
	var c [4][]float64
	for _, j := range js {
		for k, v := range [4]float64{j.Cmin, j.Cmax, j.Fmin, j.Fmax} {
			c[k] = append(c[k], v)
		}
	}
	res := HofsteeResult{Cmin: stat.Mean(c[0], nil), Cmax: stat.Mean(c[1], nil), Fmin: stat.Mean(c[2], nil), Fmax: stat.Mean(c[3], nil),
		SDCmin: stat.StdDev(c[0], nil), SDCmax: stat.StdDev(c[1], nil), SDFmin: stat.StdDev(c[2], nil), SDFmax: stat.StdDev(c[3], nil)}
	b := -(res.Fmax - res.Fmin) / (res.Cmax - res.Cmin)
	a := res.Fmax - b*res.Cmin
	line := func(x float64) float64 { return a + b*x }
	F := failCurve(scores, maxScore, false)
	switch {
	case F.at(res.Cmin) >= line(res.Cmin):
		res.Case, res.CutPct = "boundary-cmin", res.Cmin
	case F.at(res.Cmax) <= line(res.Cmax):
		res.Case, res.CutPct = "boundary-cmax", res.Cmax
	default:
		res.Case, res.CutPct = "interior", F.crossLine(a, b, res.Cmin, res.Cmax)
	}
	K := float64(maxScore)
	res.Cut = res.CutPct * K / 100
	res.FailPctAt = F.at(res.CutPct)
	res.DiscreteFallback = true
	for k := range maxScore + 1 {
		x := 100 * float64(k) / K
		if x >= res.Cmin && x <= res.Cmax && F.y[k] >= line(x) {
			res.DiscreteCut, res.DiscreteFallback = float64(k), false
			break
		}
	}
	if res.DiscreteFallback {
		res.DiscreteCut = Ceiling.Round(res.Cut, 1)
	}
	res.DiscreteFailPct = 100 * (1 - PassRate(scores, res.DiscreteCut))
	return res
}
