package rasch

import (
	"strconv"
	"testing"

	"github.com/accredit/accredit/internal/csvtest"
	"github.com/accredit/accredit/scoring/internal/testref"
)

// column returns the named column of a CSV with a header as floats.
func column(t testing.TB, path, name string) []float64 {
	t.Helper()
	recs := csvtest.Read(t, path)
	col := -1
	for j, h := range recs[0] {
		if h == name {
			col = j
		}
	}
	if col < 0 {
		t.Fatalf("%s: no column %q", path, name)
	}
	var out []float64
	for _, rec := range recs[1:] {
		v, err := strconv.ParseFloat(rec[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// fitRaschdat1 summarises eRm's raschdat1 (testdata/00_raschdat1.csv) and
// fits it with the default options.
func fitRaschdat1(t testing.TB) (*Stats, *Calibration) {
	t.Helper()
	m := testref.Matrix(t, "testdata/00_raschdat1.csv")
	st := Summarise(m, nil)
	cal, err := Fit(st, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st, cal
}
