package programme

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
)

// CSV columns. Monitoring columns are optional; the others are required.
var (
	employerColumns = []string{"id", "name", "region", "phase", "rating"}
	personColumns   = []string{"id", "name", "registration", "employer", "employment", "started", "email", "seeks"}
	monitorColumns  = []string{"age_band", "sex", "ethnic_group", "disability"}
)

// maxImportRows bounds an import.
const maxImportRows = 200000

// table is a CSV file read with its header.
type table struct {
	file string
	col  map[string]int
	rows [][]string
	line []int // the line of each row
}

// readTable reads a CSV file with a header naming at least want, and
// returns faults for anything it cannot read.
func readTable(file string, r io.Reader, want, optional []string) (*table, []Fault) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	t := &table{file: file, col: map[string]int{}}
	head, err := cr.Read()
	if err != nil {
		return nil, []Fault{{File: file, Line: 1, Message: "no header: " + csvMessage(err)}}
	}
	var faults []Fault
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.col[h]; dup {
			faults = append(faults, Fault{File: file, Line: 1, Column: h, Message: "column named twice"})
		}
		t.col[h] = i
	}
	for _, w := range want {
		if _, ok := t.col[w]; !ok {
			faults = append(faults, Fault{File: file, Line: 1, Column: w, Message: "missing column"})
		}
	}
	for h := range t.col {
		if !contains(want, h) && !contains(optional, h) {
			faults = append(faults, Fault{File: file, Line: 1, Column: h, Message: "unknown column"})
		}
	}
	for {
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, append(faults, Fault{File: file, Line: line, Message: csvMessage(err)})
		}
		line, _ = cr.FieldPos(0)
		if len(t.rows) == maxImportRows {
			return nil, append(faults, Fault{File: file, Line: line, Message: fmt.Sprintf("more than %d rows", maxImportRows)})
		}
		if len(rec) != len(head) {
			faults = append(faults, Fault{File: file, Line: line, Message: fmt.Sprintf("%d fields, the header has %d", len(rec), len(head))})
			continue
		}
		t.rows = append(t.rows, rec)
		t.line = append(t.line, line)
	}
	return t, faults
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// get returns row i's value in column name, trimmed, or "".
func (t *table) get(i int, name string) string {
	c, ok := t.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

// fault locates msg at row i, column name.
func (t *table) fault(i int, name, msg string) Fault {
	return Fault{File: t.file, Line: t.line[i], Column: name, Message: msg}
}

// ParseEmployers reads an employers CSV file (columns id, name, region,
// phase, rating) and returns them, or every fault located.
func ParseEmployers(file string, r io.Reader) ([]Employer, []Fault) {
	t, faults := readTable(file, r, employerColumns, nil)
	if t == nil || len(faults) > 0 {
		return nil, faults
	}
	es := make([]Employer, len(t.rows))
	for i := range t.rows {
		es[i] = Employer{ID: t.get(i, "id"), Name: t.get(i, "name"), Region: t.get(i, "region"),
			Phase: Phase(strings.ToLower(t.get(i, "phase"))), Rating: Rating(strings.ToLower(t.get(i, "rating")))}
	}
	return es, nil
}

// ParsePeople reads a people CSV file (columns id, name, registration,
// employer, employment, started as YYYY-MM-DD, email, seeks; optionally
// age_band, sex, ethnic_group, disability) and returns them, or every
// fault it can find without the store.
func ParsePeople(file string, r io.Reader) ([]NewPerson, []Fault) {
	t, faults := readTable(file, r, personColumns, monitorColumns)
	if t == nil || len(faults) > 0 {
		return nil, faults
	}
	ps := make([]NewPerson, len(t.rows))
	for i := range t.rows {
		per := Person{ID: t.get(i, "id"), Name: t.get(i, "name"), Registration: t.get(i, "registration"),
			Employer: t.get(i, "employer"), Employment: Employment(strings.ToLower(t.get(i, "employment"))),
			Email: t.get(i, "email"), Seeks: Status(strings.ToLower(t.get(i, "seeks")))}
		if s := t.get(i, "started"); s != "" {
			d, err := time.Parse(dateLayout, s)
			if err != nil {
				faults = append(faults, t.fault(i, "started", fmt.Sprintf("%q is not a date: want YYYY-MM-DD", s)))
			}
			per.Started = d
		}
		ps[i] = NewPerson{Person: per, Monitoring: Monitoring{AgeBand: t.get(i, "age_band"), Sex: t.get(i, "sex"),
			Ethnicity: t.get(i, "ethnic_group"), Disability: t.get(i, "disability")}}
	}
	return ps, faults
}

// ImportEmployers creates the employers of a CSV file, all or none; an
// *ImportError locates every fault. Only an administrator may.
func (p *Programme) ImportEmployers(ctx context.Context, by Actor, file string, r io.Reader) (int, error) {
	if err := p.requireAdmin("import employers", by); err != nil {
		return 0, err
	}
	es, faults := ParseEmployers(file, r)
	if len(faults) > 0 {
		return 0, &ImportError{Faults: faults}
	}
	if len(es) == 0 {
		return 0, &ImportError{Faults: []Fault{{File: file, Line: 1, Message: "no employers"}}}
	}
	ie, err := p.createEmployers(ctx, by, es, audit.ImportEmployers)
	if len(ie) > 0 {
		return 0, importFaults(file, ie, len(es), func(i int) int { return i + 2 })
	}
	if err != nil {
		return 0, err
	}
	return len(es), nil
}

// ImportPeople creates the people of a CSV file, all or none; an
// *ImportError locates every fault (duplicate registration numbers,
// unknown employers, bad dates, agency start dates in the future). Only
// an administrator may.
func (p *Programme) ImportPeople(ctx context.Context, by Actor, file string, r io.Reader) (int, error) {
	if err := p.requireAdmin("import people", by); err != nil {
		return 0, err
	}
	ps, faults := ParsePeople(file, r)
	if ps == nil && len(faults) > 0 {
		return 0, &ImportError{Faults: faults}
	}
	if len(ps) == 0 {
		return 0, &ImportError{Faults: []Fault{{File: file, Line: 1, Message: "no people"}}}
	}
	bad := map[int]bool{}
	for _, f := range faults {
		bad[f.Line-2] = true
	}
	ie, err := p.createPeople(ctx, by, ps, audit.ImportPeople)
	if len(ie) > 0 || len(faults) > 0 {
		var fs []Fault
		if len(ie) > 0 {
			fs = importFaults(file, ie, len(ps), func(i int) int { return i + 2 }).Faults
		}
		return 0, &ImportError{Faults: mergeFaults(faults, fs, bad)}
	}
	if err != nil {
		return 0, err
	}
	return len(ps), nil
}

// importFaults locates item faults, line(i) being item i's line.
func importFaults(file string, ie itemErrs, n int, line func(int) int) *ImportError {
	var fs []Fault
	for i := range n {
		for _, fe := range ie[i] {
			fs = append(fs, Fault{File: file, Line: line(i), Column: fe.field, Message: fe.msg})
		}
	}
	return &ImportError{Faults: fs}
}

// mergeFaults joins parse faults and store faults by line, dropping the
// store's "missing start date" where the date did not parse.
func mergeFaults(parse, checked []Fault, bad map[int]bool) []Fault {
	out := append([]Fault{}, parse...)
	for _, f := range checked {
		if f.Column == "started" && bad[f.Line-2] {
			continue
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Fault) int { return a.Line - b.Line })
	return out
}
