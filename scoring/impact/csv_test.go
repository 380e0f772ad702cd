package impact

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"slices"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/report.csv")

// TestWriteCSV reads the CSV back and checks it line by line against the
// report: one line per cell, suppressed lines with no number.
func TestWriteCSV(t *testing.T) {
	rep, err := Build(cohortRows(31, 1200, 15, 5), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], csvHeader) {
		t.Fatalf("header %v", recs[0])
	}
	var want []Cell
	want = append(want, rep.Overall)
	for _, tb := range rep.Tables {
		want = append(want, tb.Cells...)
	}
	for _, f := range rep.Impact {
		for _, g := range f.Groups {
			want = append(want, g.Cell)
		}
	}
	if len(recs)-1 != len(want) {
		t.Fatalf("%d lines, want %d", len(recs)-1, len(want))
	}
	col := func(name string) int { return slices.Index(csvHeader, name) }
	suppressed := 0
	for i, rec := range recs[1:] {
		c := want[i]
		if c.Suppressed {
			suppressed++
			if rec[col("suppressed")] != "yes" || rec[col("n")] != "" || rec[col("passed")] != "" ||
				rec[col("rate")] != "" || rec[col("ci_low")] != "" || rec[col("ci_high")] != "" {
				t.Errorf("line %d: suppressed cell written %v", i+2, rec)
			}
			continue
		}
		n, _ := strconv.Atoi(rec[col("n")])
		x, _ := strconv.Atoi(rec[col("passed")])
		rate, _ := strconv.ParseFloat(rec[col("rate")], 64)
		if rec[col("suppressed")] != "no" || n != c.N || x != c.Passed || rate != c.Rate && rec[col("rate")] != fixed(c.Rate) {
			t.Errorf("line %d: %v, want %+v", i+2, rec, c)
		}
	}
	if suppressed == 0 {
		t.Error("no suppressed cell: the case tests nothing")
	}
}

// TestWriteCSVGolden holds the format to testdata/report.csv (go test
// -run WriteCSVGolden -update rewrites it).
func TestWriteCSVGolden(t *testing.T) {
	var rows []Row
	rows = ageRows(rows, "under 30", 120, 200)
	rows = ageRows(rows, "50 and over", 40, 100)
	rows = ageRows(rows, "", 3, 12)
	for i := range rows {
		if i%3 == 0 {
			rows[i].Employer, rows[i].Cohort = "LA2", "W2"
		}
		if i%50 == 0 {
			rows[i].Employer = "LA3"
		}
		rows[i].Elements = map[string]bool{"knowledge": rows[i].Outcome == Met || i%2 == 0}
	}
	rep, err := Build(rows, Options{Crossings: [][2]Dim{{ByEmployer, ByCohort}}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/report.csv", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/report.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("CSV differs from testdata/report.csv:\n%s", buf.Bytes())
	}
}
