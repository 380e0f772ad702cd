package standardsetting

import (
	"io"
	"math"
	"strings"
)

// EbelGrid holds, for each relevance category (rows) and difficulty
// category (columns), the proportion of such items a borderline candidate
// answers correctly.
type EbelGrid struct {
	Relevance  []string
	Difficulty []string
	P          [][]float64
}

// at returns the grid cell for the categories, ok false if either is unknown.
func (g *EbelGrid) at(rel, dif string) (float64, bool) {
	ri, di := indexFold(g.Relevance, rel), indexFold(g.Difficulty, dif)
	if ri < 0 || di < 0 {
		return 0, false
	}
	return g.P[ri][di], true
}

func indexFold(xs []string, s string) int {
	for i, x := range xs {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

// ReadEbelGrid reads the grid: a header naming the difficulty categories
// after an (often empty) first column, then one row per relevance category
// with a proportion in [0,1] for each difficulty.
func ReadEbelGrid(file string, r io.Reader) (*EbelGrid, error) {
	t, err := readTable(file, r)
	if err != nil {
		return nil, err
	}
	if len(t.header) < 2 || len(t.rows) < 1 {
		return nil, inputErr(file, 0, "", ErrTooFew, "the grid needs a relevance row and a difficulty column")
	}
	if err := t.checkHeaderUnique(1); err != nil {
		return nil, err
	}
	rel, err := t.uniqueLabels(0)
	if err != nil {
		return nil, err
	}
	g := &EbelGrid{Relevance: rel, Difficulty: t.header[1:], P: make([][]float64, len(t.rows))}
	for i := range t.rows {
		g.P[i] = make([]float64, len(g.Difficulty))
		for j := range g.Difficulty {
			if g.P[i][j], err = t.floatIn(i, j+1, 0, 1); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

// EbelItem is one item's relevance and difficulty category.
type EbelItem struct {
	Item, Relevance, Difficulty string
	line                        int
}

// ReadEbelItems reads item,relevance,difficulty rows. The difficulty column
// may be empty when facilities are supplied to Ebel instead.
func ReadEbelItems(file string, r io.Reader) ([]EbelItem, error) {
	t, cols, err := readColumns(file, r, 1, "items", "item", "relevance")
	if err != nil {
		return nil, err
	}
	ic, rc, dc := cols[0], cols[1], t.col("difficulty")
	ids, err := t.uniqueLabels(ic)
	if err != nil {
		return nil, err
	}
	out := make([]EbelItem, len(t.rows))
	for i := range t.rows {
		out[i] = EbelItem{Item: ids[i], Relevance: t.rows[i][rc], line: t.lines[i]}
		if dc >= 0 {
			out[i].Difficulty = t.rows[i][dc]
		}
	}
	return out, nil
}

// EbelDifficulty classifies an item by facility p as R's
// cut(p, c(-Inf, .4, .7, Inf), labels = c("hard","medium","easy")) does:
// hard if p <= 0.4, medium if p <= 0.7, easy otherwise.
func EbelDifficulty(p float64) string {
	switch {
	case p <= 0.4:
		return "hard"
	case p <= 0.7:
		return "medium"
	}
	return "easy"
}

// EbelResult is the Ebel cut.
type EbelResult struct {
	Items  int     `json:"items"`
	Cut    float64 `json:"cut"`
	CutPct float64 `json:"cut_pct"`
	// Cells counts the items in each relevance/difficulty cell.
	Cells []EbelCell `json:"cells"`
}

// EbelCell is one cell of the grid with its item count.
type EbelCell struct {
	Relevance  string  `json:"relevance"`
	Difficulty string  `json:"difficulty"`
	P          float64 `json:"p"`
	Items      int     `json:"items"`
}

// Ebel computes the Ebel (1972, Essentials of Educational Measurement,
// 2nd ed., ch. 18) cut: every item falls in a relevance x difficulty cell
// whose grid value p_rd is the proportion of such items a borderline
// candidate answers correctly; the cut is sum_i p(rel_i, dif_i), in percent
// 100 cut / I. When facility is not nil it replaces the items' difficulty
// categories by EbelDifficulty(facility[i]). An item whose category is not
// in the grid is an error naming the items file and row. Ebel's grid is a
// consensus, so no standard error is reported.
func Ebel(file string, items []EbelItem, g *EbelGrid, facility []float64) (EbelResult, error) {
	if facility != nil && len(facility) != len(items) {
		return EbelResult{}, inputErr(file, 0, "", ErrMismatch, "%d items but %d facilities", len(items), len(facility))
	}
	res := EbelResult{Items: len(items)}
	count := make(map[[2]int]int)
	for i, it := range items {
		dif := it.Difficulty
		if facility != nil {
			dif = EbelDifficulty(facility[i])
		}
		p, ok := g.at(it.Relevance, dif)
		if !ok {
			return EbelResult{}, inputErr(file, it.line, "", ErrRange, "item %q: category %q/%q is not in the grid", it.Item, it.Relevance, dif)
		}
		res.Cut += p
		count[[2]int{indexFold(g.Relevance, it.Relevance), indexFold(g.Difficulty, dif)}]++
	}
	res.CutPct = 100 * res.Cut / math.Max(1, float64(len(items)))
	for r, rel := range g.Relevance {
		for d, dif := range g.Difficulty {
			res.Cells = append(res.Cells, EbelCell{Relevance: rel, Difficulty: dif, P: g.P[r][d], Items: count[[2]int{r, d}]})
		}
	}
	return res, nil
}
