package respmatrix

import "fmt"

// Cell values given to New; At returns 1, 0 or Missing.
const (
	// Missing marks a cell for an item the person was not presented.
	Missing int8 = -1
	// Omitted marks, in the cells given to New, an item presented and left
	// unanswered. The matrix scores it 0 (At returns 0) and remembers the
	// omission (IsOmitted, Omissions).
	Omitted int8 = -2
)

// Codes of the CSV files (see docs/psychometrics.md).
const (
	// OmittedCode is the matrix cell of an item presented and left
	// unanswered: numeric, so that R and pandas keep the column numeric, and
	// the "omitted" code of large-scale assessments (PISA, TIMSS).
	OmittedCode = "9"
	// OmittedChoice is the choices cell of an item presented and left
	// unanswered. It cannot be an option id (ids start with a letter or
	// digit), scores 0 like any choice that is not the key, and appears in a
	// distractor analysis as an option of its own: its share is the item's
	// omission rate.
	OmittedChoice = "-"
	// ChoiceSep joins, in a choices or key cell, the options of a
	// multiple-response item, sorted: "a+d".
	ChoiceSep = "+"
)

// Matrix is a response matrix: Persons in rows, Items in columns.
type Matrix struct {
	Persons []string // row labels: the person column, or "1", "2", ... when the file has none
	Items   []string // column labels: item ids
	// Groups holds the extra columns named in Options.GroupColumns, by column
	// name, one value per person.
	Groups map[string][]string
	// Partial names the item columns of the file that held partial
	// scores, left out of the matrix: every analysis of a Matrix is of
	// items scored 1 or 0.
	Partial []string

	cells   []int8   // row-major, len(Persons)*len(Items); 1, 0 or Missing
	omitted []uint64 // bit per cell: presented and left unanswered (cell 0); nil when none
	omits   []int    // omissions per item; nil when none
}

// New returns a matrix over the given cells, which it keeps (row-major).
// Omitted cells are stored as 0 and remembered as omissions. It panics if
// the lengths do not agree or a cell is not 1, 0, Missing or Omitted.
func New(persons, items []string, cells []int8) *Matrix {
	if len(persons)*len(items) != len(cells) {
		panic("respmatrix: cell count mismatch")
	}
	m := &Matrix{Persons: persons, Items: items, cells: cells}
	for i, c := range cells {
		switch c {
		case 0, 1, Missing:
		case Omitted:
			m.omit(i)
		default:
			panic(fmt.Sprintf("respmatrix: cell %d holds %d", i, c))
		}
	}
	return m
}

// omit records cell i as omitted and scores it 0.
func (m *Matrix) omit(i int) {
	if m.omitted == nil {
		m.omitted = make([]uint64, (len(m.cells)+63)/64)
		m.omits = make([]int, len(m.Items))
	}
	m.cells[i] = 0
	m.omitted[i/64] |= 1 << (i % 64)
	m.omits[i%len(m.Items)]++
}

// NumPersons returns the number of rows.
func (m *Matrix) NumPersons() int { return len(m.Persons) }

// NumItems returns the number of columns.
func (m *Matrix) NumItems() int { return len(m.Items) }

// At returns the response of person p to item i: 1, 0 or Missing. An
// omitted item is 0.
func (m *Matrix) At(p, i int) int8 { return m.cells[p*len(m.Items)+i] }

// Row returns person p's responses; the caller must not modify it.
func (m *Matrix) Row(p int) []int8 {
	k := len(m.Items)
	return m.cells[p*k : (p+1)*k : (p+1)*k]
}

// IsOmitted reports whether person p was presented item i and left it
// unanswered (At returns 0).
func (m *Matrix) IsOmitted(p, i int) bool {
	if m.omitted == nil {
		return false
	}
	j := p*len(m.Items) + i
	return m.omitted[j/64]&(1<<(j%64)) != 0
}

// Omissions returns the number of persons who were presented item i and
// left it unanswered.
func (m *Matrix) Omissions(i int) int {
	if m.omits == nil {
		return 0
	}
	return m.omits[i]
}
