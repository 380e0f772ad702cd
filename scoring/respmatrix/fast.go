package respmatrix

import (
	"bytes"
	"encoding/csv"
)

// readFast parses a well-formed file in one pass over its bytes, without
// encoding/csv: the header with encoding/csv (it may be quoted), then each
// data row split on commas. It gives up (ok false) on anything unusual: a
// quote in a data row, a ragged row, a cell that is not 1, 0, 9 or missing, an
// empty or repeated person id. Read then parses the same bytes the careful
// way, which reports the error with its line and column, so both paths
// accept exactly the same files and return the same matrix.
func readFast(data []byte, file string, opt Options) (m *Matrix, ok bool) {
	head, rest, _ := bytes.Cut(data, []byte{'\n'})
	hr := csv.NewReader(bytes.NewReader(head))
	hr.FieldsPerRecord = -1
	names, err := hr.Read()
	if err != nil {
		return nil, false
	}
	lay, err := parseHeader(file, names, opt)
	if err != nil {
		return nil, false
	}
	t := &table{file: file, lay: lay}
	isItem := make([]bool, len(lay.names))
	for _, j := range lay.items {
		isItem[j] = true
	}
	rs := newRows(len(lay.groups))
	cells := make([]int8, 0, (bytes.Count(rest, []byte{'\n'})+1)*len(lay.items))
	rec := make([]string, len(lay.names))
	fields := make([][]byte, 0, len(lay.names))
	for len(rest) > 0 {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) == 0 {
			continue // encoding/csv skips empty lines too
		}
		if bytes.IndexByte(line, '"') >= 0 {
			return nil, false
		}
		fields = fields[:0]
		for {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				fields = append(fields, line)
				break
			}
			fields = append(fields, line[:i])
			line = line[i+1:]
		}
		if len(fields) != len(lay.names) {
			return nil, false
		}
		for j, f := range fields {
			if isItem[j] {
				c, ok := fastCell(f)
				if !ok {
					return nil, false
				}
				cells = append(cells, c)
			} else {
				rec[j] = string(f)
			}
		}
		if rs.add(t, rec, 0) != nil {
			return nil, false
		}
	}
	m = New(rs.persons, lay.itemNames(), cells)
	m.Groups = rs.groupMap(lay.groupName)
	return m, true
}

// fastCell reads one item cell as parseCell does.
func fastCell(f []byte) (int8, bool) {
	switch {
	case len(f) == 0:
		return Missing, true
	case len(f) == 1 && f[0] == '1':
		return 1, true
	case len(f) == 1 && f[0] == '0':
		return 0, true
	case len(f) == 1 && f[0] == '9':
		return Omitted, true
	}
	return parseCell(string(f))
}
