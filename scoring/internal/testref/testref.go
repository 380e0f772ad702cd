package testref

import (
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/internal/csvtest"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// Rows reads a CSV written by R's write.csv into rows keyed by header.
func Rows(t testing.TB, path string) []map[string]string {
	t.Helper()
	recs := csvtest.Read(t, path)
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for j, h := range recs[0] {
			row[h] = rec[j]
		}
		out = append(out, row)
	}
	return out
}

// Num parses a reference number.
func Num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Near reports got as wrong unless it is within tol of want, absolutely or
// relatively (scalar.EqualWithinAbsOrRel).
func Near(t testing.TB, name string, got, want, tol float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

// Labelled reads a text file of reference numbers printed as label=value
// (R's cat output) and returns a lookup of the number after a label; the
// lookup fails the test when the label is not there.
func Labelled(t testing.TB, path string) func(label string) float64 {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return func(label string) float64 {
		t.Helper()
		m := regexp.MustCompile(regexp.QuoteMeta(label) + `=([-0-9.e]+)`).FindSubmatch(text)
		if m == nil {
			t.Fatalf("%s: no %s", path, label)
		}
		return Num(t, string(m[1]))
	}
}

// NearColumns checks each value of got against the number in the reference
// row's column of the same name, to tol (Near); a failure names id and the
// column. Columns are checked in name order.
func NearColumns(t testing.TB, id string, row map[string]string, tol float64, got map[string]float64) {
	t.Helper()
	for _, col := range slices.Sorted(maps.Keys(got)) {
		Near(t, id+" "+col, got[col], Num(t, row[col]), tol)
	}
}

// Matrix reads a 0/1/empty CSV with a header of item ids (R's write.csv
// output) into a Matrix whose persons are numbered from 1.
func Matrix(t testing.TB, path string) *respmatrix.Matrix {
	t.Helper()
	recs := csvtest.Read(t, path)
	items := recs[0]
	var persons []string
	var cells []int8
	for p, rec := range recs[1:] {
		persons = append(persons, strconv.Itoa(p+1))
		for _, c := range rec {
			switch strings.TrimSpace(c) {
			case "1":
				cells = append(cells, 1)
			case "0":
				cells = append(cells, 0)
			default:
				cells = append(cells, respmatrix.Missing)
			}
		}
	}
	return respmatrix.New(persons, items, cells)
}
