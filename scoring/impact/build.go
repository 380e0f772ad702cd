package impact

import (
	"fmt"
	"slices"
	"strings"
)

// Build validates the rows and options and computes the Report. A bad row
// is a *RowError; nothing is computed from partly bad input.
func Build(rows []Row, opt Options) (*Report, error) {
	b, err := newBuilder(rows, opt)
	if err != nil {
		return nil, err
	}
	b.aggregate()
	suppress(b.items, b.networks())
	return b.report()
}

// counts is a cell's count before suppression.
type counts struct {
	n, x       int
	suppressed bool
}

// dict numbers the labels of one dimension.
type dict struct {
	ids    map[string]int32
	labels []string
}

func (d *dict) id(s string) int32 {
	if i, ok := d.ids[s]; ok {
		return i
	}
	i := int32(len(d.labels))
	d.ids[s] = i
	d.labels = append(d.labels, s)
	return i
}

// tab is a table under construction: its cells in sorted order, each the
// index of its counts in builder.items.
type tab struct {
	name  string
	dims  []Dim
	keys  [][2]int32 // label ids per cell; the second unused in one-way tables
	items []int
}

type builder struct {
	rows     []Row
	opt      Options
	min      int
	crossing [][2]Dim
	dicts    map[Dim]*dict
	vals     [][5]int32 // per row: employer, endorser, phase, cohort, status ids
	elems    []int32    // element ids of row i at elemAt[i]:elemAt[i+1]
	elemPass []bool     // whether each of elems was passed
	elemAt   []int
	order    map[Dim][]int // rank of each label id

	items   []counts
	overall int
	one     map[Dim]*tab
	cross   []*tab
	fields  []*tab // one per monitoring field; key id 0 is "not stated"
	fdicts  []*dict
}

// valueDims are the dims with one value per row, in vals order.
var valueDims = []Dim{ByEmployer, ByEndorser, ByPhase, ByCohort, ByStatus}

func newBuilder(rows []Row, opt Options) (*builder, error) {
	if len(rows) == 0 {
		return nil, ErrNoRows
	}
	b := &builder{rows: rows, opt: opt, min: opt.MinCount, crossing: opt.Crossings}
	if b.min == 0 {
		b.min = DefaultMinCount
	}
	if b.min < 1 {
		return nil, ErrMinCount
	}
	if b.crossing == nil {
		b.crossing = defaultCrossings
	}
	if err := checkCrossings(b.crossing); err != nil {
		return nil, err
	}
	windows := map[string]bool{}
	for _, w := range opt.Windows {
		if strings.TrimSpace(w) == "" || windows[w] {
			return nil, ErrWindows
		}
		windows[w] = true
	}
	seen := make(map[[2]string]int, len(rows))
	for i := range rows {
		r := &rows[i]
		if err := r.check(i); err != nil {
			return nil, err
		}
		if opt.Windows != nil && !windows[r.Cohort] {
			return nil, &RowError{Row: i, Field: "cohort", Value: r.Cohort, Err: ErrUnknownWindow}
		}
		k := [2]string{r.Person, r.Cohort}
		if j, dup := seen[k]; dup {
			return nil, &RowError{Row: i, Field: "person", Value: r.Person,
				Err: fmt.Errorf("%w (rows %d and %d)", ErrDuplicate, j, i)}
		}
		seen[k] = i
	}
	return b, nil
}

func checkCrossings(cs [][2]Dim) error {
	seen := map[[2]Dim]bool{}
	for _, c := range cs {
		switch {
		case !slices.Contains(dims, c[0]) || !slices.Contains(dims, c[1]):
			return fmt.Errorf("impact: crossing %s x %s: unknown dimension", c[0], c[1])
		case c[0] == c[1]:
			return fmt.Errorf("impact: crossing %s with itself", c[0])
		case c[1] == ByElement:
			return fmt.Errorf("impact: crossing %s x %s: put %s first", c[0], c[1], ByElement)
		case seen[c]:
			return fmt.Errorf("impact: crossing %s x %s listed twice", c[0], c[1])
		}
		seen[c] = true
	}
	return nil
}
