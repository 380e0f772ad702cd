package rasch

import (
	"fmt"
	"testing"
)

// Benchmarks on seeded simulated data, 100 items: the calibration with SEs
// (Summarise + Fit) and the whole analysis (fit, persons, LR test).
func BenchmarkCML(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		m := simulate(42, n, 100, 0)
		b.Run(fmt.Sprintf("fit/persons=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Fit(Summarise(m, nil), FitOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("analyse/persons=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Analyse(m, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
