package respmatrix

import (
	"bytes"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Read parses a dichotomous response-matrix CSV. name labels errors.
//
// The header row holds item ids; a first column named "person" holds person
// ids (otherwise persons are numbered 1, 2, ... in file order); columns named
// in opt.GroupColumns are read as group labels. Cells are 1, 0, 9 (omitted:
// presented and left unanswered, scored 0; see Matrix.IsOmitted) or empty
// (missing: the item was not presented); NA, as R writes a missing value, is
// read as empty. Headers may be quoted, lines may end in CR LF, and
// surrounding spaces are ignored. A column holding a partial score (a
// number from 0 up written with a decimal point, such as 0.5 or 2.0, as the
// engine exports every score of an item with partial credit) is left out of the matrix, whose analyses model
// right and wrong only, and named in Matrix.Partial. Any other cell, a
// ragged row, a duplicate column or person id is an error naming the file,
// line and column.
func Read(r io.Reader, name string, opt Options) (*Matrix, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, parseErr(name, 0, "", ErrSyntax, "%v", err)
	}
	return readBytes(data, name, opt)
}

// readBytes parses a whole file held in memory.
func readBytes(data []byte, name string, opt Options) (*Matrix, error) {
	if m, ok := readFast(data, name, opt); ok {
		return m, nil
	}
	t, err := newTable(bytes.NewReader(data), name, opt)
	if err != nil {
		return nil, err
	}
	rs := newRows(len(t.lay.groups))
	var cells []int8
	partial := make([]bool, len(t.lay.items))
	err = t.eachPerson(rs, func(rec []string, line int) error {
		for k, j := range t.lay.items {
			c, ok := parseCell(rec[j])
			if !ok && isPartial(rec[j]) {
				c, ok, partial[k] = Missing, true, true
			}
			if !ok {
				return parseErr(name, line, t.lay.names[j], ErrCell, "%q", rec[j])
			}
			cells = append(cells, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	items := t.lay.itemNames()
	items, cells, left := dropPartial(items, cells, partial)
	if len(items) == 0 {
		return nil, parseErr(name, 1, "", ErrNoItems, "every item has partial scores")
	}
	m := New(rs.persons, items, cells)
	m.Groups = rs.groupMap(t.lay.groupName)
	m.Partial = left
	return m, nil
}

// ReadFile opens path and reads it with Read, naming errors by path.
func ReadFile(path string, opt Options) (*Matrix, error) {
	data, err := os.ReadFile(path) // sized from the file: no buffer growth
	if err != nil {
		return nil, err
	}
	return readBytes(data, path, opt)
}

func parseCell(s string) (int8, bool) {
	switch s {
	case "1":
		return 1, true
	case "0":
		return 0, true
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "1":
		return 1, true
	case s == "0":
		return 0, true
	case s == OmittedCode:
		return Omitted, true
	case isMissing(s):
		return Missing, true
	}
	return 0, false
}

// isPartial reports whether a cell is a partial score: a finite number
// from 0 up with a decimal point ("0.5", "2.0"). A whole number other than
// 1, 0 and 9 stays an error: most often a mistyped code.
func isPartial(s string) bool {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && strings.Contains(s, ".") && v >= 0 && !math.IsInf(v, 0)
}

// dropPartial removes the columns marked partial from row-major cells and
// returns the items kept, their cells and the names left out.
func dropPartial(items []string, cells []int8, partial []bool) ([]string, []int8, []string) {
	var kept, left []string
	for k, id := range items {
		if partial[k] {
			left = append(left, id)
		} else {
			kept = append(kept, id)
		}
	}
	if left == nil {
		return items, cells, nil
	}
	out := make([]int8, 0, len(cells)/len(items)*len(kept))
	for i, c := range cells {
		if !partial[i%len(items)] {
			out = append(out, c)
		}
	}
	return kept, out, left
}
