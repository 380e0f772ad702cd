package rasch

import "github.com/accredit/accredit/scoring/respmatrix"

// Stats holds the sufficient statistics of conditional maximum likelihood:
// for each pattern of presented items, the number of persons at each raw
// score and their item totals. Items are numbered by position in Cols.
type Stats struct {
	Cols     []int      // matrix column of each item, in item-position order
	Patterns []*Pattern // distinct patterns of presented items
	// PersonPattern and PersonScore map each matrix row to its pattern
	// index and raw score; the pattern is -1 for a person with no response
	// on the items in Cols.
	PersonPattern []int32
	PersonScore   []int32
}

// Pattern is one set of presented items and its score groups.
type Pattern struct {
	Items  []int         // item positions (indices into Stats.Cols), ascending
	Groups []*ScoreGroup // indexed by raw score 0..len(Items); nil where empty
}

// ScoreGroup holds the persons of one pattern with one raw score.
type ScoreGroup struct {
	N      float64   // number of persons
	Totals []float64 // correct responses per item, parallel to Pattern.Items
}

// Summarise makes one pass over m and returns the statistics for the items
// in columns cols (nil means every column).
func Summarise(m *respmatrix.Matrix, cols []int) *Stats {
	if cols == nil {
		cols = make([]int, m.NumItems())
		for i := range cols {
			cols[i] = i
		}
	}
	k := len(cols)
	st := &Stats{
		Cols:          cols,
		PersonPattern: make([]int32, m.NumPersons()),
		PersonScore:   make([]int32, m.NumPersons()),
	}
	index := map[string]int{}
	complete := -1
	key := make([]byte, (k+7)/8)
	for p := range m.NumPersons() {
		row := m.Row(p)
		score, presented := 0, 0
		for _, c := range cols {
			if v := row[c]; v != respmatrix.Missing {
				presented++
				score += int(v)
			}
		}
		if presented == 0 {
			st.PersonPattern[p], st.PersonScore[p] = -1, 0
			continue
		}
		var pi int
		if presented == k {
			if complete < 0 {
				complete = st.addPattern(allItems(k))
			}
			pi = complete
		} else {
			pi = st.patternFor(row, cols, key, index)
		}
		st.PersonPattern[p], st.PersonScore[p] = int32(pi), int32(score)
		st.Patterns[pi].add(row, cols, score)
	}
	return st
}

func allItems(k int) []int {
	items := make([]int, k)
	for i := range items {
		items[i] = i
	}
	return items
}

func (st *Stats) addPattern(items []int) int {
	st.Patterns = append(st.Patterns, &Pattern{Items: items, Groups: make([]*ScoreGroup, len(items)+1)})
	return len(st.Patterns) - 1
}

func (st *Stats) patternFor(row []int8, cols []int, key []byte, index map[string]int) int {
	clear(key)
	for j, c := range cols {
		if row[c] != respmatrix.Missing {
			key[j/8] |= 1 << (j % 8)
		}
	}
	if pi, ok := index[string(key)]; ok {
		return pi
	}
	var items []int
	for j, c := range cols {
		if row[c] != respmatrix.Missing {
			items = append(items, j)
		}
	}
	pi := st.addPattern(items)
	index[string(key)] = pi
	return pi
}

func (pt *Pattern) add(row []int8, cols []int, score int) {
	g := pt.Groups[score]
	if g == nil {
		g = &ScoreGroup{Totals: make([]float64, len(pt.Items))}
		pt.Groups[score] = g
	}
	g.N++
	for j, it := range pt.Items {
		if row[cols[it]] == 1 {
			g.Totals[j]++
		}
	}
}

// informative reports whether raw score r on m presented items carries
// information for CML (0 < r < m).
func informative(r, m int) bool { return r > 0 && r < m }

// ItemCounts returns, per item position, the correct responses and the
// persons presented, counting only persons with a non-extreme raw score
// when informativeOnly is set.
func (st *Stats) ItemCounts(informativeOnly bool) (correct, presented []float64) {
	k := len(st.Cols)
	correct, presented = make([]float64, k), make([]float64, k)
	for _, pt := range st.Patterns {
		m := len(pt.Items)
		for r, g := range pt.Groups {
			if g == nil || (informativeOnly && !informative(r, m)) {
				continue
			}
			for j, it := range pt.Items {
				correct[it] += g.Totals[j]
				presented[it] += g.N
			}
		}
	}
	return correct, presented
}

// Split returns the statistics restricted to the score groups for which
// keep(raw score) is true; patterns and person maps are shared.
func (st *Stats) Split(keep func(score int) bool) *Stats {
	out := &Stats{Cols: st.Cols}
	for _, pt := range st.Patterns {
		np := &Pattern{Items: pt.Items, Groups: make([]*ScoreGroup, len(pt.Groups))}
		for r, g := range pt.Groups {
			if g != nil && keep(r) {
				np.Groups[r] = g
			}
		}
		out.Patterns = append(out.Patterns, np)
	}
	return out
}

// scoreCounts returns the number of persons at each raw score, over all
// patterns, indexed 0..max items presented.
func (st *Stats) scoreCounts() []float64 {
	var n []float64
	for _, pt := range st.Patterns {
		for r, g := range pt.Groups {
			if g == nil {
				continue
			}
			for len(n) <= r {
				n = append(n, 0)
			}
			n[r] += g.N
		}
	}
	return n
}
