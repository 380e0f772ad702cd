package rpscore

import (
	"encoding/csv"
	"io"
	"strconv"
)

// SheetRow is one assessor's scored sheet, a line of the marks export.
type SheetRow struct {
	Candidate string
	Station   string
	Assessor  string
	Score     float64
	Global    float64 // global judgement value
}

// WriteSheets writes the per-assessor export with the header
// candidate,station,assessor,score,global.
func WriteSheets(w io.Writer, rows []SheetRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"candidate", "station", "assessor", "score", "global"})
	for _, r := range rows {
		cw.Write([]string{r.Candidate, r.Station, r.Assessor, num(r.Score), num(r.Global)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteStandardSetting writes one line per candidate and station, with the
// resolved station score as the checklist score, in the shape the
// borderline-regression standard setting reads:
// candidate,station,checklist,global.
func WriteStandardSetting(w io.Writer, rows []Resolved) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"candidate", "station", "checklist", "global"})
	for _, r := range rows {
		cw.Write([]string{r.Candidate, r.Station, num(r.Score.Score), num(r.Judgement)})
	}
	cw.Flush()
	return cw.Error()
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
