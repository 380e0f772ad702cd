package irt

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Moments of N(0, 1): E θ^(2k) = (2k − 1)!!; an n-point rule is exact to
// degree 2n − 1.
func TestGaussHermiteMoments(t *testing.T) {
	for _, n := range []int{5, 21, 41} {
		x, w := GaussHermite(n)
		want := 1.0
		for k := 0; 2*k <= 2*n-1 && k <= 8; k++ {
			if k > 0 {
				want *= float64(2*k - 1)
			}
			var got, odd float64
			for q := range x {
				got += w[q] * math.Pow(x[q], float64(2*k))
				odd += w[q] * math.Pow(x[q], float64(2*k+1))
			}
			if !scalar.EqualWithinAbsOrRel(got, want, 1e-9, 1e-9) || math.Abs(odd) > 1e-8*want {
				t.Errorf("n=%d: E θ^%d = %v, want %v (odd %v)", n, 2*k, got, want, odd)
			}
		}
	}
}
