package itemanalysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// raschMatrix generates n persons by k items under the Rasch model with
// abilities N(0,1) and difficulties evenly spread over [-2, 2], seeded.
func raschMatrix(n, k int, seed uint64) *respmatrix.Matrix {
	rng := rand.New(rand.NewPCG(seed, 1))
	cells := make([]int8, n*k)
	for p := range n {
		theta := rng.NormFloat64()
		for i := range k {
			b := -2 + 4*float64(i)/float64(k-1)
			if rng.Float64() < 1/(1+math.Exp(b-theta)) {
				cells[p*k+i] = 1
			}
		}
	}
	persons := make([]string, n)
	for p := range persons {
		persons[p] = strconv.Itoa(p + 1)
	}
	items := make([]string, k)
	for i := range items {
		items[i] = "I" + strconv.Itoa(i+1)
	}
	return respmatrix.New(persons, items, cells)
}

// BenchmarkAnalyse times the full item analysis (all item statistics,
// reliability, upper-lower D) at 10,000 and 50,000 persons x 100 items.
func BenchmarkAnalyse(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		m := raschMatrix(n, 100, 2026)
		b.Run(fmt.Sprintf("persons=%d/items=100", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Analyse(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
