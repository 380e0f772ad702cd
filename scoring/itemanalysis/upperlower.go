package itemanalysis

import (
	"math"
	"slices"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// UpperLowerFraction is the share of persons in each of the upper and lower
// groups (Kelley 1939).
const UpperLowerFraction = 0.27

// upperLowerD is the discrimination index D = p(upper) − p(lower) per item
// (Kelley 1939; Ebel and Frisbie 1991). Persons are ordered by total, ties in
// file order (R's order()); each group holds the first and last ⌈0.27·n⌉.
// An item no one in a group was presented with has D nil.
func upperLowerD(d *prepared) []*float64 {
	n := len(d.persons)
	order := make([]int, n)
	for r := range order {
		order[r] = r
	}
	slices.SortStableFunc(order, func(a, b int) int { return d.totals[a] - d.totals[b] })
	g := int(math.Ceil(UpperLowerFraction * float64(n)))
	lo := groupFacility(d, order[:g])
	hi := groupFacility(d, order[n-g:])
	out := make([]*float64, len(d.items))
	for j := range out {
		if !math.IsNaN(lo[j]) && !math.IsNaN(hi[j]) {
			v := hi[j] - lo[j]
			out[j] = &v
		}
	}
	return out
}

// groupFacility is the proportion correct per item among the given analysed
// persons who were presented with it; NaN when none was.
func groupFacility(d *prepared, rows []int) []float64 {
	right := make([]int, len(d.items))
	seen := make([]int, len(d.items))
	for _, r := range rows {
		row := d.m.Row(d.persons[r])
		for j, i := range d.items {
			if c := row[i]; c != respmatrix.Missing {
				seen[j]++
				right[j] += int(c)
			}
		}
	}
	out := make([]float64, len(d.items))
	for j := range out {
		out[j] = math.NaN()
		if seen[j] > 0 {
			out[j] = float64(right[j]) / float64(seen[j])
		}
	}
	return out
}
