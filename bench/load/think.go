package load

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Think-time distributions.
const (
	Exponential = "exponential"
	LogNormal   = "lognormal"
)

// ThinkCap bounds a think time at this many times the mean, so that no
// simulated candidate idles for the length of a sitting.
const ThinkCap = 4.0

// Think is the distribution of a candidate's think time between answers.
// Draws are capped at ThinkCap times Mean; the capped mean is given by
// CappedMean.
type Think struct {
	Dist  string        // Exponential (the default) or LogNormal
	Mean  time.Duration // mean before the cap; 0 means no think time
	Sigma float64       // LogNormal only: the standard deviation of ln(think time); default 1
}

// Validate returns an error naming the field that is out of range.
func (t Think) Validate() error {
	switch {
	case t.Mean < 0:
		return fmt.Errorf("think time: mean %v is negative", t.Mean)
	case t.Dist != "" && t.Dist != Exponential && t.Dist != LogNormal:
		return fmt.Errorf("think time: distribution %q is not %s or %s", t.Dist, Exponential, LogNormal)
	case t.Sigma < 0 || math.IsNaN(t.Sigma):
		return fmt.Errorf("think time: sigma %v is negative", t.Sigma)
	}
	return nil
}

func (t Think) sigma() float64 {
	if t.Sigma == 0 {
		return 1
	}
	return t.Sigma
}

// Draw returns one think time from rng.
//
// Exponential: Mean * E with E ~ Exp(1) (rand.ExpFloat64).
// LogNormal: exp(mu + sigma*Z) with Z ~ N(0,1) and mu = ln(Mean) - sigma^2/2,
// so that the mean exp(mu + sigma^2/2) equals Mean (Johnson, Kotz and
// Balakrishnan, Continuous Univariate Distributions vol. 1, 2nd ed. 1994,
// ch. 14, eq. 14.8a).
// Both are then capped at ThinkCap * Mean.
func (t Think) Draw(rng *rand.Rand) time.Duration {
	if t.Mean <= 0 {
		return 0
	}
	m := float64(t.Mean)
	var x float64
	if t.Dist == LogNormal {
		s := t.sigma()
		x = math.Exp(math.Log(m) - s*s/2 + s*rng.NormFloat64())
	} else {
		x = m * rng.ExpFloat64()
	}
	return time.Duration(min(x, ThinkCap*m))
}

// CappedMean is the mean of Draw, in the unit of Mean:
//
// Exponential: E[min(X, c)] = m (1 - e^(-c/m)) for X ~ Exp(mean m).
// LogNormal: E[min(X, c)] = m Phi((ln c - mu - s^2)/s) + c (1 - Phi((ln c - mu)/s)),
// the partial expectation of the lognormal (Johnson, Kotz and Balakrishnan
// 1994, ch. 14, eq. 14.9a) plus the capped tail.
func (t Think) CappedMean() time.Duration {
	if t.Mean <= 0 {
		return 0
	}
	m := float64(t.Mean)
	c := ThinkCap * m
	if t.Dist != LogNormal {
		return time.Duration(m * (1 - math.Exp(-c/m)))
	}
	s := t.sigma()
	mu := math.Log(m) - s*s/2
	phi := func(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
	return time.Duration(m*phi((math.Log(c)-mu-s*s)/s) + c*(1-phi((math.Log(c)-mu)/s)))
}

func (t Think) String() string {
	switch {
	case t.Mean <= 0:
		return "none"
	case t.Dist == LogNormal:
		return fmt.Sprintf("lognormal, mean %v, sigma %.2f, capped at %gx the mean", t.Mean, t.sigma(), ThinkCap)
	}
	return fmt.Sprintf("exponential, mean %v, capped at %gx the mean", t.Mean, ThinkCap)
}
