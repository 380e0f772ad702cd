package itemanalysis

import "math"

// alpha is Cronbach's (1951) coefficient, k/(k−1)·(1 − Σσ²ᵢ/σ²ₜ), with
// sample variances as psych::alpha's raw_alpha.
func alpha(k int, sumItemVar, totalVar float64) float64 {
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumItemVar/totalVar)
}

// kr20 is Kuder and Richardson's (1937) formula 20,
// k/(k−1)·(1 − Σpᵢqᵢ/σ²ₜ) with the population variance of the totals.
func kr20(k int, sumPQ, popVar float64) float64 {
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumPQ/popVar)
}

// kr21 is Kuder and Richardson's (1937) formula 21, which assumes equal
// facilities: k/(k−1)·(1 − m(k−m)/(k·s²)), m the mean total and s² its
// sample variance.
func kr21(k int, mean, sampleVar float64) float64 {
	fk := float64(k)
	return fk / (fk - 1) * (1 - mean*(fk-mean)/(fk*sampleVar))
}

// sem is the standard error of measurement s·√(1 − α) (Lord and Novick 1968,
// eq. 3.8.4); an alpha above 1 cannot occur, a negative one gives SEM > s.
func sem(sd, alpha float64) float64 { return sd * math.Sqrt(1-alpha) }

// lordCSEM is Lord's (1955) binomial-error conditional SEM at raw score x on
// k items: √(x(k−x)/(k−1)).
func lordCSEM(k int) []CSEMPoint {
	out := make([]CSEMPoint, k+1)
	for x := range k + 1 {
		out[x] = CSEMPoint{Raw: x, CSEM: math.Sqrt(float64(x*(k-x)) / float64(k-1))}
	}
	return out
}
