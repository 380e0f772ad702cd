package fairness

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// benchData generates n persons by k Rasch items, half of them focal, with
// uniform DIF of 0.5 logits on every tenth item; seeded.
func benchData(n, k int) (*respmatrix.Matrix, []int8) {
	rng := rand.New(rand.NewPCG(2026, 4))
	cells := make([]int8, n*k)
	member := make([]int8, n)
	for p := range n {
		member[p] = int8(p % 2)
		theta := rng.NormFloat64()
		for i := range k {
			b := -2 + 4*float64(i)/float64(k-1)
			if i%10 == 0 && member[p] == Focal {
				b += 0.5
			}
			if rng.Float64() < 1/(1+math.Exp(b-theta)) {
				cells[p*k+i] = 1
			}
		}
	}
	return respmatrix.New(make([]string, n), make([]string, k), cells), member
}

// BenchmarkDIF times Mantel-Haenszel alone and with the three logistic fits
// per item at 10,000 and 50,000 persons x 100 items.
func BenchmarkDIF(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		m, member := benchData(n, 100)
		for _, skip := range []bool{true, false} {
			name := fmt.Sprintf("persons=%d/items=100/mh+lr", n)
			if skip {
				name = fmt.Sprintf("persons=%d/items=100/mh", n)
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					DIF(m, member, Options{SkipLogistic: skip})
				}
			})
		}
	}
}
