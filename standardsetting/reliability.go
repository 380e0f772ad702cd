package standardsetting

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/accredit/accredit/scoring/reliability"
)

// alpha is Cronbach's alpha of the response matrix x (reliability.AlphaOf),
// ErrDegenerate when the total scores do not vary.
func alpha(x [][]float64) (float64, error) {
	a, err := reliability.AlphaOf(x)
	if errors.Is(err, reliability.ErrNoVariance) {
		return 0, fmt.Errorf("%w: total scores do not vary, alpha is undefined", ErrDegenerate)
	}
	return a, err
}

// semOf is the SEM (reliability.SEM) of scores with the n-1 standard
// deviation, rho clamped to [0, 1] so that a negative alpha does not give
// an SEM above the standard deviation.
func semOf(scores []float64, rho float64) float64 {
	return reliability.SEM(stat.StdDev(scores, nil), min(1, max(0, rho)))
}

// Rounding maps a real cut to an attainable score.
type Rounding string

const (
	// Ceiling: the smallest whole score at or above the cut, so no
	// candidate below the standard passes (the reference convention).
	Ceiling Rounding = "ceiling"
	// Nearest: the nearest whole score, halves up.
	Nearest Rounding = "nearest"
	// Floor: the largest whole score at or below the cut.
	Floor Rounding = "floor"
)

// roundTol absorbs floating-point noise: 12.000000000001 is 12, not 13.
const roundTol = 1e-9

// Round applies the rule to x on a scale of step (1 for raw scores).
// Values within 1e-9 of a step are taken as on it. It panics on an unknown
// rule or a step that is not positive.
func (r Rounding) Round(x, step float64) float64 {
	if step <= 0 {
		panic("standardsetting: rounding step must be positive")
	}
	q := x / step
	if n := math.Round(q); math.Abs(q-n) < roundTol {
		return n * step
	}
	switch r {
	case Ceiling, "":
		return math.Ceil(q) * step
	case Nearest:
		return math.Floor(q+0.5) * step
	case Floor:
		return math.Floor(q) * step
	}
	panic("standardsetting: unknown rounding rule " + string(r))
}

// ParseRounding validates a rounding rule name.
func ParseRounding(s string) (Rounding, error) {
	switch Rounding(s) {
	case "":
		return Ceiling, nil
	case Ceiling, Nearest, Floor:
		return Rounding(s), nil
	}
	return "", fmt.Errorf("%w: rounding %q (want ceiling, nearest or floor)", ErrConfig, s)
}

// MeasurementError summarises score reliability around the cut.
type MeasurementError struct {
	Source string  `json:"reliability_source"` // "alpha", "kr20" or "given"
	Alpha  float64 `json:"alpha"`
	SEM    float64 `json:"sem"`
	CSEM   float64 `json:"csem_lord"` // at the reconciled cut
	// SECutOverSEM is the reconciled cut's SE as a fraction of the SEM.
	SECutOverSEM float64 `json:"se_cut_over_sem"`
}

// Operational is the cut applied to candidates: reconciled + k SEM,
// rounded to the score scale.
type Operational struct {
	K         float64  `json:"k"`
	Unrounded float64  `json:"unrounded"`
	Rounding  Rounding `json:"rounding"`
	Cut       float64  `json:"cut"`
	// PassRate is the proportion of candidates at or above Cut; nil when
	// no scores were given.
	PassRate *float64 `json:"pass_rate,omitempty"`
}

// OperationalCut returns cut + k sem rounded by rule, with the pass rate of
// scores at it (nil scores: no pass rate).
func OperationalCut(cut, k, sem float64, rule Rounding, scores []float64) Operational {
	u := cut + k*sem
	op := Operational{K: k, Unrounded: u, Rounding: rule, Cut: rule.Round(u, 1)}
	if scores != nil {
		pr := PassRate(scores, op.Cut)
		op.PassRate = &pr
	}
	return op
}
