package standardsetting

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

// synthetic builds J judges x I items of ratings and n candidates' 0/1
// responses from a seeded generator.
func synthetic(J, I, n int) (*Ratings, [][]float64, *Candidates) {
	rng := rand.New(rand.NewPCG(20240611, 1))
	r := &Ratings{Judges: make([]string, J), Items: make([]string, I), Values: make([][]float64, J)}
	for i := range I {
		r.Items[i] = "I" + strconv.Itoa(i+1)
	}
	for j := range J {
		r.Judges[j] = "J" + strconv.Itoa(j+1)
		r.Values[j] = make([]float64, I)
		for i := range I {
			r.Values[j][i] = rng.Float64()
		}
	}
	x := make([][]float64, n)
	c := &Candidates{Scores: make([]float64, n), IDs: make([]string, n), GroupNames: []string{"employer"},
		Groups: map[string][]string{"employer": make([]string, n)}}
	for p := range n {
		x[p] = make([]float64, I)
		for i := range I {
			if rng.Float64() < 0.6 {
				x[p][i] = 1
				c.Scores[p]++
			}
		}
		c.IDs[p] = strconv.Itoa(p)
		c.Groups["employer"][p] = "LA" + strconv.Itoa(p%20)
	}
	return r, x, c
}

// BenchmarkAngoffStudy times a full two-panel study (cuts, G study,
// reconciliation, alpha, impact by 20 employers) at national scale.
func BenchmarkAngoffStudy(b *testing.B) {
	for _, n := range []int{1000, 30000} {
		b.Run(fmt.Sprintf("100items_%dcandidates", n), func(b *testing.B) {
			r, x, c := synthetic(12, 100, n)
			panels := []*Panel{{Name: "A", Rounds: []*Ratings{r}}, {Name: "B", Rounds: []*Ratings{r}}}
			o := StudyOptions{Scores: c, Responses: x, ResponseItems: r.Items, K: -1}
			for b.Loop() {
				if _, err := AngoffStudy(panels, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecide times decisions for 30,000 candidates on a knowledge test
// and three stations.
func BenchmarkDecide(b *testing.B) {
	cut := 12.0
	rs := &Rules{Elements: []ElementRule{{Element: "k", Cut: &cut},
		{Element: "p", Rule: NOfM, MinStations: 2, Stations: []StationRule{{"1", 10}, {"2", 10}, {"3", 10}}}}}
	rng := rand.New(rand.NewPCG(7, 7))
	es := &ElementScores{Scores: map[string]map[string]float64{}}
	for p := range 30000 {
		id := strconv.Itoa(p)
		es.Candidates = append(es.Candidates, id)
		es.Scores[id] = map[string]float64{"k": float64(rng.IntN(31)), "1": float64(rng.IntN(21)), "2": float64(rng.IntN(21)), "3": float64(rng.IntN(21))}
	}
	for b.Loop() {
		Decide(rs, es)
	}
}
