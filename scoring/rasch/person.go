package rasch

import "math"

// Ability is a person-ability estimate on the logit scale.
type Ability struct {
	Theta float64
	SE    float64
}

// testInfo returns Σ P_i(θ), the information I(θ) = Σ P_i Q_i and its
// derivative J(θ) = Σ P_i Q_i (1 − 2P_i) for difficulties b.
func testInfo(theta float64, b []float64) (sumP, info, dinfo float64) {
	for _, bi := range b {
		p := 1 / (1 + math.Exp(bi-theta))
		w := p * (1 - p)
		sumP += p
		info += w
		dinfo += w * (1 - 2*p)
	}
	return sumP, info, dinfo
}

// MLE returns the maximum-likelihood ability for raw score r on items with
// difficulties b, the root of Σ P_i(θ) = r, with SE 1/sqrt(I(θ)). It reports
// false for an extreme score (r = 0 or r = len(b)), whose MLE is infinite.
func MLE(b []float64, r int) (Ability, bool) {
	if !informative(r, len(b)) {
		return Ability{}, false
	}
	theta := solve(b, func(th float64) (float64, float64) {
		sp, info, _ := testInfo(th, b)
		return sp - float64(r), info
	})
	_, info, _ := testInfo(theta, b)
	return Ability{theta, 1 / math.Sqrt(info)}, true
}

// WLE returns Warm's (1989) weighted likelihood estimate for raw score r,
// the root of r − Σ P_i(θ) + J(θ)/(2 I(θ)) = 0, which is finite for every
// score including 0 and len(b); its SE is 1/sqrt(I(θ)) at the estimate.
func WLE(b []float64, r int) Ability {
	theta := solve(b, func(th float64) (float64, float64) {
		sp, info, dinfo := testInfo(th, b)
		return sp - float64(r) - dinfo/(2*info), info
	})
	_, info, _ := testInfo(theta, b)
	return Ability{theta, 1 / math.Sqrt(info)}
}

// solve finds the root of an increasing function f (returning f and an
// approximation of f') by Newton steps kept inside a bisection bracket.
func solve(b []float64, f func(float64) (float64, float64)) float64 {
	var mean float64
	for _, v := range b {
		mean += v / float64(len(b))
	}
	lo, hi := mean-1, mean+1
	for fl, _ := f(lo); fl > 0 && lo > -60; fl, _ = f(lo) {
		lo -= 2 * (hi - lo)
	}
	for fh, _ := f(hi); fh < 0 && hi < 60; fh, _ = f(hi) {
		hi += 2 * (hi - lo)
	}
	x := (lo + hi) / 2
	for range 200 {
		fx, d := f(x)
		if fx == 0 {
			return x
		}
		if fx < 0 {
			lo = x
		} else {
			hi = x
		}
		next := x - fx/d
		if d <= 0 || next <= lo || next >= hi || math.IsNaN(next) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-x) < 1e-12 || hi-lo < 1e-12 {
			return next
		}
		x = next
	}
	return x
}

// ScoreRow is one line of a raw-score-to-ability table.
type ScoreRow struct {
	Raw   int      `json:"raw"`
	Theta *float64 `json:"theta"`   // MLE; null for extreme scores
	SE    *float64 `json:"se"`      // SE of the MLE; null for extreme scores
	WLE   float64  `json:"wle"`     // Warm's weighted likelihood estimate
	WLESE float64  `json:"wle_se"`  // its SE
	N     int      `json:"persons"` // persons with this raw score on all items
}

// ScoreTable returns the raw-score-to-ability table for items with
// difficulties b, scores 0..len(b).
func ScoreTable(b []float64) []ScoreRow {
	rows := make([]ScoreRow, len(b)+1)
	for r := range rows {
		rows[r].Raw = r
		if a, ok := MLE(b, r); ok {
			rows[r].Theta, rows[r].SE = &a.Theta, &a.SE
		}
		w := WLE(b, r)
		rows[r].WLE, rows[r].WLESE = w.Theta, w.SE
	}
	return rows
}
