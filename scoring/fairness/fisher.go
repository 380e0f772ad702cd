package fairness

import "math"

// FisherExact is the two-sided p of Fisher's exact test of the 2×2 table
// [[a, c], [b, d]] (columns are the two groups, rows pass and fail): the sum
// of the hypergeometric probabilities of all tables with the same margins no
// more probable than the observed one, within a relative 1e-7 as R's
// fisher.test does (Agresti 2002, §3.5.1). It panics on negative counts.
func FisherExact(a, b, c, d int) float64 {
	if a < 0 || b < 0 || c < 0 || d < 0 {
		panic("fairness: negative count")
	}
	m := a + c // first-row total
	n := b + d // second-row total
	k := a + b // first-column total
	lo := max(0, k-n)
	hi := min(k, m)
	logp := make([]float64, hi-lo+1)
	top := math.Inf(-1)
	for x := lo; x <= hi; x++ {
		v := logChoose(m, x) + logChoose(n, k-x)
		logp[x-lo] = v
		top = max(top, v)
	}
	var sum, obsMass float64
	dens := make([]float64, len(logp))
	for i, v := range logp {
		dens[i] = math.Exp(v - top)
		sum += dens[i]
	}
	limit := dens[a-lo] * (1 + 1e-7)
	for _, v := range dens {
		if v <= limit {
			obsMass += v
		}
	}
	return min(1, obsMass/sum)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
