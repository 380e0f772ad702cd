package itemanalysis

import (
	"math"

	"github.com/accredit/accredit/scoring/reliability"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// Analyse computes the classical item analysis of m, after the exclusions
// described in the package comment.
func Analyse(m *respmatrix.Matrix) (*Report, error) {
	d, err := prepare(m)
	if err != nil {
		return nil, err
	}
	return analysePrepared(d)
}

func analysePrepared(d *prepared) (*Report, error) {
	sums, all := collectSums(d)
	totalVar := sampleVar(all.n, all.t, all.tt)
	if totalVar <= 0 {
		return nil, ErrNoVariance
	}
	k := len(d.items)
	fn := float64(all.n)
	mean := float64(all.t) / fn
	var sumVar, sumPQ float64
	for _, s := range sums {
		sumVar += s.variance()
		p := s.facility()
		sumPQ += p * (1 - p)
	}
	a := reliability.Alpha(k, sumVar, totalVar)
	sd := math.Sqrt(totalVar)
	r := &Report{
		Persons:         int(all.n),
		NumItems:        k,
		MissingCells:    d.missing,
		MeanTotal:       mean,
		SDTotal:         sd,
		Alpha:           a,
		KR20:            reliability.KR20(k, sumPQ, totalVar*(fn-1)/fn),
		KR21:            reliability.KR21(k, mean, totalVar),
		SEM:             reliability.SEM(sd, a),
		CSEM:            lordCSEM(k),
		ExcludedItems:   nonNil(d.excluded),
		ExcludedPersons: nonNil(d.dropped),
	}
	ds := upperLowerD(d)
	r.Items = make([]Item, k)
	for j, s := range sums {
		it := Item{
			ID:                 d.m.Items[d.items[j]],
			N:                  int(s.n),
			Facility:           s.facility(),
			PointBiserial:      s.pointBiserial(),
			CorrectedItemTotal: s.correctedItemTotal(),
			AlphaIfDeleted:     alphaIfDeleted(k, sumVar-s.variance(), all, s),
			UpperLowerD:        ds[j],
		}
		it.Flags = reviewFlags(it)
		r.Items[j] = it
	}
	return r, nil
}

// alphaIfDeleted is alpha over the other k−1 items: their variances and the
// variance of t − x over all analysed persons (x = 0 where not presented).
// Nil when k−1 < 2 or the rest score has no variance.
func alphaIfDeleted(k int, restItemVar float64, all totalSums, s itemSums) *float64 {
	if k-1 < 2 {
		return nil
	}
	restVar := sampleVar(all.n, all.t-s.x, all.tt-2*s.xt+s.x)
	if restVar <= 0 {
		return nil
	}
	v := reliability.Alpha(k-1, restItemVar, restVar)
	return &v
}

// reviewFlags applies the review rules documented on the Flag constants.
func reviewFlags(it Item) []string {
	flags := []string{}
	if (it.CorrectedItemTotal != nil && *it.CorrectedItemTotal < 0) || (it.UpperLowerD != nil && *it.UpperLowerD < 0) {
		flags = append(flags, FlagNegativeDiscrimination)
	}
	if it.Facility > EasyAbove {
		flags = append(flags, FlagTooEasy)
	}
	if it.Facility < HardBelow {
		flags = append(flags, FlagTooHard)
	}
	return flags
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
