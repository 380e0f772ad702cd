package reliability

import (
	"errors"
	"math"
	"testing"
)

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// A 4×3 0/1 matrix worked by hand: item variances 1/3 each (sum 1),
// totals 3, 2, 1, 0 with variance 5/3, so alpha = 3/2 (1 − 3/5) = 0.6.
func TestAlphaOfByHand(t *testing.T) {
	x := [][]float64{{1, 1, 1}, {1, 1, 0}, {0, 0, 1}, {0, 0, 0}}
	a, err := AlphaOf(x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a, 0.6)
	// For 0/1 items KR-20 with population variances equals alpha with
	// sample ones: Σpq = 0.75 and σ²ₜ = 1.25.
	near(t, "KR-20", KR20(3, 0.75, 1.25), 0.6)
}

func TestAlphaOfNoVariance(t *testing.T) {
	if _, err := AlphaOf([][]float64{{1, 0}, {0, 1}}); !errors.Is(err, ErrNoVariance) {
		t.Errorf("constant totals: err = %v, want ErrNoVariance", err)
	}
}

// The conditional SEM at the reconciled cut 11.4188596355 of a 30-item test
// is 2.7048834106 in the standard-setting validation (base R 4.2.2,
// sqrt(c * (K - c) / (K - 1)), Lord 1955).
func TestCSEMLord(t *testing.T) {
	near(t, "CSEM", CSEMLord(11.4188596355, 30), 2.7048834106)
	near(t, "CSEM at 0", CSEMLord(-1, 30), 0)
	near(t, "SEM", SEM(2, 0.75), 1)
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"alpha k":  func() { Alpha(1, 0, 1) },
		"one item": func() { AlphaOf([][]float64{{1}, {0}}) },
		"ragged":   func() { AlphaOf([][]float64{{1, 0}, {0}}) },
		"csem k":   func() { CSEMLord(0, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
