package engine

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/scoring"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// The exports of a sitting for psychometric analysis, in the formats
// `accredit analyse` reads (docs/psychometrics.md): the scored matrix, the
// options chosen, the key and the persons. The matrix and the choices hold
// the attempts that count, submitted and not voided, in natural order of
// person id (c2 before c10), items in form order; the persons file lists
// every candidate booked on the sitting, with the status and reason that
// say why a person is or is not in the matrix.

// counted is one exported attempt.
type counted struct {
	person string
	a      *Attempt
}

// exportSet returns the sitting, its form's item ids in form order and its
// attempts that count.
func (e *Engine) exportSet(ctx context.Context, sittingID string) (*content.Sitting, []string, []counted, error) {
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows []counted
	for _, c := range s.Candidates {
		a, err := e.attemptOf(ctx, s, c.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		if a == nil || a.Status != StatusSubmitted || a.Score == nil || !Counts(a.Reason) {
			continue
		}
		rows = append(rows, counted{person: c.ID, a: a})
	}
	slices.SortFunc(rows, func(x, y counted) int { return naturalCompare(x.person, y.person) })
	return s, e.lib.Forms[s.Form].ItemIDs(), rows, nil
}

// attemptOf returns a candidate's attempt, or nil when they have not joined.
func (e *Engine) attemptOf(ctx context.Context, s *content.Sitting, candidate string) (*Attempt, error) {
	a, _, err := e.Attempt(ctx, AttemptID(s.ID, candidate))
	if errors.Is(err, ErrUnknownAttempt) {
		return nil, nil
	}
	return a, err
}

// ExportMatrix writes the scored responses of the sitting's attempts that
// count as a response-matrix CSV: a header "person" and the item ids, then
// per person 1 (right), 0 (wrong), for an item with partial credit its
// score with a decimal point (0.5, 2.0, 0.0), respmatrix.OmittedCode (presented, no option chosen)
// or empty (not presented).
func (e *Engine) ExportMatrix(ctx context.Context, sittingID string, w io.Writer) error {
	_, items, rows, err := e.exportSet(ctx, sittingID)
	if err != nil {
		return err
	}
	return writeGrid(w, items, rows, func(a *Attempt, id string) string {
		s, presented := a.Score.Items[id]
		switch {
		case !presented:
			return ""
		case s == 0 && len(a.Answers[id]) == 0:
			return respmatrix.OmittedCode
		}
		return scoring.FormatScore(e.lib.Items[id], s) // 1, 0, or a partial score such as 0.5
	})
}

// ExportChoices writes the options chosen in the sitting's attempts that
// count, the raw responses of a distractor analysis (`accredit analyse items
// --key`): per person and item the option id, the ids of a
// multiple-response answer sorted and joined by respmatrix.ChoiceSep,
// respmatrix.OmittedChoice when presented and unanswered, or empty when not
// presented.
func (e *Engine) ExportChoices(ctx context.Context, sittingID string, w io.Writer) error {
	_, items, rows, err := e.exportSet(ctx, sittingID)
	if err != nil {
		return err
	}
	return writeGrid(w, items, rows, func(a *Attempt, id string) string {
		if _, presented := a.Score.Items[id]; !presented {
			return ""
		}
		if len(a.Answers[id]) == 0 {
			return respmatrix.OmittedChoice
		}
		return joinOptions(a.Answers[id])
	})
}

// ExportKey writes the key of the sitting's form as the CSV "item,key" that
// respmatrix.ReadKey reads, items in form order, the options of a
// multiple-response key joined as in ExportChoices.
func (e *Engine) ExportKey(ctx context.Context, sittingID string, w io.Writer) error {
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"item", "key"})
	for _, id := range e.lib.Forms[s.Form].ItemIDs() {
		cw.Write([]string{id, joinOptions(e.lib.Items[id].Key)})
	}
	cw.Flush()
	return cw.Error()
}

// personsHeader is the header of ExportPersons.
var personsHeader = []string{"person", "sitting", "centre", "form", "employer", "time_factor", "status", "reason"}

// ExportPersons writes one row per candidate booked on the sitting, in
// natural order of person id: the sitting, centre and form, the employer,
// the time factor of their adjustment (1, or 1.25 for 25% extra time), the
// attempt's status (not_joined, waiting, in_progress, submitted) and its
// submission reason (candidate, deadline, invigilator, voided, withdrawn). A person is
// in the matrix exactly when submitted with a reason that counts (Counts). The
// file is a candidate file for `accredit analyse dif|impact --candidates`.
func (e *Engine) ExportPersons(ctx context.Context, sittingID string, w io.Writer) error {
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return err
	}
	cands := slices.Clone(s.Candidates)
	slices.SortFunc(cands, func(x, y content.Candidate) int { return naturalCompare(x.ID, y.ID) })
	cw := csv.NewWriter(w)
	cw.Write(personsHeader)
	for _, c := range cands {
		a, err := e.attemptOf(ctx, s, c.ID)
		if err != nil {
			return err
		}
		status, reason := "not_joined", ""
		if a != nil {
			status, reason = string(a.Status), a.Reason
		}
		tf := strconv.FormatFloat(c.TimeFactor(), 'g', -1, 64)
		cw.Write([]string{c.ID, s.ID, s.Centre, s.Form, c.Employer, tf, status, reason})
	}
	cw.Flush()
	return cw.Error()
}

// writeGrid writes a person-by-item CSV, cell giving each cell.
func writeGrid(w io.Writer, items []string, rows []counted, cell func(a *Attempt, item string) string) error {
	cw := csv.NewWriter(w)
	rec := append([]string{respmatrix.PersonColumn}, items...)
	cw.Write(rec)
	for _, r := range rows {
		rec = append(rec[:0], r.person)
		for _, id := range items {
			rec = append(rec, cell(r.a, id))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// joinOptions returns option ids sorted and joined by respmatrix.ChoiceSep.
func joinOptions(ids []string) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return strings.Join(s, respmatrix.ChoiceSep)
}

// naturalCompare orders strings as people read them: runs of digits by
// their value, so c2 comes before c10; other text byte by byte. Strings
// equal in that order (c01, c1) fall back to byte order.
func naturalCompare(a, b string) int {
	x, y := a, b
	for x != "" && y != "" {
		dx, dy := digitRun(x), digitRun(y)
		if dx > 0 && dy > 0 {
			nx, ny := strings.TrimLeft(x[:dx], "0"), strings.TrimLeft(y[:dy], "0")
			if c := cmpLen(nx, ny); c != 0 {
				return c
			}
			if c := strings.Compare(nx, ny); c != 0 {
				return c
			}
			x, y = x[dx:], y[dy:]
			continue
		}
		if x[0] != y[0] {
			return int(x[0]) - int(y[0])
		}
		x, y = x[1:], y[1:]
	}
	if c := len(x) - len(y); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// digitRun returns the length of the run of ASCII digits at the start of s.
func digitRun(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func cmpLen(a, b string) int { return len(a) - len(b) }
