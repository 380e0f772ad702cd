package standardsetting

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// QuantileType selects a sample-quantile definition by its number in
// Hyndman and Fan (1996), "Sample quantiles in statistical packages",
// The American Statistician 50(4), 361-365 (R's quantile(type=)).
type QuantileType int

const (
	// Type6 interpolates at h = (n+1)p (Minitab, SPSS).
	Type6 QuantileType = 6
	// Type7 interpolates at h = (n-1)p + 1 (R's and S's default).
	Type7 QuantileType = 7
)

// Quantile returns the p-quantile of x by the Hyndman-Fan definition typ:
// with the order statistics x(1) <= ... <= x(n) and h as for the type,
// Q(p) = x(floor h) + (h - floor h)(x(floor h + 1) - x(floor h)), clamped
// to x(1) and x(n). It panics if x is empty, p lies outside [0,1] or typ is
// not Type6 or Type7.
func Quantile(x []float64, p float64, typ QuantileType) float64 {
	if len(x) == 0 || p < 0 || p > 1 {
		panic("standardsetting: bad quantile arguments")
	}
	s := slices.Clone(x)
	slices.Sort(s)
	n := float64(len(s))
	var h float64
	switch typ {
	case Type6:
		h = (n + 1) * p
	case Type7:
		h = (n-1)*p + 1
	default:
		panic("standardsetting: unsupported quantile type")
	}
	if h <= 1 {
		return s[0]
	}
	if h >= n {
		return s[len(s)-1]
	}
	lo := math.Floor(h)
	i := int(lo) - 1
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

// Median is the sample median (R's median: the mean of the two middle
// order statistics when n is even).
func Median(x []float64) float64 { return Quantile(x, 0.5, Type7) }

// seMean is the standard error of the mean, sd(x)/sqrt(n), with the n-1 sd.
func seMean(x []float64) float64 {
	return stat.StdDev(x, nil) / math.Sqrt(float64(len(x)))
}

// rowSums returns the sum of each row of m.
func rowSums(m [][]float64) []float64 {
	out := make([]float64, len(m))
	for i, r := range m {
		out[i] = floats.Sum(r)
	}
	return out
}

// colMeans returns the mean of each column of m (rows of equal length).
func colMeans(m [][]float64) []float64 {
	out := make([]float64, len(m[0]))
	for _, r := range m {
		floats.Add(out, r)
	}
	n := float64(len(m))
	for i := range out {
		out[i] /= n // divide, not scale by 1/n: 40/100 must be exactly 0.4
	}
	return out
}

// polyline is a piecewise-linear function through the points (x[k], y[k]),
// x strictly increasing (R's approxfun with rule 1 inside the range).
type polyline struct{ x, y []float64 }

// at evaluates the polyline at t, clamping t to its range.
func (p polyline) at(t float64) float64 {
	n := len(p.x)
	if t <= p.x[0] {
		return p.y[0]
	}
	if t >= p.x[n-1] {
		return p.y[n-1]
	}
	k, _ := slices.BinarySearch(p.x, t) // p.x[k-1] < t <= p.x[k]
	x0, x1, y0, y1 := p.x[k-1], p.x[k], p.y[k-1], p.y[k]
	return y0 + (t-x0)*(y1-y0)/(x1-x0)
}

// crossLine returns the t in [lo, hi] where the polyline meets the line
// y = a + b t, assuming their difference d(t) = p(t) - (a + b t) changes sign
// once on [lo, hi] (d(lo) and d(hi) of opposite signs). It solves exactly
// on the segment that holds the sign change.
func (p polyline) crossLine(a, b, lo, hi float64) float64 {
	d := func(t float64) float64 { return p.at(t) - (a + b*t) }
	knots := []float64{lo}
	for _, x := range p.x {
		if x > lo && x < hi {
			knots = append(knots, x)
		}
	}
	knots = append(knots, hi)
	for k := 1; k < len(knots); k++ {
		t0, t1 := knots[k-1], knots[k]
		d0, d1 := d(t0), d(t1)
		if d0 == 0 {
			return t0
		}
		if d0*d1 <= 0 {
			return t0 + (t1-t0)*d0/(d0-d1) // d is linear between knots
		}
	}
	return hi
}
