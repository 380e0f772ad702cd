package agreement

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/accredit/accredit/internal/located"
)

// CSVError reports a bad ratings file: the file, the 1-based line, and the
// column concerned (empty when the fault is the whole line). It matches
// ErrBadCSV under errors.Is.
type CSVError = located.Error

// csvErr places err at line and column of the ratings file name.
func csvErr(name string, line int, column string, err error) *CSVError {
	return &CSVError{File: name, Line: line, Column: column, Err: err, Kind: ErrBadCSV, Format: located.Plain}
}

// ratingColumns are the columns a ratings file must have, in any order.
var ratingColumns = []string{"target", "rater", "score"}

// ReadCSV reads ratings in long form: a header naming the columns target,
// rater and score (any order, case-insensitive; other columns are ignored),
// then one rating per line. Scores are finite decimal numbers. A target
// scored twice by the same rater is an error. name labels errors, which are
// *CSVError values.
func ReadCSV(r io.Reader, name string) ([]Rating, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, csvErr(name, 1, "", errors.New("empty file: want a header target,rater,score"))
	}
	if err != nil {
		return nil, parseError(name, err)
	}
	idx, err := headerIndex(header)
	if err != nil {
		return nil, csvErr(name, 1, "", err)
	}
	width := len(header)
	var out []Rating
	first := map[[2]string]int{} // (target, rater) -> line of its first rating
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, parseError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			return nil, csvErr(name, line, "",
				fmt.Errorf("%d fields, the header has %d", len(rec), width))
		}
		rt, err := parseRating(rec, idx)
		if err != nil {
			err.(*CSVError).File, err.(*CSVError).Line = name, line
			return nil, err
		}
		key := [2]string{rt.Target, rt.Rater}
		if l, dup := first[key]; dup {
			return nil, csvErr(name, line, "rater",
				fmt.Errorf("rater %q already scored target %q on line %d", rt.Rater, rt.Target, l))
		}
		first[key] = line
		out = append(out, rt)
	}
	if len(out) == 0 {
		return nil, csvErr(name, 2, "", fmt.Errorf("%w: no ratings after the header", ErrTooFew))
	}
	return out, nil
}

func headerIndex(header []string) ([3]int, error) {
	idx := [3]int{-1, -1, -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for c, want := range ratingColumns {
			if h != want {
				continue
			}
			if idx[c] >= 0 {
				return idx, fmt.Errorf("column %q appears twice in the header", want)
			}
			idx[c] = i
		}
	}
	for c, i := range idx {
		if i < 0 {
			return idx, fmt.Errorf("header has no column %q (want target,rater,score)", ratingColumns[c])
		}
	}
	return idx, nil
}

func parseRating(rec []string, idx [3]int) (Rating, error) {
	target := strings.TrimSpace(rec[idx[0]])
	rater := strings.TrimSpace(rec[idx[1]])
	raw := strings.TrimSpace(rec[idx[2]])
	switch {
	case target == "":
		return Rating{}, csvErr("", 0, "target", errors.New("empty target"))
	case rater == "":
		return Rating{}, csvErr("", 0, "rater", errors.New("empty rater"))
	}
	score, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
		return Rating{}, csvErr("", 0, "score", fmt.Errorf("%q is not a finite number", raw))
	}
	return Rating{Target: target, Rater: rater, Score: score}, nil
}

func parseError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return csvErr(name, pe.Line, strconv.Itoa(pe.Column), pe.Err)
	}
	return csvErr(name, 0, "", err)
}
