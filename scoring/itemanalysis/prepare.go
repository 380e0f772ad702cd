package itemanalysis

import "github.com/accredit/accredit/scoring/respmatrix"

// prepared is a matrix reduced to the analysed items and persons, with each
// person's total.
type prepared struct {
	m        *respmatrix.Matrix
	items    []int // analysed item columns of m
	persons  []int // analysed rows of m
	totals   []int // per analysed person: number correct over analysed items
	excluded []ExcludedItem
	dropped  []string // ids of excluded persons
	missing  int      // missing cells among analysed persons and items
}

// prepare applies the exclusions documented in the package comment.
func prepare(m *respmatrix.Matrix) (*prepared, error) {
	k := m.NumItems()
	n := make([]int, k)
	s := make([]int, k)
	for p := range m.NumPersons() {
		for i, c := range m.Row(p) {
			if c != respmatrix.Missing {
				n[i]++
				s[i] += int(c)
			}
		}
	}
	d := &prepared{m: m}
	for i := range k {
		switch {
		case n[i] == 0:
			d.excluded = append(d.excluded, ExcludedItem{ID: m.Items[i], N: 0, Reason: ReasonNotPresented})
		case s[i] == n[i]:
			d.excluded = append(d.excluded, ExcludedItem{ID: m.Items[i], N: n[i], Reason: ReasonAllCorrect})
		case s[i] == 0:
			d.excluded = append(d.excluded, ExcludedItem{ID: m.Items[i], N: n[i], Reason: ReasonAllIncorrect})
		default:
			d.items = append(d.items, i)
		}
	}
	if len(d.items) < 2 {
		return nil, ErrTooFewItems
	}
	for p := range m.NumPersons() {
		row := m.Row(p)
		tot, seen := 0, 0
		for _, i := range d.items {
			if c := row[i]; c != respmatrix.Missing {
				tot += int(c)
				seen++
			}
		}
		if seen == 0 {
			d.dropped = append(d.dropped, m.Persons[p])
			continue
		}
		d.persons = append(d.persons, p)
		d.totals = append(d.totals, tot)
		d.missing += len(d.items) - seen
	}
	if len(d.persons) < 2 {
		return nil, ErrTooFewPersons
	}
	return d, nil
}
