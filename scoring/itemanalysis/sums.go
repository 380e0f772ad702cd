package itemanalysis

import (
	"math"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// itemSums are exact integer moments of one item x and the total t over the
// persons presented with the item. Integer sums keep the correlations exact
// up to the final division, whatever the number of persons.
type itemSums struct {
	n, x, t, tt, xt int64
}

// totalSums are moments of the total over all analysed persons.
type totalSums struct {
	n, t, tt int64
}

func collectSums(d *prepared) ([]itemSums, totalSums) {
	sums := make([]itemSums, len(d.items))
	var all totalSums
	for r, p := range d.persons {
		row := d.m.Row(p)
		t := int64(d.totals[r])
		all.n++
		all.t += t
		all.tt += t * t
		for j, i := range d.items {
			c := row[i]
			if c == respmatrix.Missing {
				continue
			}
			s := &sums[j]
			s.n++
			s.t += t
			s.tt += t * t
			if c == 1 {
				s.x++
				s.xt += t
			}
		}
	}
	return sums, all
}

// corr is Pearson's correlation from integer moments:
// (nΣxy − ΣxΣy) / sqrt((nΣx² − (Σx)²)(nΣy² − (Σy)²)); nil when a variance is zero.
func corr(n, sx, sy, sxx, syy, sxy int64) *float64 {
	fn := float64(n)
	cov := fn*float64(sxy) - float64(sx)*float64(sy)
	vx := fn*float64(sxx) - float64(sx)*float64(sx)
	vy := fn*float64(syy) - float64(sy)*float64(sy)
	if vx <= 0 || vy <= 0 {
		return nil
	}
	r := cov / math.Sqrt(vx*vy)
	return &r
}

// sampleVar is Σ(y−ȳ)²/(n−1) from integer moments.
func sampleVar(n, sy, syy int64) float64 {
	fn := float64(n)
	return (fn*float64(syy) - float64(sy)*float64(sy)) / (fn * (fn - 1))
}

// pointBiserial is the correlation of the item with the total (item
// included): psych::alpha's raw.r.
func (s itemSums) pointBiserial() *float64 {
	return corr(s.n, s.x, s.t, s.x, s.tt, s.xt)
}

// correctedItemTotal is the correlation of the item with the rest score
// t − x (Henrysson 1963): psych::alpha's r.drop. With x ∈ {0,1},
// Σx(t−x) = Σxt − Σx and Σ(t−x)² = Σt² − 2Σxt + Σx.
func (s itemSums) correctedItemTotal() *float64 {
	return corr(s.n, s.x, s.t-s.x, s.x, s.tt-2*s.xt+s.x, s.xt-s.x)
}

// facility is the proportion correct among persons presented with the item.
func (s itemSums) facility() float64 { return float64(s.x) / float64(s.n) }

// variance is the item's sample variance, n/(n−1)·p(1−p).
func (s itemSums) variance() float64 { return sampleVar(s.n, s.x, s.x) }
