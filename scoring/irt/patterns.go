package irt

import "github.com/accredit/accredit/scoring/respmatrix"

// patterns is the data reduced to distinct response vectors (missing kept)
// over the items in cols, with their frequencies.
type patterns struct {
	resp  [][]int8 // one row per distinct pattern, parallel to cols
	count []float64
	empty int // persons with no response on the items
}

func collapse(m *respmatrix.Matrix, cols []int) *patterns {
	pt := &patterns{}
	index := map[string]int{}
	key := make([]byte, len(cols))
	for p := range m.NumPersons() {
		row := m.Row(p)
		any := false
		for j, c := range cols {
			key[j] = byte(row[c] + 1)
			any = any || row[c] != respmatrix.Missing
		}
		if !any {
			pt.empty++
			continue
		}
		if i, ok := index[string(key)]; ok {
			pt.count[i]++
			continue
		}
		r := make([]int8, len(cols))
		for j, c := range cols {
			r[j] = row[c]
		}
		index[string(key)] = len(pt.resp)
		pt.resp = append(pt.resp, r)
		pt.count = append(pt.count, 1)
	}
	return pt
}

// itemCounts returns, per item, correct responses and persons presented.
func (pt *patterns) itemCounts(k int) (correct, presented []float64) {
	correct, presented = make([]float64, k), make([]float64, k)
	for p, r := range pt.resp {
		for j, x := range r {
			if x != respmatrix.Missing {
				presented[j] += pt.count[p]
				correct[j] += pt.count[p] * float64(x)
			}
		}
	}
	return correct, presented
}
