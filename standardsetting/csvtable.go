package standardsetting

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
)

// maxRows bounds the rows read from one file so that a hostile upload cannot
// exhaust memory; no panel, booklet or cohort comes near it.
const maxRows = 1_000_000

// maxMagnitude bounds every number read: scores, ratings and grades are
// small, and the bound keeps sums of squares finite.
const maxMagnitude = 1e12

// table is a CSV file with a header row, every record as long as the header.
type table struct {
	file   string
	header []string
	rows   [][]string
	lines  []int // 1-based line of each row in the file
}

// readTable reads a comma-separated file with a header. Fields are trimmed;
// blank lines are skipped.
func readTable(file string, r io.Reader) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	t := &table{file: file}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, inputErr(file, line, "", ErrFormat, "%v", err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if t.header == nil {
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			t.header = rec
			continue
		}
		if len(rec) != len(t.header) {
			return nil, inputErr(file, line, "", ErrFormat, "%d fields, header has %d", len(rec), len(t.header))
		}
		if len(t.rows) == maxRows {
			return nil, inputErr(file, line, "", ErrFormat, "more than %d rows", maxRows)
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if t.header == nil {
		return nil, inputErr(file, 0, "", ErrFormat, "empty file: no header row")
	}
	return t, nil
}

// col returns the index of the column named name (case-insensitive), or -1.
func (t *table) col(name string) int {
	for i, h := range t.header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

// readColumns reads a table that must hold the named columns and, when
// minRows > 0, at least minRows data rows (what names them in the error).
// It returns the columns' indexes in the order named.
func readColumns(file string, r io.Reader, minRows int, what string, names ...string) (*table, []int, error) {
	t, err := readTable(file, r)
	if err != nil {
		return nil, nil, err
	}
	cols := make([]int, len(names))
	for k, name := range names {
		if cols[k], err = t.mustCol(name); err != nil {
			return nil, nil, err
		}
	}
	if minRows > 0 {
		if err := t.needRows(minRows, what); err != nil {
			return nil, nil, err
		}
	}
	return t, cols, nil
}

// mustCol is col, returning an error that names the file when the column is absent.
func (t *table) mustCol(name string) (int, error) {
	i := t.col(name)
	if i < 0 {
		return -1, inputErr(t.file, 1, name, ErrFormat, "no column %q in header %q", name, strings.Join(t.header, ","))
	}
	return i, nil
}

// needRows reports an error if the table has fewer than n data rows.
func (t *table) needRows(n int, what string) error {
	if len(t.rows) < n {
		return inputErr(t.file, 0, "", ErrTooFew, "%d %s, need at least %d", len(t.rows), what, n)
	}
	return nil
}

// isMissing reports whether a field is empty or one of the usual NA spellings.
func isMissing(s string) bool {
	switch strings.ToUpper(s) {
	case "", "NA", "NAN", "NULL", ".":
		return true
	}
	return false
}

// float parses the number in row i, column j; empty, NA or non-finite
// values are errors naming the file, line and column.
func (t *table) float(i, j int) (float64, error) {
	s := t.rows[i][j]
	if isMissing(s) {
		return 0, inputErr(t.file, t.lines[i], t.header[j], ErrMissing, "no value")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, inputErr(t.file, t.lines[i], t.header[j], ErrFormat, "%q is not a finite number", s)
	}
	if math.Abs(v) > maxMagnitude {
		return 0, inputErr(t.file, t.lines[i], t.header[j], ErrRange, "%v exceeds %g in magnitude", v, maxMagnitude)
	}
	return v, nil
}

// floatIn is float, also requiring lo <= v <= hi.
func (t *table) floatIn(i, j int, lo, hi float64) (float64, error) {
	v, err := t.float(i, j)
	if err != nil {
		return 0, err
	}
	if v < lo || v > hi {
		return 0, inputErr(t.file, t.lines[i], t.header[j], ErrRange, "%v outside [%v, %v]", v, lo, hi)
	}
	return v, nil
}

// label returns the non-empty text in row i, column j.
func (t *table) label(i, j int) (string, error) {
	s := t.rows[i][j]
	if s == "" {
		return "", inputErr(t.file, t.lines[i], t.header[j], ErrMissing, "empty label")
	}
	return s, nil
}

// uniqueLabels reads column j as labels that must all differ.
func (t *table) uniqueLabels(j int) ([]string, error) {
	seen := make(map[string]int, len(t.rows))
	out := make([]string, len(t.rows))
	for i := range t.rows {
		s, err := t.label(i, j)
		if err != nil {
			return nil, err
		}
		if first, ok := seen[s]; ok {
			return nil, inputErr(t.file, t.lines[i], t.header[j], ErrDuplicate, "%q already on row %d", s, first)
		}
		seen[s] = t.lines[i]
		out[i] = s
	}
	return out, nil
}

// checkHeaderUnique rejects a header naming the same column twice from column from on.
func (t *table) checkHeaderUnique(from int) error {
	seen := map[string]bool{}
	for _, h := range t.header[from:] {
		if h == "" {
			return inputErr(t.file, 1, "", ErrFormat, "empty column name in header")
		}
		if seen[h] {
			return inputErr(t.file, 1, h, ErrDuplicate, "column named twice")
		}
		seen[h] = true
	}
	return nil
}
