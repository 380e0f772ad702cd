package respmatrix

import (
	"bytes"
	"io"
	"os"
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
// surrounding spaces are ignored. Any other cell, a ragged row, a duplicate
// column or person id is an error naming the file, line and column.
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
	for {
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := rs.add(t, rec, line); err != nil {
			return nil, err
		}
		for _, j := range t.lay.items {
			c, ok := parseCell(rec[j])
			if !ok {
				return nil, parseErr(name, line, t.lay.names[j], ErrCell, "%q", rec[j])
			}
			cells = append(cells, c)
		}
	}
	m := New(rs.persons, t.lay.itemNames(), cells)
	m.Groups = rs.groupMap(t.lay.groupName)
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
