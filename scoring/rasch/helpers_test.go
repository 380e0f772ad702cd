package rasch

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// loadMatrix reads a 0/1/empty CSV with a header of item ids (R's
// write.csv output, as in testdata/) into a Matrix.
func loadMatrix(t testing.TB, path string) *respmatrix.Matrix {
	t.Helper()
	recs := readCSV(t, path)
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

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// column returns the named column of a CSV with a header as floats.
func column(t testing.TB, path, name string) []float64 {
	t.Helper()
	recs := readCSV(t, path)
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
