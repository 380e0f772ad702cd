package rasch

import "math"

// esf fills g[0..len(eps)] with the elementary symmetric functions
//
//	γ_r(ε) = Σ_{|S|=r} Π_{i∈S} ε_i
//
// by the summation algorithm (Fischer 1974, ch. 14; Verhelst, Glas and van
// der Sluis 1984, Computational Statistics Quarterly 1), skipping the
// positions skip1 and skip2 (-1 for none). g must have len(eps)+1 cells.
func esf(eps []float64, skip1, skip2 int, g []float64) {
	clear(g)
	g[0] = 1
	n := 0
	for i, e := range eps {
		if i == skip1 || i == skip2 {
			continue
		}
		n++
		for r := n; r >= 1; r-- {
			g[r] += e * g[r-1]
		}
	}
}

// patternMoments holds, for one pattern at the current difficulties, the
// conditional probabilities π_ri = P(x_i = 1 | r) = ε_i γ_{r-1}^{(i)} / γ_r
// for each informative raw score r, and log γ_r.
type patternMoments struct {
	gamma []float64   // γ_0..γ_m
	loo   [][]float64 // loo[j] = γ^{(j)}: functions without item j
	pi    [][]float64 // pi[r][j], nil for uninformative or empty r
}

// moments computes the conditional response probabilities of pattern pt
// given ε for every item position.
func moments(pt *Pattern, epsAll []float64) (*patternMoments, error) {
	m := len(pt.Items)
	eps := make([]float64, m)
	for j, it := range pt.Items {
		eps[j] = epsAll[it]
	}
	pm := &patternMoments{gamma: make([]float64, m+1), loo: make([][]float64, m), pi: make([][]float64, m+1)}
	esf(eps, -1, -1, pm.gamma)
	for _, g := range pm.gamma {
		if math.IsInf(g, 0) || math.IsNaN(g) {
			return nil, ErrOverflow
		}
	}
	for j := range m {
		pm.loo[j] = make([]float64, m+1)
		esf(eps, j, -1, pm.loo[j])
	}
	for r, g := range pt.Groups {
		if g == nil || !informative(r, m) {
			continue
		}
		pr := make([]float64, m)
		for j := range m {
			pr[j] = eps[j] * pm.loo[j][r-1] / pm.gamma[r]
		}
		pm.pi[r] = pr
	}
	return pm, nil
}

// tied reports whether two parameters are too close for the difference
// identity of addInformation to be accurate.
func tied(ei, ej float64) bool { return math.Abs(ei-ej) <= 1e-4*math.Max(ei, ej) }
