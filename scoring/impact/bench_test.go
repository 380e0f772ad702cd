package impact

import (
	"io"
	"testing"
)

// BenchmarkBuild times the report for a national cohort: 30,000 decisions
// over 150 employers and 12 windows (England has about 30,000 child and
// family social workers and some 150 local authorities), and for smaller
// programmes.
func BenchmarkBuild(b *testing.B) {
	for _, size := range []struct {
		name                string
		n, employers, windw int
	}{
		{"n=1000", 1000, 6, 3},
		{"n=10000", 10000, 20, 6},
		{"n=30000", 30000, 150, 12},
	} {
		rows := cohortRows(99, size.n, size.employers, size.windw)
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(rows, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuildCSV is the page's CSV download: Build and WriteCSV.
func BenchmarkBuildCSV(b *testing.B) {
	rows := cohortRows(99, 30000, 150, 12)
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Build(rows, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
