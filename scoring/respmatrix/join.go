package respmatrix

import (
	"io"
	"maps"
	"os"
	"strings"
)

// JoinGroups returns a copy of m whose Groups also hold the named columns of
// a candidate CSV (header row, a "person" column anywhere, one row per
// person), matched on person id. Every person of m must have a row; extra
// candidate rows are ignored. m itself is not modified.
func JoinGroups(m *Matrix, r io.Reader, name string, columns []string) (*Matrix, error) {
	labels, err := readCandidates(r, name, columns)
	if err != nil {
		return nil, err
	}
	groups := make(map[string][]string, len(m.Groups)+len(columns))
	maps.Copy(groups, m.Groups)
	for g, col := range columns {
		vals := make([]string, len(m.Persons))
		for p, id := range m.Persons {
			row, ok := labels[id]
			if !ok {
				return nil, parseErr(name, 0, PersonColumn, ErrUnknownPerson, "%q", id)
			}
			vals[p] = row[g]
		}
		groups[col] = vals
	}
	out := *m
	out.Groups = groups
	return &out, nil
}

// JoinGroupsFile opens path and joins it with JoinGroups.
func JoinGroupsFile(m *Matrix, path string, columns []string) (*Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return JoinGroups(m, f, path, columns)
}

// readCandidates maps person id to the values of columns, in order.
func readCandidates(r io.Reader, name string, columns []string) (map[string][]string, error) {
	t, head, err := openTable(r, name)
	if err != nil {
		return nil, err
	}
	idx := make(map[string]int, len(head))
	for j, h := range head {
		h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
		idx[h] = j
		t.lay.names = append(t.lay.names, h)
	}
	pcol, ok := idx[PersonColumn]
	if !ok {
		return nil, parseErr(name, 1, "", ErrNoPersonColumn, "")
	}
	want := make([]int, len(columns))
	for g, c := range columns {
		j, ok := idx[c]
		if !ok {
			return nil, parseErr(name, 1, c, ErrGroupColumn, "")
		}
		want[g] = j
	}
	out := make(map[string][]string)
	lines := make(map[string]int)
	err = t.each(func(rec []string, line int) error {
		id := strings.TrimSpace(rec[pcol])
		if prev, dup := lines[id]; dup {
			return parseErr(name, line, PersonColumn, ErrDuplicatePerson, "%q also on line %d", id, prev)
		}
		lines[id] = line
		vals := make([]string, len(want))
		for g, j := range want {
			vals[g] = strings.TrimSpace(rec[j])
		}
		out[id] = vals
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
