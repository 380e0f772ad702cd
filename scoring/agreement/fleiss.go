package agreement

import (
	"fmt"
	"math"
)

// FleissResult is Fleiss' (1971) kappa for many raters.
type FleissResult struct {
	Subjects   int       `json:"subjects"`
	Raters     int       `json:"raters"` // ratings per subject, m
	Categories []float64 `json:"p_j"`    // p_j, share of all ratings in category j
	Observed   float64   `json:"p_bar"`  // mean agreement per subject
	Chance     float64   `json:"p_e"`    // agreement expected by chance
	Kappa      float64   `json:"kappa"`  // (Pbar - Pe) / (1 - Pe)
}

// FleissKappa returns Fleiss' (1971, Psychological Bulletin 76, 378-382)
// kappa from counts, one row per subject and one column per category, each
// row summing to the same number of ratings m >= 2:
//
//	p_j  = sum_i n_ij / (N m)
//	P_i  = (sum_j n_ij^2 - m) / (m (m-1)),  Pbar = mean_i P_i
//	Pe   = sum_j p_j^2,  kappa = (Pbar - Pe) / (1 - Pe)
func FleissKappa(counts [][]float64) (FleissResult, error) {
	if len(counts) == 0 {
		return FleissResult{}, fmt.Errorf("%w: no subjects", ErrTooFew)
	}
	m, err := ratingsPerSubject(counts)
	if err != nil {
		return FleissResult{}, err
	}
	n := float64(len(counts))
	pj := make([]float64, len(counts[0]))
	pbar := 0.0
	for _, row := range counts {
		sq := 0.0
		for j, c := range row {
			pj[j] += c / (n * m)
			sq += c * c
		}
		pbar += (sq - m) / (m * (m - 1)) / n
	}
	pe := 0.0
	for _, p := range pj {
		pe += p * p
	}
	if pe >= 1 {
		return FleissResult{}, fmt.Errorf("%w: every rating is in one category", ErrNoVariance)
	}
	return FleissResult{
		Subjects: len(counts), Raters: int(m), Categories: pj,
		Observed: pbar, Chance: pe, Kappa: (pbar - pe) / (1 - pe),
	}, nil
}

func ratingsPerSubject(counts [][]float64) (float64, error) {
	m := -1.0
	for i, row := range counts {
		if len(row) != len(counts[0]) {
			panic("agreement: ragged count table")
		}
		s := 0.0
		for j, c := range row {
			if !(c >= 0) || c != math.Trunc(c) || math.IsInf(c, 0) {
				return 0, fmt.Errorf("agreement: subject %d, category %d: %g is not a count", i+1, j+1, c)
			}
			s += c
		}
		if m >= 0 && s != m {
			return 0, fmt.Errorf("%w: subject %d has %g ratings, subject 1 has %g", ErrUnequalRaters, i+1, s, m)
		}
		m = s
	}
	if m < 2 {
		return 0, fmt.Errorf("%w: Fleiss' kappa needs at least two ratings per subject", ErrTooFew)
	}
	return m, nil
}
