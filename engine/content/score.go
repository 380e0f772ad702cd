package content

import (
	"math"
	"slices"
)

// Range returns how many options an answer to the item may hold (hi) and
// must hold to score (lo): 1 and 1 for a single-best-answer item, Select and
// Select for a multiple-response item, or MinSelect and MaxSelect when it
// gives a range. While the test runs an answer may hold fewer than lo.
func (it *Item) Range() (lo, hi int) {
	switch {
	case it.Type != MultipleResponse:
		return 1, 1
	case it.MaxSelect > 0:
		return it.MinSelect, it.MaxSelect
	}
	return it.Select, it.Select
}

// Points scores an answer, the distinct ids of the options chosen. An empty
// answer, or one outside Range, scores 0. Without Scoring (or with Points
// only) the key scores 1 (or Points) and any other answer 0; with a Map the
// answer scores the sum of its options' values, bounded:
//
//	score = min(upper, max(lower, Σ value(o) for o in chosen))
//
// as the map_response template of IMS QTI 3.0 computes it (1EdTech, QTI 3.0
// Assessment, Section and Item Information Model, "mapResponse").
func (it *Item) Points(chosen []string) float64 {
	lo, hi := it.Range()
	if len(chosen) == 0 || len(chosen) < lo || len(chosen) > hi {
		return 0
	}
	sc := it.Scoring
	if sc == nil || len(sc.Map) == 0 {
		if !sameSet(chosen, it.Key) {
			return 0
		}
		if sc != nil && sc.Points > 0 {
			return sc.Points
		}
		return 1
	}
	sum := 0.0
	for _, c := range chosen {
		sum += sc.value(c)
	}
	return sc.bound(sum)
}

// MaxPoints is the highest score an answer to the item can get.
func (it *Item) MaxPoints() float64 {
	sc := it.Scoring
	if sc == nil || len(sc.Map) == 0 {
		return it.Points(it.Key)
	}
	best, _ := it.extremes()
	return best
}

// MinPoints is the lowest score an answer within Range can get.
func (it *Item) MinPoints() float64 {
	sc := it.Scoring
	if sc == nil || len(sc.Map) == 0 {
		return 0
	}
	_, worst := it.extremes()
	return worst
}

// extremes returns the highest and lowest mapped score over answers of
// every size in Range: the sums of the largest and smallest k values.
func (it *Item) extremes() (best, worst float64) {
	vals := make([]float64, len(it.Options))
	for i, o := range it.Options {
		vals[i] = it.Scoring.value(o.ID)
	}
	slices.Sort(vals)
	lo, hi := it.Range()
	best, worst = math.Inf(-1), math.Inf(1)
	for k := max(lo, 1); k <= min(hi, len(vals)); k++ {
		top, bottom := 0.0, 0.0
		for i := range k {
			bottom += vals[i]
			top += vals[len(vals)-1-i]
		}
		best = math.Max(best, it.Scoring.bound(top))
		worst = math.Min(worst, it.Scoring.bound(bottom))
	}
	return best, worst
}

func (sc *Scoring) value(option string) float64 {
	for _, m := range sc.Map {
		if m.Option == option {
			return m.Value
		}
	}
	return sc.Default
}

func (sc *Scoring) bound(v float64) float64 {
	if sc.LowerBound != nil {
		v = math.Max(v, *sc.LowerBound)
	}
	if sc.UpperBound != nil {
		v = math.Min(v, *sc.UpperBound)
	}
	return v
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
