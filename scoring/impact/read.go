package impact

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ElementPrefix starts the name of a CSV column holding one element's
// result: "element:knowledge".
const ElementPrefix = "element:"

// Errors of ReadRows.
var (
	ErrColumn  = errors.New("impact: bad CSV header")
	ErrElement = errors.New("is not pass, fail or empty")
)

// rowColumns are the columns ReadRows knows, besides element columns; the
// first six are required.
var rowColumns = []string{
	"person", "employer", "phase", "cohort", "status", "outcome",
	"endorsed_by", "age_band", "sex", "ethnic_group", "disability",
}

// ReadRows reads decisions from CSV with a header row naming its columns in
// any order: person, employer, phase, cohort, status and outcome (required),
// endorsed_by, age_band, sex, ethnic_group and disability (optional), and
// one "element:NAME" column per element holding pass, fail or nothing (not
// decided). Cells are trimmed of spaces. An unknown, repeated or missing
// column is an ErrColumn error; a bad element cell a *RowError counting rows
// from 0 after the header. The values themselves are checked by Build.
func ReadRows(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: no header", ErrColumn)
	}
	if err != nil {
		return nil, fmt.Errorf("impact: read header: %w", err)
	}
	col := map[string]int{}
	var elements []string // per column: the element name, or ""
	for i, h := range head {
		h = strings.TrimSpace(h)
		name, isElement := strings.CutPrefix(h, ElementPrefix)
		name = strings.TrimSpace(name)
		if isElement {
			h = ElementPrefix + name
		}
		switch {
		case isElement && name == "":
			return nil, fmt.Errorf("%w: column %d %q names no element", ErrColumn, i+1, h)
		case !isElement && rank(rowColumns, h) < 0:
			return nil, fmt.Errorf("%w: unknown column %q", ErrColumn, h)
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("%w: column %q twice", ErrColumn, h)
		}
		col[h] = i
		if isElement {
			elements = append(elements, name)
		} else {
			elements = append(elements, "")
		}
	}
	for _, c := range rowColumns[:6] {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%w: no column %q", ErrColumn, c)
		}
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("impact: read row %d: %w", len(rows), err)
		}
		row, err := parseRow(len(rows), rec, col, elements)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

func parseRow(i int, rec []string, col map[string]int, elements []string) (Row, error) {
	get := func(name string) string {
		if j, ok := col[name]; ok {
			return strings.TrimSpace(rec[j])
		}
		return ""
	}
	r := Row{
		Person: get("person"), Employer: get("employer"), EndorsedBy: get("endorsed_by"),
		Phase: Phase(get("phase")), Cohort: get("cohort"), Status: Status(get("status")),
		Outcome: Outcome(get("outcome")),
		Monitoring: Monitoring{
			AgeBand: get("age_band"), Sex: get("sex"), EthnicGroup: get("ethnic_group"), Disability: get("disability"),
		},
	}
	for j, e := range elements {
		if e == "" {
			continue
		}
		switch v := strings.TrimSpace(rec[j]); v {
		case "":
		case "pass", "fail":
			if r.Elements == nil {
				r.Elements = map[string]bool{}
			}
			r.Elements[e] = v == "pass"
		default:
			return Row{}, &RowError{Row: i, Field: ElementPrefix + e, Value: v, Err: ErrElement}
		}
	}
	return r, nil
}
