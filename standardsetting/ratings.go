package standardsetting

import (
	"io"
	"math"
	"slices"
)

// Scale says what a judge's rating of an item means.
type Scale int

const (
	// Probability: the probability, in [0,1], that a minimally competent
	// candidate answers the item correctly (modified Angoff).
	Probability Scale = iota
	// YesNo: 1 if a minimally competent candidate would answer correctly,
	// 0 if not (yes/no Angoff, Impara and Plake 1997).
	YesNo
)

// Ratings is one panel's ratings in one round: judges in rows, items in
// columns. Values[j][i] is judge j's rating of item i.
type Ratings struct {
	File   string
	Judges []string
	Items  []string
	Values [][]float64
}

// NumJudges returns the number of judges (rows).
func (r *Ratings) NumJudges() int { return len(r.Judges) }

// NumItems returns the number of items (columns).
func (r *Ratings) NumItems() int { return len(r.Items) }

// ReadRatings reads Angoff ratings: a header row, then one row per judge
// whose first column is the judge's id (the header of that column may be
// empty, as R's write.csv leaves it) and one column per item. Every cell
// must hold a rating on scale; an empty or NA cell is an error naming the
// judge's row and the item. At least two judges and two items are needed.
func ReadRatings(file string, r io.Reader, scale Scale) (*Ratings, error) {
	t, err := readTable(file, r)
	if err != nil {
		return nil, err
	}
	m, err := readLabelledMatrix(t, "judges", func(i, j int) (float64, error) {
		v, err := t.floatIn(i, j, 0, 1)
		if err == nil && scale == YesNo && v != 0 && v != 1 {
			return 0, inputErr(t.file, t.lines[i], t.header[j], ErrRange, "yes/no rating %v is neither 0 nor 1", v)
		}
		return v, err
	})
	if err != nil {
		return nil, err
	}
	return &Ratings{File: file, Judges: m.rows, Items: m.cols, Values: m.values}, nil
}

// ReadNedelsky reads Nedelsky judgements in the layout of ReadRatings: for
// each judge and item, the number of options (1..options) a borderline
// candidate could not eliminate. options <= 0 means no upper bound.
func ReadNedelsky(file string, r io.Reader, options int) (*Ratings, error) {
	t, err := readTable(file, r)
	if err != nil {
		return nil, err
	}
	hi := math.Inf(1)
	if options > 0 {
		hi = float64(options)
	}
	m, err := readLabelledMatrix(t, "judges", func(i, j int) (float64, error) {
		v, err := t.floatIn(i, j, 1, hi)
		if err == nil && v != math.Trunc(v) {
			return 0, inputErr(t.file, t.lines[i], t.header[j], ErrRange, "option count %v is not a whole number", v)
		}
		return v, err
	})
	if err != nil {
		return nil, err
	}
	return &Ratings{File: file, Judges: m.rows, Items: m.cols, Values: m.values}, nil
}

// labelledMatrix is a numeric table with row labels in the first column.
type labelledMatrix struct {
	rows, cols []string
	values     [][]float64
}

// readLabelledMatrix reads t as row labels then numeric columns, cell read by cell.
func readLabelledMatrix(t *table, what string, cell func(i, j int) (float64, error)) (*labelledMatrix, error) {
	if len(t.header) < 3 {
		return nil, inputErr(t.file, 1, "", ErrTooFew, "%d columns: need an id column and at least two items", len(t.header))
	}
	if err := t.checkHeaderUnique(1); err != nil {
		return nil, err
	}
	if err := t.needRows(2, what); err != nil {
		return nil, err
	}
	labels, err := t.uniqueLabels(0)
	if err != nil {
		return nil, err
	}
	m := &labelledMatrix{rows: labels, cols: slices.Clone(t.header[1:]), values: make([][]float64, len(t.rows))}
	for i := range t.rows {
		m.values[i] = make([]float64, len(m.cols))
		for j := range m.cols {
			if m.values[i][j], err = cell(i, j+1); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// Panel is one expert panel's ratings over its rounds, in order (for
// example: independent ratings; then with item data; then with impact
// data). The last round sets the panel's cut.
type Panel struct {
	Name   string
	Rounds []*Ratings
}

// Final returns the last round. It panics if the panel has no rounds.
func (p *Panel) Final() *Ratings {
	if len(p.Rounds) == 0 {
		panic("standardsetting: panel with no rounds")
	}
	return p.Rounds[len(p.Rounds)-1]
}

// CheckItems verifies that every round of every panel rates the same items
// in the same order, returning an error naming the first file that differs.
func CheckItems(panels []*Panel) error {
	var ref *Ratings
	for _, p := range panels {
		for _, r := range p.Rounds {
			if ref == nil {
				ref = r
				continue
			}
			if !slices.Equal(ref.Items, r.Items) {
				return inputErr(r.File, 1, firstDiff(ref.Items, r.Items), ErrMismatch,
					"item list differs from %s (%d items there, %d here)", ref.File, len(ref.Items), len(r.Items))
			}
		}
	}
	return nil
}

// firstDiff names the first item that differs between a and b.
func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return b[i]
		}
	}
	if len(b) > len(a) {
		return b[len(a)]
	}
	return ""
}
