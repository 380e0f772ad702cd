package rasch

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// LRTest is Andersen's (1973) conditional likelihood-ratio test of equal
// item difficulties in two score groups:
//
//	LR = 2 (ln L_c(low) + ln L_c(high) − ln L_c(all)),  df = Σ_g (k_g − 1) − (k − 1)
//
// with persons split at the median raw score (low: raw ≤ median), as eRm's
// LRtest(splitcr = "median") does. Items that every person of a group
// answered right or wrong cannot be estimated there; like eRm, the test
// drops them from the whole analysis and refits (DroppedItems).
type LRTest struct {
	LR           float64    `json:"lr"`
	DF           int        `json:"df"`
	P            float64    `json:"p"`
	Median       float64    `json:"median"`
	LogLik       float64    `json:"loglik"`       // full-sample ln L_c on the items tested
	GroupLogLik  [2]float64 `json:"group_loglik"` // low, high
	GroupPersons [2]int     `json:"group_persons"`
	DroppedItems []string   `json:"dropped_items"`
}

// AndersenLR runs the median-split LR test on the items of st (a summary
// of m). It makes a new pass over m only when items must be dropped.
func AndersenLR(m *respmatrix.Matrix, st *Stats) (*LRTest, error) {
	t := &LRTest{DroppedItems: []string{}}
	for {
		med := median(st.scoreCounts())
		t.Median = med
		groups := [2]*Stats{
			st.Split(func(r int) bool { return float64(r) <= med }),
			st.Split(func(r int) bool { return float64(r) > med }),
		}
		drop := map[int]bool{}
		for _, g := range groups {
			for _, it := range degenerate(g) {
				drop[it] = true
			}
		}
		if len(drop) == 0 {
			return t.fit(st, groups)
		}
		var cols []int
		for it, c := range st.Cols {
			if drop[it] {
				t.DroppedItems = append(t.DroppedItems, m.Items[c])
			} else {
				cols = append(cols, c)
			}
		}
		if len(cols) < 2 {
			return nil, fmt.Errorf("LR test: %w", ErrTooFewItems)
		}
		st = Summarise(m, cols)
	}
}

func (t *LRTest) fit(st *Stats, groups [2]*Stats) (*LRTest, error) {
	all, err := Fit(st, FitOptions{NoSE: true})
	if err != nil {
		return nil, fmt.Errorf("LR test, full sample: %w", err)
	}
	t.LogLik = all.LogLik
	sum := 0.0
	for g, gs := range groups {
		cal, err := Fit(gs, FitOptions{NoSE: true})
		if err != nil {
			return nil, fmt.Errorf("LR test, score group %d: %w", g+1, err)
		}
		t.GroupLogLik[g] = cal.LogLik
		sum += cal.LogLik
		for _, n := range gs.scoreCounts() {
			t.GroupPersons[g] += int(n)
		}
	}
	k := len(st.Cols)
	t.LR = 2 * (sum - all.LogLik)
	t.DF = 2*(k-1) - (k - 1)
	t.P = distuv.ChiSquared{K: float64(t.DF)}.Survival(t.LR)
	return t, nil
}

// degenerate returns the item positions that are not estimable in st: all
// responses right or all wrong (or none), over every person or over the
// persons with a non-extreme score.
func degenerate(st *Stats) []int {
	var out []int
	for _, inf := range []bool{false, true} {
		c, n := st.ItemCounts(inf)
		for i := range c {
			if (c[i] == 0 || c[i] == n[i]) && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return out
}

// median returns the median raw score given counts per score, averaging the
// two middle values for an even count (R's median).
func median(counts []float64) float64 {
	var n float64
	for _, c := range counts {
		n += c
	}
	at := func(pos float64) int { // score of the pos-th person (0-based)
		var cum float64
		for r, c := range counts {
			cum += c
			if pos < cum {
				return r
			}
		}
		return len(counts) - 1
	}
	if int(n)%2 == 1 {
		return float64(at((n - 1) / 2))
	}
	return float64(at(n/2-1)+at(n/2)) / 2
}
