package marking

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/scoring/rpscore"
)

// Results are a circuit's scores from its stored sheets, moderations
// included.
type Results struct {
	Circuit string `json:"circuit"`
	// Sheets has each submitted sheet of a station's own assessor.
	Sheets []rpscore.SheetRow `json:"sheets"`
	// Stations has each candidate's station once it is settled: a single
	// marker's sheet, two sheets averaged, or a flagged station resolved by
	// the circuit's rule.
	Stations []rpscore.Resolved `json:"stations"`
	// Unsettled lists the candidates' stations not settled yet, and why.
	Unsettled []Unsettled `json:"unsettled"`
	// Elements has the simulated-practice element score of each candidate
	// whose every station is settled.
	Elements []rpscore.Element `json:"elements"`
}

// Unsettled is a candidate's station without a score yet.
type Unsettled struct {
	Station   string `json:"station"`
	Candidate string `json:"candidate"`
	Reason    string `json:"reason"`
}

// Results scores circuit id from the sheets stored so far.
func (s *Service) Results(ctx context.Context, id string) (Results, error) {
	c, ok := s.m.Circuits[id]
	if !ok {
		return Results{}, fmt.Errorf("%w: no circuit %q", roleplay.ErrReference, id)
	}
	res := Results{Circuit: id, Sheets: []rpscore.SheetRow{}, Stations: []rpscore.Resolved{},
		Unsettled: []Unsettled{}, Elements: []rpscore.Element{}}
	byCand := map[string][]rpscore.StationResult{}
	pending := map[string]bool{}
	for _, sl := range c.Schedule {
		st, _ := c.Station(sl.Station)
		r, err := s.settle(ctx, c, st, sl.Candidate, &res)
		if err != nil {
			return Results{}, err
		}
		if r == nil {
			pending[sl.Candidate] = true
			continue
		}
		res.Stations = append(res.Stations, *r)
		byCand[sl.Candidate] = append(byCand[sl.Candidate], rpscore.StationResult{Station: st.ID, Score: r.Score, Judgement: r.Judgement})
	}
	for _, cd := range c.Candidates {
		if !pending[cd.ID] && len(byCand[cd.ID]) > 0 {
			res.Elements = append(res.Elements, rpscore.ElementScore(cd.ID, byCand[cd.ID]))
		}
	}
	order := func(a, b string, x, y string) bool {
		if a != b {
			return a < b
		}
		return x < y
	}
	sort.SliceStable(res.Sheets, func(i, j int) bool {
		return order(res.Sheets[i].Candidate, res.Sheets[j].Candidate, res.Sheets[i].Station, res.Sheets[j].Station)
	})
	sort.SliceStable(res.Stations, func(i, j int) bool {
		return order(res.Stations[i].Candidate, res.Stations[j].Candidate, res.Stations[i].Station, res.Stations[j].Station)
	})
	return res, nil
}

// settle scores one candidate's station, adding its submitted sheets to
// res.Sheets; it returns nil, with the reason in res.Unsettled, while the
// station cannot be settled.
func (s *Service) settle(ctx context.Context, c *roleplay.Circuit, st *roleplay.Station, cand string, res *Results) (*rpscore.Resolved, error) {
	r, _ := s.m.RubricOf(c, st.ID)
	unsettled := func(format string, args ...any) (*rpscore.Resolved, error) {
		res.Unsettled = append(res.Unsettled, Unsettled{Station: st.ID, Candidate: cand, Reason: fmt.Sprintf(format, args...)})
		return nil, nil
	}
	var ms []rpscore.Marking
	var waiting []string
	for _, a := range st.Assessors {
		vm, _, err := s.view(ctx, roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: cand, Assessor: a})
		if err != nil {
			return nil, err
		}
		if !vm.Submitted {
			waiting = append(waiting, a)
			continue
		}
		m := rpscore.FromState(vm.State)
		sc, err := rpscore.Score(r, m.Marks)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", StreamName(vm.Key), err)
		}
		res.Sheets = append(res.Sheets, rpscore.SheetRow{Candidate: cand, Station: st.ID, Assessor: a, Score: sc.Score, Global: m.Judgement})
		ms = append(ms, m)
	}
	if len(waiting) > 0 {
		return unsettled("waiting for the sheet of %v", waiting)
	}
	if len(ms) == 1 {
		out, err := rpscore.Single(r, ms[0])
		return &out, err
	}
	var extra *rpscore.Marking
	if c.DoubleMarking.Resolution != roleplay.ResolveAverage { // averaging needs no third sheet
		if vm, _, ok, err := s.resolver(ctx, c, st, cand); err != nil {
			return nil, err
		} else if ok && vm.Submitted {
			m := rpscore.FromState(vm.State)
			extra = &m
		}
	}
	out, err := rpscore.Resolve(c.DoubleMarking, s.m.Judgement, r, ms[0], ms[1], extra)
	if errors.Is(err, rpscore.ErrUnresolved) {
		return unsettled("flagged: waiting for the %s", map[roleplay.Resolution]string{
			roleplay.ResolveLead: "lead assessor's decision", roleplay.ResolveThirdMarker: "third marker"}[c.DoubleMarking.Resolution])
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// WriteResults writes res as CSV in shape "sheets" (or "") or
// "standard-setting".
func WriteResults(w io.Writer, res Results, shape string) error {
	if shape == "standard-setting" {
		return rpscore.WriteStandardSetting(w, res.Stations)
	}
	return rpscore.WriteSheets(w, res.Sheets)
}

// ResultsSummary is one circuit in the list of results.
type ResultsSummary struct {
	ID              string          `json:"id"`
	Title           string          `json:"title"`
	Status          roleplay.Status `json:"status"`
	Start           time.Time       `json:"start"`
	Sheets          int             `json:"sheets"`           // submitted sheets of stations' own assessors
	StationsSettled int             `json:"stations_settled"` // candidates' stations with a score
	StationsTotal   int             `json:"stations_total"`   // candidates' stations the schedule holds
	Elements        int             `json:"elements"`         // candidates with an element score
}

// ResultsList summarises the results of every circuit, or with lead not
// empty only of the circuits that assessor leads, ordered by start.
func (s *Service) ResultsList(ctx context.Context, lead string) ([]ResultsSummary, error) {
	out := []ResultsSummary{}
	for _, c := range s.m.Circuits {
		if lead != "" && c.LeadAssessor != lead {
			continue
		}
		res, err := s.Results(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, ResultsSummary{ID: c.ID, Title: c.Title, Status: c.Status, Start: c.Start,
			Sheets: len(res.Sheets), StationsSettled: len(res.Stations), StationsTotal: len(c.Schedule), Elements: len(res.Elements)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}
