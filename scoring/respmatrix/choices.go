package respmatrix

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Choices holds raw multiple-choice responses: the option code each person
// chose on each item, or none (missing). Like Matrix it is immutable once
// read and safe for concurrent readers.
type Choices struct {
	Persons []string
	Items   []string
	Groups  map[string][]string

	file  string     // the name errors give
	codes [][]string // per item: distinct option codes seen, sorted (numerically when all are numbers)
	cells []int16    // row-major index into codes[item], or -1 for missing
}

// NumPersons returns the number of rows.
func (c *Choices) NumPersons() int { return len(c.Persons) }

// NumItems returns the number of columns.
func (c *Choices) NumItems() int { return len(c.Items) }

// Options returns the distinct option codes chosen on item i, sorted
// numerically when all are numbers and lexically otherwise; the caller must
// not modify it.
func (c *Choices) Options(i int) []string { return c.codes[i] }

// At returns the index into Options(i) of person p's choice on item i, or -1
// when the person gave no response.
func (c *Choices) At(p, i int) int { return int(c.cells[p*len(c.Items)+i]) }

// maxCodes bounds the distinct option codes per item.
const maxCodes = 1 << 14

// ReadChoices parses a CSV of raw multiple-choice responses: the same layout
// as Read, but each cell holds an option code (any text; empty or NA means no
// response).
func ReadChoices(r io.Reader, name string, opt Options) (*Choices, error) {
	t, err := newTable(r, name, opt)
	if err != nil {
		return nil, err
	}
	nItems := len(t.lay.items)
	rs := newRows(len(t.lay.groups))
	raw := make([]map[string]int16, nItems)
	for k := range raw {
		raw[k] = make(map[string]int16)
	}
	seen := make([][]string, nItems)
	var cells []int16
	err = t.eachPerson(rs, func(rec []string, line int) error {
		for k, j := range t.lay.items {
			s := strings.TrimSpace(rec[j])
			if isMissing(s) {
				cells = append(cells, -1)
				continue
			}
			code, ok := raw[k][s]
			if !ok {
				if len(seen[k]) >= maxCodes {
					return parseErr(name, line, t.lay.names[j], ErrCell, "more than %d distinct options", maxCodes)
				}
				code = int16(len(seen[k]))
				raw[k][s] = code
				seen[k] = append(seen[k], s)
			}
			cells = append(cells, code)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := &Choices{Persons: rs.persons, Items: t.lay.itemNames(), Groups: rs.groupMap(t.lay.groupName), file: name, cells: cells}
	c.codes = sortCodes(seen, cells, nItems)
	return c, nil
}

// ReadChoicesFile opens path and reads it with ReadChoices.
func ReadChoicesFile(path string, opt Options) (*Choices, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadChoices(f, path, opt)
}

// sortCodes sorts each item's codes and renumbers cells to match.
func sortCodes(seen [][]string, cells []int16, nItems int) [][]string {
	remap := make([][]int16, nItems)
	for k, codes := range seen {
		sorted := slices.Clone(codes)
		slices.SortFunc(sorted, compareCodes)
		pos := make(map[string]int16, len(sorted))
		for i, s := range sorted {
			pos[s] = int16(i)
		}
		remap[k] = make([]int16, len(codes))
		for old, s := range codes {
			remap[k][old] = pos[s]
		}
		seen[k] = sorted
	}
	for i, c := range cells {
		if c >= 0 {
			cells[i] = remap[i%nItems][c]
		}
	}
	return seen
}

// compareCodes orders numbers numerically before other codes, which sort lexically.
func compareCodes(a, b string) int {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	switch {
	case errA == nil && errB == nil:
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// Omissions returns the number of persons whose cell for item i is
// OmittedChoice: presented and left unanswered.
func (c *Choices) Omissions(i int) int {
	k := slices.Index(c.codes[i], OmittedChoice)
	if k < 0 {
		return 0
	}
	n := 0
	for p := range c.Persons {
		if int(c.At(p, i)) == k {
			n++
		}
	}
	return n
}

// Score returns the dichotomous matrix of c under key: 1 where the choice is
// the key, 0 for any other choice, Missing for no response; OmittedChoice
// scores 0 and is an omission of the matrix (Matrix.IsOmitted). key maps
// every item id to its correct option code; items without a key are an
// error wrapping ErrKey and ErrUnknownItem that names them all.
func (c *Choices) Score(key map[string]string) (*Matrix, error) {
	file := c.file
	if file == "" {
		file = "choices"
	}
	unkeyed := fmt.Errorf("%w: %w", ErrKey, ErrUnknownItem)
	if err := checkItems(file, c.Items, "the key", func(id string) bool { _, ok := key[id]; return ok }, unkeyed); err != nil {
		return nil, err
	}
	keyIdx := make([]int, len(c.Items))
	omitIdx := make([]int, len(c.Items))
	for i, id := range c.Items {
		keyIdx[i] = slices.Index(c.codes[i], key[id])
		omitIdx[i] = slices.Index(c.codes[i], OmittedChoice)
	}
	cells := make([]int8, len(c.cells))
	n := len(c.Items)
	for j, v := range c.cells {
		switch {
		case v < 0:
			cells[j] = Missing
		case int(v) == keyIdx[j%n]:
			cells[j] = 1
		case int(v) == omitIdx[j%n]:
			cells[j] = Omitted
		}
	}
	m := New(c.Persons, c.Items, cells)
	m.Groups = c.Groups
	return m, nil
}
