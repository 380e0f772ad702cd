package standardsetting

import (
	"io"
	"math"
	"strconv"
)

// Candidates holds candidates' total scores on one element and any
// grouping columns (employer, phase, age band ...).
type Candidates struct {
	File   string
	IDs    []string  // the candidate column, or "1", "2", ... when absent
	Scores []float64 // total scores
	// GroupNames lists the grouping columns in file order; Groups maps each
	// to one value per candidate.
	GroupNames []string
	Groups     map[string][]string

	lines []int // file line of each candidate
}

// CheckMax returns an error naming the file and row of the first score
// above max (a total cannot exceed the test's maximum).
func (c *Candidates) CheckMax(max float64) error {
	for i, s := range c.Scores {
		if s > max {
			row := 0
			if i < len(c.lines) {
				row = c.lines[i]
			}
			return inputErr(c.File, row, "score", ErrRange, "score %v exceeds the maximum %v", s, max)
		}
	}
	return nil
}

// ReadCandidates reads candidates' total scores: a header with a "score"
// column, an optional "candidate" column, and any other columns taken as
// grouping variables. Scores must be finite and non-negative; candidate ids
// must be unique. At least two candidates are needed.
func ReadCandidates(file string, r io.Reader) (*Candidates, error) {
	t, err := readTable(file, r)
	if err != nil {
		return nil, err
	}
	if err := t.checkHeaderUnique(0); err != nil {
		return nil, err
	}
	sc, err := t.mustCol("score")
	if err != nil {
		return nil, err
	}
	if err := t.needRows(2, "candidates"); err != nil {
		return nil, err
	}
	c := &Candidates{File: file, Scores: make([]float64, len(t.rows)), Groups: map[string][]string{}, lines: t.lines}
	if id := t.col("candidate"); id >= 0 {
		if c.IDs, err = t.uniqueLabels(id); err != nil {
			return nil, err
		}
	} else {
		c.IDs = make([]string, len(t.rows))
		for i := range c.IDs {
			c.IDs[i] = strconv.Itoa(i + 1)
		}
	}
	for i := range t.rows {
		if c.Scores[i], err = t.floatIn(i, sc, 0, math.Inf(1)); err != nil {
			return nil, err
		}
	}
	for j, h := range t.header {
		if j == sc || j == t.col("candidate") {
			continue
		}
		vals := make([]string, len(t.rows))
		for i := range t.rows {
			vals[i] = t.rows[i][j]
		}
		c.GroupNames = append(c.GroupNames, h)
		c.Groups[h] = vals
	}
	return c, nil
}

// ReadResponses reads a scored response matrix: one row per candidate, one
// numeric column per item (0/1 for dichotomous items, any non-negative
// score otherwise). A "candidate" column, if present, is skipped. Missing
// cells are errors: reliability needs a complete matrix.
func ReadResponses(file string, r io.Reader) (items []string, x [][]float64, err error) {
	t, err := readTable(file, r)
	if err != nil {
		return nil, nil, err
	}
	if err := t.checkHeaderUnique(0); err != nil {
		return nil, nil, err
	}
	skip := t.col("candidate")
	var cols []int
	for j, h := range t.header {
		if j != skip {
			cols = append(cols, j)
			items = append(items, h)
		}
	}
	if len(cols) < 2 {
		return nil, nil, inputErr(file, 1, "", ErrTooFew, "%d item columns, need at least 2", len(cols))
	}
	if err := t.needRows(2, "candidates"); err != nil {
		return nil, nil, err
	}
	x = make([][]float64, len(t.rows))
	for i := range t.rows {
		x[i] = make([]float64, len(cols))
		for k, j := range cols {
			if x[i][k], err = t.floatIn(i, j, 0, math.Inf(1)); err != nil {
				return nil, nil, err
			}
		}
	}
	return items, x, nil
}
