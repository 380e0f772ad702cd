package standardsetting

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// ContrastingResult is the contrasting-groups cut at one station.
type ContrastingResult struct {
	Station string `json:"station"`
	N       int    `json:"n"`
	// Competent counts candidates judged competent (global at or above the pass grade).
	Competent int `json:"competent_n"`
	// Cut is the logistic-regression score at which P(competent) = 0.5: -b0/b1.
	Cut    float64  `json:"cut"`
	CutPct *float64 `json:"cut_pct,omitempty"`
	B0     float64  `json:"b0"`
	B1     float64  `json:"b1"`
	// MinErrorCut is the smallest whole cut minimising misclassifications
	// (competent below it plus not competent at or above it); Errors is that minimum.
	MinErrorCut float64 `json:"min_error_cut"`
	Errors      int     `json:"errors"`
	// Group means and their midpoint (Livingston and Zieky 1982).
	MeanCompetent    float64 `json:"mean_competent"`
	MeanNotCompetent float64 `json:"mean_not_competent"`
	Midpoint         float64 `json:"midpoint"`
	PassRate         float64 `json:"pass_rate"`
}

// ContrastingGroups computes the contrasting-groups cut (Livingston and
// Zieky 1982, Passing Scores, ETS, ch. 5; Clauser and Clyman 1994, Academic
// Medicine 69(10) S95-S97 for the OSCE form): candidates judged competent
// (global >= passGrade) and not competent are contrasted on the checklist.
// The cut is the score where the logistic regression of competence on the
// checklist score gives probability 0.5, -b0/b1. Also reported: the whole
// cut in [floor(min), ceil(max)+1] with fewest misclassifications (first
// on ties) and the midpoint of the two groups' means. It returns an error
// naming the file and station when a group is empty or the groups are
// perfectly separated.
func ContrastingGroups(file string, s *Station, passGrade, maxScore float64) (ContrastingResult, error) {
	comp := make([]bool, len(s.Global))
	var yes, no []float64
	for i, g := range s.Global {
		comp[i] = g >= passGrade
		if comp[i] {
			yes = append(yes, s.Checklist[i])
		} else {
			no = append(no, s.Checklist[i])
		}
	}
	if len(yes) == 0 || len(no) == 0 {
		return ContrastingResult{}, inputErr(file, s.line, "global", ErrTooFew, "station %q: %d competent and %d not competent candidates; both groups are needed", s.ID, len(yes), len(no))
	}
	b0, b1, err := logisticFit(s.Checklist, comp)
	if err != nil {
		return ContrastingResult{}, inputAt(file, s.line, "checklist", err)
	}
	res := ContrastingResult{Station: s.ID, N: len(comp), Competent: len(yes), B0: b0, B1: b1, Cut: -b0 / b1,
		MeanCompetent: stat.Mean(yes, nil), MeanNotCompetent: stat.Mean(no, nil)}
	res.Midpoint = (res.MeanCompetent + res.MeanNotCompetent) / 2
	res.CutPct = pct(res.Cut, maxScore)
	res.PassRate = PassRate(s.Checklist, res.Cut)
	lo, hi := math.Floor(math.Min(0, floats.Min(s.Checklist))), math.Ceil(floats.Max(s.Checklist))+1
	res.Errors = len(comp) + 1
	for c := lo; c <= hi; c++ {
		e := 0
		for i, x := range s.Checklist {
			if (x >= c) != comp[i] {
				e++
			}
		}
		if e < res.Errors {
			res.MinErrorCut, res.Errors = c, e
		}
	}
	return res, nil
}
