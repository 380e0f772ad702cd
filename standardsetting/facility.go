package standardsetting

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// FacilityCorrelation relates judges' ratings to the items' observed
// facility (proportion correct): a judge who rates hard items as hard
// correlates positively. A correlation that is undefined (a judge who gave
// every item the same rating) is reported as null.
type FacilityCorrelation struct {
	PanelMean *float64           `json:"panel_mean"` // r(mean rating per item, facility)
	Judges    []JudgeCorrelation `json:"judges"`
}

// JudgeCorrelation is one judge's Pearson correlation with item facility.
type JudgeCorrelation struct {
	Judge string   `json:"judge"`
	R     *float64 `json:"r"`
}

// Facility returns each item's mean score (the proportion correct for 0/1
// items) over the rows of the response matrix x.
func Facility(x [][]float64) []float64 { return colMeans(x) }

// FacilityCorrelations computes the Pearson correlation of each judge's
// ratings, and of the panel's mean rating per item, with facility. It panics
// if facility does not have one value per item.
func FacilityCorrelations(r *Ratings, facility []float64) FacilityCorrelation {
	if len(facility) != r.NumItems() {
		panic("standardsetting: facility length mismatch")
	}
	fc := FacilityCorrelation{PanelMean: finiteOrNil(stat.Correlation(colMeans(r.Values), facility, nil))}
	for j, row := range r.Values {
		fc.Judges = append(fc.Judges, JudgeCorrelation{Judge: r.Judges[j], R: finiteOrNil(stat.Correlation(row, facility, nil))})
	}
	return fc
}

// finiteOrNil returns a pointer to v, or nil when v is NaN or infinite, so
// that JSON shows null rather than failing on NaN.
func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
