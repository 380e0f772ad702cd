package rasch

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ItemFit holds the residual-based fit statistics of one item, computed as
// eRm's itemfit does (Wright and Masters 1982, ch. 5): over persons with a
// non-extreme raw score, with P_vi = P(x_vi = 1 | θ̂_v MLE, β_i),
// W_vi = P_vi(1 − P_vi), z_vi = (x_vi − P_vi)/sqrt(W_vi) and
// C_vi = P_vi(1 − P_vi)^4 + (1 − P_vi)P_vi^4,
//
//	outfit = Σ_v z²/n                 q²_out = Σ_v C/W² / n² − 1/n
//	infit  = Σ_v (x − P)² / Σ_v W      q²_in  = Σ_v (C − W²) / (Σ_v W)²
//	t      = (MSQ^{1/3} − 1)(3/q) + q/3   (Wilson-Hilferty)
//
// ChiSq = Σ z² on DF = n − 1 degrees of freedom, with its upper-tail P.
type ItemFit struct {
	OutfitMSQ float64 `json:"outfit_msq"`
	InfitMSQ  float64 `json:"infit_msq"`
	OutfitT   float64 `json:"outfit_t"`
	InfitT    float64 `json:"infit_t"`
	ChiSq     float64 `json:"chisq"`
	DF        int     `json:"df"`
	P         float64 `json:"p"`
}

// patternAbilities returns the MLE for every non-extreme raw score of each
// pattern, indexed like Pattern.Groups (ok false where undefined).
func patternAbilities(st *Stats, beta []float64) [][]Ability {
	out := make([][]Ability, len(st.Patterns))
	for g, pt := range st.Patterns {
		b := make([]float64, len(pt.Items))
		for j, it := range pt.Items {
			b[j] = beta[it]
		}
		out[g] = make([]Ability, len(pt.Groups))
		for r, grp := range pt.Groups {
			if grp == nil {
				continue
			}
			if a, ok := MLE(b, r); ok {
				out[g][r] = a
			}
		}
	}
	return out
}

// Itemfit returns the fit statistics of every item position at difficulties
// beta. Because P depends only on the pattern and raw score, the sums over
// persons reduce to sums over score groups: Σ_v (x − P)² in a group of n
// persons with s correct is s(1 − P)² + (n − s)P².
func Itemfit(st *Stats, beta []float64) []ItemFit {
	k := len(beta)
	theta := patternAbilities(st, beta)
	sz, n, sw, sres, cw2, cmw := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	for g, pt := range st.Patterns {
		m := len(pt.Items)
		for r, grp := range pt.Groups {
			if grp == nil || !informative(r, m) {
				continue
			}
			for j, it := range pt.Items {
				p := 1 / (1 + math.Exp(beta[it]-theta[g][r].Theta))
				w := p * (1 - p)
				s := grp.Totals[j]
				res := s*(1-p)*(1-p) + (grp.N-s)*p*p
				c := p*math.Pow(1-p, 4) + (1-p)*math.Pow(p, 4)
				sz[it] += res / w
				sres[it] += res
				sw[it] += grp.N * w
				n[it] += grp.N
				cw2[it] += grp.N * c / (w * w)
				cmw[it] += grp.N * (c - w*w)
			}
		}
	}
	out := make([]ItemFit, k)
	for i := range out {
		f := &out[i]
		f.OutfitMSQ = sz[i] / n[i]
		f.InfitMSQ = sres[i] / sw[i]
		qOut := math.Sqrt(math.Max(cw2[i]/(n[i]*n[i])-1/n[i], 0))
		qIn := math.Sqrt(math.Max(cmw[i]/(sw[i]*sw[i]), 0))
		f.OutfitT = wilsonHilferty(f.OutfitMSQ, qOut)
		f.InfitT = wilsonHilferty(f.InfitMSQ, qIn)
		f.ChiSq = sz[i]
		f.DF = int(n[i]) - 1
		if f.DF > 0 {
			f.P = distuv.ChiSquared{K: float64(f.DF)}.Survival(f.ChiSq)
		}
	}
	return out
}

func wilsonHilferty(msq, q float64) float64 {
	if q == 0 {
		return 0
	}
	return (math.Cbrt(msq)-1)*(3/q) + q/3
}
