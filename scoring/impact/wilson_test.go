package impact

import (
	"testing"

	"github.com/accredit/accredit/scoring/internal/testref"
)

// TestWilsonNewcombe checks the published intervals of Newcombe (1998),
// "Two-sided confidence intervals for the single proportion: comparison of
// seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (the
// score interval without continuity correction), given there to four
// decimals. The same bounds to 1e-12 were computed independently with
// Python's statistics.NormalDist().inv_cdf(0.975) and the closed form.
func TestWilsonNewcombe(t *testing.T) {
	tests := []struct {
		x, n       int
		lo, hi     float64 // Newcombe Table I, 4 dp
		lo16, hi16 float64 // the closed form in double precision
	}{
		{81, 263, 0.2553, 0.3662, 0.2552885198782743, 0.3662095769828001},
		{15, 148, 0.0624, 0.1605, 0.06238639953073629, 0.160487241723308},
		{0, 20, 0, 0.1611, 0, 0.1611251580528193},
		{1, 29, 0.0061, 0.1718, 0.006113214292762653, 0.17175521879320282},
	}
	for _, tc := range tests {
		lo, hi := Wilson(tc.x, tc.n, Z95)
		testref.Near(t, "lo (4 dp)", lo, tc.lo, 5e-5)
		testref.Near(t, "hi (4 dp)", hi, tc.hi, 5e-5)
		testref.Near(t, "lo", lo, tc.lo16, 1e-12)
		testref.Near(t, "hi", hi, tc.hi16, 1e-12)
	}
}

// TestWilsonProperties checks what holds for every x and n: the interval
// lies in [0, 1], holds x/n strictly inside unless at a bound, and mirrors
// under x -> n-x.
func TestWilsonProperties(t *testing.T) {
	for n := 1; n <= 60; n++ {
		for x := 0; x <= n; x++ {
			lo, hi := Wilson(x, n, Z95)
			p := float64(x) / float64(n)
			if lo < 0 || hi > 1 || lo > p || hi < p || (x > 0 && lo >= p) || (x < n && hi <= p) {
				t.Fatalf("Wilson(%d, %d) = [%g, %g] around %g", x, n, lo, hi, p)
			}
			mlo, mhi := Wilson(n-x, n, Z95)
			testref.Near(t, "mirror lo", lo, 1-mhi, 1e-12)
			testref.Near(t, "mirror hi", hi, 1-mlo, 1e-12)
		}
	}
}

func TestWilsonPanics(t *testing.T) {
	for _, tc := range [][2]int{{0, 0}, {-1, 5}, {6, 5}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Wilson(%d, %d) did not panic", tc[0], tc[1])
				}
			}()
			Wilson(tc[0], tc[1], Z95)
		}()
	}
}
