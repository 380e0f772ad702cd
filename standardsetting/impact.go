package standardsetting

import (
	"math"
	"slices"
)

// PassRate is the proportion of scores at or above cut (candidates below
// the cut fail). It returns 0 for no scores.
func PassRate(scores []float64, cut float64) float64 {
	if len(scores) == 0 {
		return 0
	}
	n := 0
	for _, s := range scores {
		if s >= cut {
			n++
		}
	}
	return float64(n) / float64(len(scores))
}

// ImpactPoint is the pass rate at one cut.
type ImpactPoint struct {
	Cut      float64 `json:"cut"`
	Passed   int     `json:"passed"`
	PassRate float64 `json:"pass_rate"`
}

// ImpactCurve returns the pass rate at every whole cut 0, 1, ..., maxScore.
func ImpactCurve(scores []float64, maxScore int) []ImpactPoint {
	out := make([]ImpactPoint, 0, maxScore+1)
	for c := range maxScore + 1 {
		pr := PassRate(scores, float64(c))
		out = append(out, ImpactPoint{Cut: float64(c), PassRate: pr, Passed: int(math.Round(pr * float64(len(scores))))})
	}
	return out
}

// NamedCut is a cut to report impact for (a panel's, the reconciled, the
// operational).
type NamedCut struct {
	Name string  `json:"name"`
	Cut  float64 `json:"cut"`
}

// GroupImpact is the pass rate of one group at each named cut.
type GroupImpact struct {
	Column    string    `json:"column"`
	Group     string    `json:"group"`
	N         int       `json:"n"`
	PassRates []float64 `json:"pass_rates"` // one per named cut, in order
}

// ImpactByGroup returns, for every grouping column of c and every value in
// it (sorted), the pass rate at each of cuts.
func ImpactByGroup(c *Candidates, cuts []NamedCut) []GroupImpact {
	var out []GroupImpact
	for _, col := range c.GroupNames {
		vals := c.Groups[col]
		byVal := map[string][]float64{}
		for i, v := range vals {
			byVal[v] = append(byVal[v], c.Scores[i])
		}
		keys := make([]string, 0, len(byVal))
		for k := range byVal {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			g := GroupImpact{Column: col, Group: k, N: len(byVal[k])}
			for _, nc := range cuts {
				g.PassRates = append(g.PassRates, PassRate(byVal[k], nc.Cut))
			}
			out = append(out, g)
		}
	}
	return out
}
