package respmatrix

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// PersonColumn is the header of the optional column of person ids; it must be
// the first column when present.
const PersonColumn = "person"

// Options say how to read a response file.
type Options struct {
	// GroupColumns names columns read as group labels (into Matrix.Groups)
	// rather than as items; each must be in the header.
	GroupColumns []string
}

// layout is the role of each column of a parsed header.
type layout struct {
	names     []string
	person    int   // index of the person column, or -1
	items     []int // indices of item columns, in file order
	groups    []int // indices of group columns, in Options.GroupColumns order
	groupName []string
}

// table streams a CSV file: header first, then one record per row.
type table struct {
	file string
	r    *csv.Reader
	lay  layout
}

// openTable starts reading the CSV in r: it returns the table positioned
// after the header row, and that row. An empty file is ErrEmpty.
func openTable(r io.Reader, file string) (*table, []string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	t := &table{file: file, r: cr}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, nil, parseErr(file, 0, "", ErrEmpty, "")
	}
	if err != nil {
		return nil, nil, t.csvErr(err)
	}
	return t, head, nil
}

// newTable opens a response table and parses its header by opt; the rows
// after it reuse one record.
func newTable(r io.Reader, file string, opt Options) (*table, error) {
	t, head, err := openTable(r, file)
	if err != nil {
		return nil, err
	}
	t.r.ReuseRecord = true
	lay, err := parseHeader(file, head, opt)
	if err != nil {
		return nil, err
	}
	t.lay = lay
	return t, nil
}

func parseHeader(file string, head []string, opt Options) (layout, error) {
	lay := layout{names: make([]string, len(head)), person: -1}
	seen := make(map[string]bool, len(head))
	for j, h := range head {
		h = strings.TrimSpace(h)
		if j == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		if h == "" {
			return lay, parseErr(file, 1, "", ErrHeader, "column %d has no name", j+1)
		}
		if seen[h] {
			return lay, parseErr(file, 1, h, ErrDuplicateColumn, "")
		}
		seen[h] = true
		lay.names[j] = h
	}
	isGroup := make(map[string]int, len(opt.GroupColumns))
	for g, name := range opt.GroupColumns {
		if !seen[name] {
			return lay, parseErr(file, 1, name, ErrGroupColumn, "")
		}
		isGroup[name] = g
	}
	lay.groups = make([]int, len(opt.GroupColumns))
	lay.groupName = opt.GroupColumns
	for j, h := range lay.names {
		switch g, ok := isGroup[h]; {
		case ok:
			lay.groups[g] = j
		case j == 0 && h == PersonColumn:
			lay.person = 0
		case h == PersonColumn:
			return lay, parseErr(file, 1, h, ErrHeader, "the person column must come first")
		default:
			lay.items = append(lay.items, j)
		}
	}
	if len(lay.items) == 0 {
		return lay, parseErr(file, 1, "", ErrNoItems, "")
	}
	return lay, nil
}

// itemNames returns the header names of the item columns.
func (l *layout) itemNames() []string {
	out := make([]string, len(l.items))
	for k, j := range l.items {
		out[k] = l.names[j]
	}
	return out
}

// next returns the next record and its 1-based line, or io.EOF.
func (t *table) next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		return nil, 0, t.csvErr(err)
	}
	line, _ := t.r.FieldPos(0)
	if len(rec) != len(t.lay.names) {
		return nil, line, parseErr(t.file, line, "", ErrRagged, "%d fields, header has %d", len(rec), len(t.lay.names))
	}
	return rec, line, nil
}

// each calls fn with every remaining record and its line, stopping at the
// first error.
func (t *table) each(fn func(rec []string, line int) error) error {
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// eachPerson is each for a table of persons: it records each record's
// person and groups in rs before fn parses its items.
func (t *table) eachPerson(rs *rows, fn func(rec []string, line int) error) error {
	return t.each(func(rec []string, line int) error {
		if err := rs.add(t, rec, line); err != nil {
			return err
		}
		return fn(rec, line)
	})
}

func (t *table) csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		col := ""
		if pe.Column > 0 && pe.Column <= len(t.lay.names) {
			col = t.lay.names[pe.Column-1]
		}
		return parseErr(t.file, pe.Line, col, ErrSyntax, "%v", pe.Err)
	}
	return parseErr(t.file, 0, "", ErrSyntax, "%v", err)
}

// rows collects person ids and group labels while the caller parses items.
type rows struct {
	persons []string
	groups  [][]string
	seen    map[string]int // person id -> line
}

func newRows(ngroups int) *rows {
	return &rows{groups: make([][]string, ngroups), seen: make(map[string]int)}
}

// add records the person and group cells of rec.
func (rs *rows) add(t *table, rec []string, line int) error {
	var id string
	if t.lay.person >= 0 {
		id = strings.TrimSpace(rec[t.lay.person])
		if id == "" {
			return parseErr(t.file, line, PersonColumn, ErrHeader, "empty person id")
		}
		if prev, dup := rs.seen[id]; dup {
			return parseErr(t.file, line, PersonColumn, ErrDuplicatePerson, "%q also on line %d", id, prev)
		}
		rs.seen[id] = line
	} else {
		id = strconv.Itoa(len(rs.persons) + 1)
	}
	rs.persons = append(rs.persons, id)
	for g, j := range t.lay.groups {
		rs.groups[g] = append(rs.groups[g], strings.TrimSpace(rec[j]))
	}
	return nil
}

func (rs *rows) groupMap(names []string) map[string][]string {
	if len(names) == 0 {
		return nil
	}
	m := make(map[string][]string, len(names))
	for g, name := range names {
		m[name] = rs.groups[g]
	}
	return m
}

// isMissing reports whether a cell means "not presented": empty, or NA as R
// writes it.
func isMissing(s string) bool { return s == "" || s == "NA" }
