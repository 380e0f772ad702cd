package load

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/stat/distuv"
)

// survivalIntegral is E[min(X, c)] = integral from 0 to c of 1 - F(x) dx,
// by Simpson's rule with gonum's CDF: an independent check of CappedMean's
// closed forms.
func survivalIntegral(cdf func(float64) float64, c float64) float64 {
	const n = 20001
	x, f := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = c * float64(i) / (n - 1)
		f[i] = 1 - cdf(x[i])
	}
	return integrate.Simpsons(x, f)
}

func TestThinkCappedMean(t *testing.T) {
	for _, tc := range []struct {
		name string
		th   Think
		cdf  func(float64) float64 // in seconds
	}{
		{"exponential", Think{Mean: 2 * time.Second}, distuv.Exponential{Rate: 0.5}.CDF},
		{"lognormal sigma 1", Think{Dist: LogNormal, Mean: 2 * time.Second}, distuv.LogNormal{Mu: math.Log(2) - 0.5, Sigma: 1}.CDF},
		{"lognormal sigma 0.5", Think{Dist: LogNormal, Mean: 2 * time.Second, Sigma: 0.5}, distuv.LogNormal{Mu: math.Log(2) - 0.125, Sigma: 0.5}.CDF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := survivalIntegral(tc.cdf, ThinkCap*tc.th.Mean.Seconds())
			if got := tc.th.CappedMean().Seconds(); !scalar.EqualWithinAbsOrRel(got, want, 1e-6, 1e-6) {
				t.Fatalf("capped mean %.6fs, integral of the survival function %.6fs", got, want)
			}
		})
	}
	// Exponential: m (1 - e^-4) = 0.98168 m.
	if got := (Think{Mean: time.Second}).CappedMean().Seconds(); !scalar.EqualWithinAbsOrRel(got, 1-math.Exp(-4), 1e-9, 1e-9) {
		t.Fatalf("exponential capped mean %v", got)
	}
}

// TestThinkDraws checks a seeded sample against the distribution: its mean
// against CappedMean within 4 standard errors, and its empirical CDF
// against gonum's CDF at the quartiles of the uncapped distribution.
func TestThinkDraws(t *testing.T) {
	const n = 40000
	for _, tc := range []struct {
		name     string
		th       Think
		quantile func(float64) float64 // in seconds
	}{
		{"exponential", Think{Mean: time.Second}, distuv.Exponential{Rate: 1}.Quantile},
		{"lognormal", Think{Dist: LogNormal, Mean: time.Second, Sigma: 0.7}, distuv.LogNormal{Mu: -0.245, Sigma: 0.7}.Quantile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 11))
			x := make([]float64, n)
			var sum, sq float64
			for i := range x {
				d := tc.th.Draw(rng)
				if d < 0 || d > time.Duration(ThinkCap*float64(tc.th.Mean)) {
					t.Fatalf("draw %v outside [0, %g x mean]", d, ThinkCap)
				}
				x[i] = d.Seconds()
				sum += x[i]
				sq += x[i] * x[i]
			}
			mean := sum / n
			se := math.Sqrt((sq/n - mean*mean) / n)
			if want := tc.th.CappedMean().Seconds(); math.Abs(mean-want) > 4*se {
				t.Fatalf("sample mean %.4fs, want %.4fs within 4 x %.4f", mean, want, se)
			}
			for _, p := range []float64{0.25, 0.5, 0.75} {
				q := tc.quantile(p)
				below := 0
				for _, v := range x {
					if v <= q {
						below++
					}
				}
				// Binomial standard error of a proportion: sqrt(p(1-p)/n) = 0.0025 at most.
				if got := float64(below) / n; math.Abs(got-p) > 0.0125 {
					t.Errorf("share below the %.2f quantile %.4fs is %.4f", p, q, got)
				}
			}
		})
	}
}

func TestThinkSeeded(t *testing.T) {
	for _, th := range []Think{{Mean: time.Second}, {Dist: LogNormal, Mean: time.Second}} {
		a, b := rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 2))
		for range 100 {
			if x, y := th.Draw(a), th.Draw(b); x != y {
				t.Fatalf("%s: same seed drew %v and %v", th, x, y)
			}
		}
	}
	if d := (Think{}).Draw(rand.New(rand.NewPCG(1, 2))); d != 0 {
		t.Fatalf("no think time drew %v", d)
	}
}

func TestThinkValidate(t *testing.T) {
	for _, tc := range []struct {
		th Think
		ok bool
	}{
		{Think{Mean: time.Second}, true},
		{Think{Dist: LogNormal, Mean: time.Second, Sigma: 0.3}, true},
		{Think{Mean: -time.Second}, false},
		{Think{Dist: "gamma", Mean: time.Second}, false},
		{Think{Dist: LogNormal, Mean: time.Second, Sigma: -1}, false},
	} {
		if err := tc.th.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: error %v", tc.th, err)
		}
	}
}
