package respmatrix

import "fmt"

// Missing marks a cell for an item the person was not presented.
const Missing int8 = -1

// Matrix is a response matrix: Persons in rows, Items in columns.
type Matrix struct {
	Persons []string // row labels: the person column, or "1", "2", ... when the file has none
	Items   []string // column labels: item ids
	// Groups holds the extra columns named in Options.GroupColumns, by column
	// name, one value per person.
	Groups map[string][]string

	cells []int8 // row-major, len(Persons)*len(Items); 1, 0 or Missing
}

// New returns a matrix over the given cells, which it keeps (row-major).
// It panics if the lengths do not agree or a cell is not 1, 0 or Missing.
func New(persons, items []string, cells []int8) *Matrix {
	if len(persons)*len(items) != len(cells) {
		panic("respmatrix: cell count mismatch")
	}
	for i, c := range cells {
		if c != 0 && c != 1 && c != Missing {
			panic(fmt.Sprintf("respmatrix: cell %d holds %d", i, c))
		}
	}
	return &Matrix{Persons: persons, Items: items, cells: cells}
}

// NumPersons returns the number of rows.
func (m *Matrix) NumPersons() int { return len(m.Persons) }

// NumItems returns the number of columns.
func (m *Matrix) NumItems() int { return len(m.Items) }

// At returns the response of person p to item i: 1, 0 or Missing.
func (m *Matrix) At(p, i int) int8 { return m.cells[p*len(m.Items)+i] }

// Row returns person p's responses; the caller must not modify it.
func (m *Matrix) Row(p int) []int8 {
	k := len(m.Items)
	return m.cells[p*k : (p+1)*k : (p+1)*k]
}
