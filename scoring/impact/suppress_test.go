package impact

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func employerRows(sizes map[string]int) []Row {
	var rows []Row
	for emp, n := range sizes {
		for i := range n {
			rows = append(rows, Row{
				Person: fmt.Sprintf("%s-%d", emp, i), Employer: emp, Phase: Phase1, Cohort: "W1",
				Status: Practitioner, Outcome: Met,
			})
		}
	}
	return rows
}

// TestSuppressOneWay: one small employer is hidden together with the
// smallest other one, so the overall total less the published employers
// leaves the sum of two unknowns.
func TestSuppressOneWay(t *testing.T) {
	rep, err := Build(employerRows(map[string]int{"A": 5, "B": 50, "C": 60, "D": 70}), Options{Crossings: [][2]Dim{}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"A": true, "B": true, "C": false, "D": false}
	for _, c := range rep.Table("employer").Cells {
		if c.Suppressed != want[c.Keys[0]] {
			t.Errorf("employer %s suppressed %v", c.Keys[0], c.Suppressed)
		}
		if c.Suppressed && (c.N != 0 || c.Passed != 0 || c.Rate != 0 || c.Lo != 0 || c.Hi != 0) {
			t.Errorf("suppressed %s carries numbers: %+v", c.Keys[0], c)
		}
	}
	if rep.Overall.Suppressed || rep.Overall.N != 185 {
		t.Errorf("overall %+v", rep.Overall)
	}
	// MinCount is configurable: at 4 nothing is hidden.
	rep, err = Build(employerRows(map[string]int{"A": 5, "B": 50}), Options{MinCount: 4, Crossings: [][2]Dim{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Table("employer").Cells {
		if c.Suppressed {
			t.Errorf("MinCount 4: %s suppressed", c.Keys[0])
		}
	}
	// Everyone in one small employer: all is hidden, the overall too.
	rep, err = Build(employerRows(map[string]int{"A": 7}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Overall.Suppressed || !rep.Table("employer").Cells[0].Suppressed {
		t.Error("a report of 7 decisions publishes a count")
	}
}

// system is the set of linear equations a reader of a report can write:
// each published total equals the sum of its parts. Unknowns are the
// suppressed cells.
type system struct {
	unknown map[string]int
	names   []string
	rows    [][]float64 // coefficients over unknowns, grown as they appear
}

func (s *system) term(row map[int]float64, name string, sign float64, c Cell) {
	if !c.Suppressed {
		return
	}
	i, ok := s.unknown[name]
	if !ok {
		i = len(s.names)
		s.unknown[name] = i
		s.names = append(s.names, name)
	}
	row[i] += sign
}

func (s *system) add(row map[int]float64) {
	if len(row) == 0 {
		return
	}
	r := make([]float64, len(s.names))
	for i, v := range row {
		r[i] = v
	}
	s.rows = append(s.rows, r)
}

// determined lists the unknowns whose value the equations fix: those whose
// unit vector lies in the row space, found from the reduced row echelon
// form (an unknown is free of the null space iff it is a pivot whose row has
// no entry in a free column).
func (s *system) determined() []string {
	n := len(s.names)
	m := make([][]float64, len(s.rows))
	for i, r := range s.rows {
		m[i] = make([]float64, n)
		copy(m[i], r)
	}
	pivotRow := make([]int, n)
	for i := range pivotRow {
		pivotRow[i] = -1
	}
	r := 0
	for c := 0; c < n && r < len(m); c++ {
		p := -1
		for i := r; i < len(m); i++ {
			if math.Abs(m[i][c]) > 1e-9 && (p < 0 || math.Abs(m[i][c]) > math.Abs(m[p][c])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		piv := m[r][c]
		for j := range m[r] {
			m[r][j] /= piv
		}
		for i := range m {
			if i != r && math.Abs(m[i][c]) > 1e-12 {
				f := m[i][c]
				for j := range m[i] {
					m[i][j] -= f * m[r][j]
				}
			}
		}
		pivotRow[c] = r
		r++
	}
	var out []string
	for c := range n {
		pr := pivotRow[c]
		if pr < 0 {
			continue
		}
		free := false
		for j := range n {
			if pivotRow[j] < 0 && math.Abs(m[pr][j]) > 1e-9 {
				free = true
			}
		}
		if !free {
			out = append(out, s.names[c])
		}
	}
	return out
}

// equations reads from a report every additive relation between its
// published numbers: overall = sum of each partition's cells (one-way
// tables other than element, each monitoring field); a one-way cell = the
// sum of its row or column of each crossing; an element's count = the sum
// of its row of each element crossing.
func equations(rep *Report) *system {
	s := &system{unknown: map[string]int{}}
	name := func(table string, keys ...string) string { return table + "|" + strings.Join(keys, "|") }
	one := map[string]Cell{}
	for _, t := range rep.Tables {
		if len(t.Dims) == 1 {
			for _, c := range t.Cells {
				one[name(t.Name, c.Keys...)] = c
			}
		}
	}
	partition := func(table string, cells []Cell) {
		row := map[int]float64{}
		s.term(row, "overall", -1, rep.Overall)
		for _, c := range cells {
			s.term(row, name(table, c.Keys...), 1, c)
		}
		s.add(row)
	}
	for _, t := range rep.Tables {
		if len(t.Dims) == 1 && t.Dims[0] != ByElement {
			partition(t.Name, t.Cells)
		}
	}
	for _, f := range rep.Impact {
		var cells []Cell
		for _, g := range f.Groups {
			c := g.Cell
			c.Keys = []string{g.Group}
			cells = append(cells, c)
		}
		partition(string(f.Field), cells)
	}
	for _, t := range rep.Tables {
		if len(t.Dims) != 2 {
			continue
		}
		for axis := range 2 {
			if axis == 1 && t.Dims[0] == ByElement {
				continue
			}
			lines := map[string]map[int]float64{}
			var order []string
			for _, c := range t.Cells {
				k := c.Keys[axis]
				if lines[k] == nil {
					lines[k] = map[int]float64{}
					order = append(order, k)
					m := name(string(t.Dims[axis]), k)
					s.term(lines[k], m, -1, one[m])
				}
				s.term(lines[k], name(t.Name, c.Keys...), 1, c)
			}
			for _, k := range order {
				s.add(lines[k])
			}
		}
	}
	return s
}

// TestSuppressionAudit checks, on generated programmes with many small
// cells, that every cell under the minimum is suppressed and that no
// suppressed count can be worked out from the published ones by any
// combination of the report's additive relations (within and across
// tables), by linear algebra rather than the graph argument Build uses.
func TestSuppressionAudit(t *testing.T) {
	for _, tc := range []struct {
		seed                uint64
		n, employers, windw int
		min                 int
	}{
		{11, 600, 8, 4, 10},
		{12, 1500, 25, 6, 10},
		{13, 3000, 40, 10, 10},
		{14, 3000, 15, 12, 20},
		{15, 400, 30, 3, 5},
	} {
		t.Run(fmt.Sprint(tc.seed), func(t *testing.T) {
			rows := cohortRows(tc.seed, tc.n, tc.employers, tc.windw)
			rep, err := Build(rows, Options{MinCount: tc.min})
			if err != nil {
				t.Fatal(err)
			}
			primary, hidden, cells := 0, 0, 0
			for _, tb := range rep.Tables {
				for _, c := range tb.Cells {
					cells++
					n, _ := recount(rows, tb.Dims, c.Keys)
					if n < tc.min {
						primary++
						if !c.Suppressed {
							t.Errorf("%s %v: %d decisions published", tb.Name, c.Keys, n)
						}
					}
					if c.Suppressed {
						hidden++
					}
				}
			}
			if primary == 0 {
				t.Fatal("no small cell: the case tests nothing")
			}
			s := equations(rep)
			if d := s.determined(); len(d) > 0 {
				t.Errorf("%d of %d suppressed counts can be worked out, e.g. %v", len(d), len(s.names), d[:min(5, len(d))])
			}
			t.Logf("%d cells, %d under the minimum, %d suppressed, %d equations", cells, primary, hidden, len(s.rows))
		})
	}
}

// TestAuditFindsLeak makes sure the audit can fail: a single suppressed
// cell in a one-way table is worked out from the overall count.
func TestAuditFindsLeak(t *testing.T) {
	rep := &Report{
		Overall: Cell{N: 30},
		Tables: []Table{{Name: "employer", Dims: []Dim{ByEmployer}, Cells: []Cell{
			{Keys: []string{"A"}, Suppressed: true}, {Keys: []string{"B"}, N: 25},
		}}},
	}
	if d := equations(rep).determined(); len(d) != 1 || d[0] != "employer|A" {
		t.Errorf("determined %v", d)
	}
}

// TestAuditWithoutComplements: with only the cells under the minimum
// hidden, the audit works some of them out, so the complementary
// suppression is what passes TestSuppressionAudit.
func TestAuditWithoutComplements(t *testing.T) {
	b := aggregated(t, cohortRows(12, 1500, 25, 6))
	b.networks() // marks the cells under the minimum, nothing more
	rep, err := b.report()
	if err != nil {
		t.Fatal(err)
	}
	if d := equations(rep).determined(); len(d) == 0 {
		t.Error("primary suppression alone leaks nothing: the audit is too weak")
	} else {
		t.Logf("%d counts worked out without complements, e.g. %v", len(d), d[0])
	}
}
