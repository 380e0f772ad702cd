package impact

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvHeader is the column order of WriteCSV.
var csvHeader = []string{
	"section", "table", "key1", "key2",
	"n", "passed", "rate", "ci_low", "ci_high", "suppressed",
	"reference", "impact_ratio", "four_fifths", "fisher_p", "note",
}

// NotStated is how WriteCSV names the group of persons who left a
// monitoring field blank.
const NotStated = "(not stated)"

// WriteCSV writes the whole report, one line per cell, under a header of
// its columns (section, table, key1, key2, n, passed, rate, ci_low,
// ci_high, suppressed, reference, impact_ratio, four_fifths, fisher_p, note):
// section "overall" (table "overall"), then section "table" for every table
// in report order (keys in key1, key2), then section "impact" for every
// monitoring field (the field in table, the group in key1). A suppressed
// cell has suppressed "yes" and every number empty. Rates, bounds and ratios
// have six decimals, p values six significant digits. Trends are not
// written: they are the cohort tables.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	write := func(section, table string, c Cell, extra ...string) {
		rec := make([]string, 0, len(csvHeader))
		rec = append(rec, section, table, key(c.Keys, 0), key(c.Keys, 1))
		rec = append(rec, numbers(c)...)
		rec = append(rec, extra...)
		for len(rec) < len(csvHeader) {
			rec = append(rec, "")
		}
		_ = cw.Write(rec) // the error is kept by cw and returned by Error
	}
	write("overall", "overall", r.Overall)
	for _, t := range r.Tables {
		for _, c := range t.Cells {
			write("table", t.Name, c)
		}
	}
	for _, f := range r.Impact {
		for _, g := range f.Groups {
			c := g.Cell
			c.Keys = []string{g.Group}
			if g.Group == "" {
				c.Keys[0] = NotStated
			}
			four := ""
			if g.ImpactRatio != nil {
				four = yesNo(g.FourFifths)
			}
			write("impact", string(f.Field), c, f.Reference, ratio(g.ImpactRatio), four, pValue(g.FisherP), f.Note)
		}
	}
	cw.Flush()
	return cw.Error()
}

func key(keys []string, i int) string {
	if i < len(keys) {
		return keys[i]
	}
	return ""
}

func numbers(c Cell) []string {
	if c.Suppressed {
		return []string{"", "", "", "", "", "yes"}
	}
	return []string{strconv.Itoa(c.N), strconv.Itoa(c.Passed), fixed(c.Rate), fixed(c.Lo), fixed(c.Hi), "no"}
}

func fixed(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

func ratio(v *float64) string {
	if v == nil {
		return ""
	}
	return fixed(*v)
}

func pValue(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', 6, 64)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
