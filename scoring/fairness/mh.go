package fairness

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MH holds the Mantel-Haenszel DIF statistics of one item. Reference right
// A, reference wrong B, focal right C, focal wrong D, per stratum k of T
// persons.
type MH struct {
	NReference int `json:"n_reference"`
	NFocal     int `json:"n_focal"`
	Strata     int `json:"strata"` // score strata holding both groups
	// AlphaMH is the common odds ratio Σ(AD/T) / Σ(BC/T) (Mantel and
	// Haenszel 1959); above 1 the item favours the reference group.
	AlphaMH float64 `json:"alpha_mh"`
	// DeltaMH is the ETS delta −2.35·ln(AlphaMH) (Holland and Thayer 1988);
	// negative values favour the reference group.
	DeltaMH float64 `json:"delta_mh"`
	// SEDeltaMH is 2.35 times the Robins, Breslow and Greenland (1986) SE of ln(AlphaMH).
	SEDeltaMH float64 `json:"se_delta_mh"`
	// ChiSquare is (|Σ(A − E[A])| − ½)² / ΣVar(A), continuity corrected, as
	// difR::difMH; P its upper tail on 1 df.
	ChiSquare     float64 `json:"mh_chi_square"`
	P             float64 `json:"mh_p"`
	ChiSquareNoCC float64 `json:"mh_chi_square_uncorrected"`
	// ETSClass is the ETS A/B/C category (Zwick 2012): A when |Δ| < 1 or the
	// chi-square is not significant at .05; C when |Δ| ≥ 1.5 and |Δ| is
	// significantly above 1 ((|Δ|−1)/SE > 1.645); B otherwise.
	ETSClass string `json:"ets_class"`
	// SizeClass uses the size thresholds alone (|Δ| < 1 A, < 1.5 B, else C).
	SizeClass string `json:"ets_size_class"`
	Favours   string `json:"favours"` // "reference" when Δ < 0, else "focal"
}

// ETS class thresholds (Zwick 2012).
const (
	etsSmall = 1.0
	etsLarge = 1.5
	etsZ     = 1.645
	etsAlpha = 0.05
	deltaK   = 2.35 // Holland and Thayer's (1988) ETS delta scale factor
)

// stratum counts one score level.
type stratum struct{ a, b, c, d float64 }

// mantelHaenszel computes MH from per-stratum counts; ok is false when a
// statistic is undefined (no usable stratum, a zero odds-ratio sum or zero
// variance).
func mantelHaenszel(strata []stratum) (MH, bool) {
	var r MH
	var sumA, sumEA, sumVA, sumR, sumS, sumPR, sumPSQR, sumQS float64
	for _, s := range strata {
		nR, nF := s.a+s.b, s.c+s.d
		t := nR + nF
		if t < 2 || nR == 0 || nF == 0 {
			continue
		}
		r.Strata++
		r.NReference += int(nR)
		r.NFocal += int(nF)
		m1, m0 := s.a+s.c, s.b+s.d
		sumA += s.a
		sumEA += nR * m1 / t
		sumVA += nR * nF * m1 * m0 / (t * t * (t - 1))
		rr, ss := s.a*s.d/t, s.b*s.c/t
		p, q := (s.a+s.d)/t, (s.b+s.c)/t
		sumR += rr
		sumS += ss
		sumPR += p * rr
		sumPSQR += p*ss + q*rr
		sumQS += q * ss
	}
	if sumR == 0 || sumS == 0 || sumVA == 0 {
		return r, false
	}
	r.AlphaMH = sumR / sumS
	r.DeltaMH = -deltaK * math.Log(r.AlphaMH)
	varLn := sumPR/(2*sumR*sumR) + sumPSQR/(2*sumR*sumS) + sumQS/(2*sumS*sumS)
	r.SEDeltaMH = deltaK * math.Sqrt(varLn)
	diff := math.Abs(sumA - sumEA)
	r.ChiSquare = (diff - 0.5) * (diff - 0.5) / sumVA
	r.ChiSquareNoCC = diff * diff / sumVA
	r.P = distuv.ChiSquared{K: 1}.Survival(r.ChiSquare)
	r.ETSClass = etsClass(r.DeltaMH, r.SEDeltaMH, r.P)
	r.SizeClass = sizeClass(r.DeltaMH)
	r.Favours = "focal"
	if r.DeltaMH < 0 {
		r.Favours = "reference"
	}
	return r, true
}

func etsClass(delta, se, p float64) string {
	ad := math.Abs(delta)
	switch {
	case ad < etsSmall || p >= etsAlpha:
		return "A"
	case ad >= etsLarge && (ad-etsSmall)/se > etsZ:
		return "C"
	}
	return "B"
}

func sizeClass(delta float64) string {
	ad := math.Abs(delta)
	switch {
	case ad < etsSmall:
		return "A"
	case ad < etsLarge:
		return "B"
	}
	return "C"
}
