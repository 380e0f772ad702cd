package agreement

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is an agreement coefficient with its large-sample variance,
// standard error and normal-theory confidence bounds.
type Estimate struct {
	Value    float64 `json:"estimate"`
	Variance float64 `json:"variance"`
	SE       float64 `json:"se"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
}

// Cohen holds Cohen's kappa, unweighted and weighted, for one table.
type Cohen struct {
	N        float64  `json:"n"`        // number of rated subjects
	Observed float64  `json:"observed"` // po, proportion of exact agreement
	Chance   float64  `json:"chance"`   // pc, agreement expected by chance
	Kappa    Estimate `json:"kappa"`
	Weighted Estimate `json:"weighted_kappa"`
}

// PowerWeights returns psych's agreement weights for k ordered categories,
// w_ij = 1 - |i-j|^e / (k-1)^e: e = 1 gives linear weights, e = 2 quadratic
// weights (Cohen 1968; Fleiss and Cohen 1973). It panics if k < 2.
func PowerWeights(k int, e float64) [][]float64 {
	if k < 2 {
		panic("agreement: weights need at least two categories")
	}
	w := make([][]float64, k)
	den := math.Pow(float64(k-1), e)
	for i := range w {
		w[i] = make([]float64, k)
		for j := range w[i] {
			w[i][j] = 1 - math.Pow(math.Abs(float64(i-j)), e)/den
		}
	}
	return w
}

// LinearWeights returns PowerWeights(k, 1).
func LinearWeights(k int) [][]float64 { return PowerWeights(k, 1) }

// QuadraticWeights returns PowerWeights(k, 2), psych's default.
func QuadraticWeights(k int) [][]float64 { return PowerWeights(k, 2) }

// CrossTab counts paired ratings into a square table whose categories are
// the values seen in a or b, in increasing order (returned as levels). Row i
// is a's category, column j is b's. It panics if the lengths differ.
func CrossTab(a, b []float64) (table [][]float64, levels []float64) {
	if len(a) != len(b) {
		panic("agreement: slice length mismatch")
	}
	levels = append(slices.Clone(a), b...)
	slices.Sort(levels)
	levels = slices.Compact(levels)
	table = make([][]float64, len(levels))
	for i := range table {
		table[i] = make([]float64, len(levels))
	}
	for i := range a {
		r, _ := slices.BinarySearch(levels, a[i])
		c, _ := slices.BinarySearch(levels, b[i])
		table[r][c]++
	}
	return table, levels
}

// CohenKappa returns Cohen's (1960) kappa and weighted kappa (Cohen 1968) for
// a square agreement table of counts or proportions (rows: rater A, columns:
// rater B), with weights w (nil: QuadraticWeights). n is the number of
// subjects; 0 means the table's sum (give n when the table holds proportions).
//
//	kappa = (po - pc) / (1 - pc),  po = sum_i p_ii,  pc = sum_i p_i. p_.i
//	kw    = (pwo - pwc) / (1 - pwc), pwo = sum w_ij p_ij, pwc = sum w_ij p_i. p_.j
//
// When w has a zero diagonal it is read as disagreement weights and
// kw = 1 - pwo/pwc (Cohen 1968). The variances are the large-sample ones of
// Fleiss, Cohen and Everitt (1969, Psychological Bulletin 72, 323-327) in
// the form psych::cohen.kappa (Revelle, version 2.2.9) computes them:
//
//	var(kappa) = [ sum_i p_ii ((1-pc) - (p_i.+p_.i)(1-po))^2
//	             + (1-po)^2 sum_{i!=j} p_ij (p_.i+p_j.)^2 - (po pc - 2pc + po)^2 ] / (n (1-pc)^4)
//	var(kw)    = [ sum_ij p_ij (w_ij (1-pwc) - (a_i + b_j)(1-pwo))^2
//	             - (pwo pwc - 2pwc + pwo)^2 ] / (n (1-pwc)^4)
//
// with a_i = sum_m w_mi p_.m and b_j = p_j. sum_m w_jm. Fleiss, Cohen and
// Everitt write b_j = sum_m p_m. w_mj; psych's b_j, kept here so that the
// results match it, agrees with theirs for unweighted kappa (w = I) and
// differs otherwise. Bounds are estimate -/+ z(1-alpha/2) SE, clipped to
// [-1, 1] as psych does.
// It panics if the table is not square or w does not match it.
func CohenKappa(table, w [][]float64, n, alpha float64) (Cohen, error) {
	k := checkSquare(table)
	if w == nil {
		if k < 2 {
			return Cohen{}, fmt.Errorf("%w: one category only", ErrNoVariance)
		}
		w = QuadraticWeights(k)
	}
	if checkSquare(w) != k {
		panic("agreement: weights do not match the table")
	}
	p, tot, err := proportions(table)
	if err != nil {
		return Cohen{}, err
	}
	if n == 0 {
		n = tot
	}
	if !(n > 0) || math.IsInf(n, 0) {
		return Cohen{}, fmt.Errorf("%w: n = %g", ErrTooFew, n)
	}
	rs, cs := margins(p)
	po, pc := 0.0, 0.0
	for i := range k {
		po += p[i][i]
		pc += rs[i] * cs[i]
	}
	if pc >= 1 {
		return Cohen{}, fmt.Errorf("%w: both raters used a single category", ErrNoVariance)
	}
	z := -distuv.UnitNormal.Quantile(alpha / 2)
	res := Cohen{N: n, Observed: po, Chance: pc}
	res.Kappa = bounded((po-pc)/(1-pc), varKappa(p, rs, cs, po, pc)/n, z)
	wk, vw, err := weightedKappa(p, w, rs, cs)
	if err != nil {
		return Cohen{}, err
	}
	res.Weighted = bounded(wk, vw/n, z)
	return res, nil
}

func varKappa(p [][]float64, rs, cs []float64, po, pc float64) float64 {
	s := 0.0
	for i := range p {
		for j := range p {
			if i == j {
				d := (1 - pc) - (rs[i]+cs[i])*(1-po)
				s += p[i][i] * d * d
				continue
			}
			d := cs[i] + rs[j]
			s += (1 - po) * (1 - po) * p[i][j] * d * d
		}
	}
	c := po*pc - 2*pc + po
	return (s - c*c) / math.Pow(1-pc, 4)
}

// weightedKappa returns the weighted kappa and n times its variance.
func weightedKappa(p, w [][]float64, rs, cs []float64) (kw, v float64, err error) {
	k := len(p)
	colw := make([]float64, k) // psych's colSums(w*cs): colw_j = sum_i w_ij p_.i
	roww := make([]float64, k) // psych's rowSums(w*rs): roww_i = p_i. sum_j w_ij
	wpo, wpc, trace := 0.0, 0.0, 0.0
	for i := range k {
		trace += w[i][i]
		for j := range k {
			wpo += w[i][j] * p[i][j]
			wpc += w[i][j] * rs[i] * cs[j]
			colw[j] += w[i][j] * cs[i]
			roww[i] += w[i][j] * rs[i]
		}
	}
	if wpc == 1 || (trace == 0 && wpc == 0) {
		return 0, 0, fmt.Errorf("%w: weighted chance agreement is degenerate", ErrNoVariance)
	}
	s := 0.0
	for i := range k {
		for j := range k {
			d := w[i][j]*(1-wpc) - (colw[i]+roww[j])*(1-wpo)
			s += p[i][j] * d * d
		}
	}
	c := wpo*wpc - 2*wpc + wpo
	v = (s - c*c) / math.Pow(1-wpc, 4)
	if trace > 0 {
		return (wpo - wpc) / (1 - wpc), v, nil
	}
	return 1 - wpo/wpc, v, nil
}

func bounded(est, variance, z float64) Estimate {
	variance = max(variance, 0) // rounding can leave -1e-18 at perfect agreement
	se := math.Sqrt(variance)
	return Estimate{
		Value: est, Variance: variance, SE: se,
		Lower: clip(est - z*se), Upper: clip(est + z*se),
	}
}

func clip(x float64) float64 { return min(max(x, -1), 1) }

func checkSquare(m [][]float64) int {
	for _, row := range m {
		if len(row) != len(m) {
			panic("agreement: table is not square")
		}
	}
	return len(m)
}

// proportions divides the table by its sum, rejecting negative or
// non-finite cells.
func proportions(table [][]float64) ([][]float64, float64, error) {
	tot := 0.0
	for i, row := range table {
		for j, x := range row {
			if !(x >= 0) || math.IsInf(x, 0) {
				return nil, 0, fmt.Errorf("agreement: table cell (%d, %d) = %g is not a count", i+1, j+1, x)
			}
			tot += x
		}
	}
	if tot == 0 {
		return nil, 0, fmt.Errorf("%w: empty table", ErrTooFew)
	}
	p := make([][]float64, len(table))
	for i, row := range table {
		p[i] = make([]float64, len(row))
		for j, x := range row {
			p[i][j] = x / tot
		}
	}
	return p, tot, nil
}

func margins(p [][]float64) (rs, cs []float64) {
	rs = make([]float64, len(p))
	cs = make([]float64, len(p))
	for i, row := range p {
		for j, x := range row {
			rs[i] += x
			cs[j] += x
		}
	}
	return rs, cs
}
