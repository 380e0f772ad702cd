package impact

import "math"

// Z95 is the standard normal quantile of 0.975, qnorm(0.975) in R.
const Z95 = 1.959963984540054

// Wilson returns the Wilson score interval for x successes in n trials at
// normal quantile z (Wilson 1927, "Probable inference, the law of
// succession, and statistical inference", JASA 22:209-212; method 3 of
// Newcombe 1998, Statistics in Medicine 17:857-872):
//
//	(p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n),  p̂ = x/n.
//
// The bounds are clamped to [0, 1] against rounding, so x = 0 gives a lower
// bound of exactly 0 and x = n an upper bound of exactly 1. It panics unless
// 0 ≤ x ≤ n and n ≥ 1.
func Wilson(x, n int, z float64) (lo, hi float64) {
	if n < 1 || x < 0 || x > n {
		panic("impact: Wilson needs 0 <= x <= n and n >= 1")
	}
	nf := float64(n)
	p := float64(x) / nf
	z2 := z * z
	d := 1 + z2/nf
	centre := (p + z2/(2*nf)) / d
	half := z / d * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	lo, hi = max(0, centre-half), min(1, centre+half)
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return lo, hi
}
