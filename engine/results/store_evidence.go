package results

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/scoring/rpscore"
)

// StoreEvidence reads the evidence from the store: knowledge scores from
// the engine's attempts, role-play scores from the marking service's
// settled sheets. Library is the content library the engine delivers,
// for the forms' score ranges.
type StoreEvidence struct {
	Engine  *engine.Engine
	Marking *marking.Service
	Library *content.Library
}

var (
	_ Evidence        = (*StoreEvidence)(nil)
	_ CircuitEvidence = (*StoreEvidence)(nil)
)

// Knowledge returns the score of person's submitted attempt in sitting:
// absent when they never joined, not submitted while the attempt runs,
// voided when it was voided or withdrawn.
func (s *StoreEvidence) Knowledge(ctx context.Context, sitting, person string) (KnowledgeScore, error) {
	sc, err := s.Engine.Score(ctx, sitting, person)
	switch {
	case errors.Is(err, engine.ErrUnknownAttempt):
		return KnowledgeScore{}, missing(Knowledge, CodeAbsent, "%s did not sit %s", person, sitting)
	case errors.Is(err, engine.ErrNotSubmitted):
		return KnowledgeScore{}, missing(Knowledge, CodeNotSubmitted, "%s's attempt at %s is not submitted", person, sitting)
	case err != nil:
		return KnowledgeScore{}, fmt.Errorf("knowledge score of %s in %s: %w", person, sitting, err)
	case !sc.Counts():
		return KnowledgeScore{}, missing(Knowledge, CodeVoided, "%s's attempt at %s does not count: %s", person, sitting, sc.Reason)
	}
	k := KnowledgeScore{Sitting: sitting, Form: sc.Form, Score: float64(sc.Result.Raw), Max: float64(sc.Result.Max),
		Domains: make(map[string]DomainScore, len(sc.Result.Domains))}
	for d, v := range sc.Result.Domains {
		k.Domains[d] = DomainScore{Score: float64(v.Raw), Max: float64(v.Max)}
	}
	return k, nil
}

// RolePlay returns person's element score on circuit.
func (s *StoreEvidence) RolePlay(ctx context.Context, circuit, person string) (RolePlayScore, error) {
	all, err := s.Circuit(ctx, circuit)
	if err != nil {
		return RolePlayScore{}, err
	}
	return circuitScore(all, circuit, person)
}

// circuitScore is person's element score among all, every candidate's
// role-play evidence on circuit: absent if they are not on it, missing
// while their stations are unsettled.
func circuitScore(all map[string]RolePlayResult, circuit, person string) (RolePlayScore, error) {
	r, ok := all[person]
	switch {
	case !ok:
		return RolePlayScore{}, missing(RolePlay, CodeAbsent, "%s is not on circuit %s", person, circuit)
	case r.Missing != nil:
		return RolePlayScore{}, r.Missing
	}
	return r.Score, nil
}

// Circuit returns every candidate's role-play evidence on circuit: the
// element score once each of their stations is settled, else the
// unsettled stations and why.
func (s *StoreEvidence) Circuit(ctx context.Context, circuit string) (map[string]RolePlayResult, error) {
	res, err := s.Marking.Results(ctx, circuit)
	if err != nil {
		return nil, fmt.Errorf("role-play results of %s: %w", circuit, err)
	}
	out := map[string]RolePlayResult{}
	for _, u := range res.Unsettled {
		r := out[u.Candidate]
		if r.Missing == nil {
			r.Missing = &MissingError{Element: RolePlay, Code: CodeUnsettled}
		}
		r.Missing.Stations = append(r.Missing.Stations, u.Station)
		out[u.Candidate] = r
	}
	for cand, r := range out {
		slices.Sort(r.Missing.Stations)
		r.Missing.Message = fmt.Sprintf("%s's role-play on %s is not settled at station(s) %v", cand, circuit, r.Missing.Stations)
	}
	for _, e := range res.Elements {
		out[e.Candidate] = RolePlayResult{Score: rolePlayScore(circuit, e)}
	}
	return out, nil
}

func rolePlayScore(circuit string, e rpscore.Element) RolePlayScore {
	r := RolePlayScore{Circuit: circuit, Score: e.Score, Max: e.Max, Domains: make(map[string]DomainScore, len(e.Domains)),
		FailedStations: slices.Clone(e.FailedStations)}
	for d, v := range e.Domains {
		r.Domains[d] = DomainScore{Score: v, Max: e.DomainMax[d]}
	}
	for _, st := range e.Stations {
		r.Stations = append(r.Stations, StationScore{Station: st.Station, Score: st.Score.Score, Max: st.Score.Max,
			MustPassFailed: slices.Clone(st.Score.MustPassFailed)})
	}
	return r
}

// Range returns a form's item count or a circuit's maximum: the sum over
// its stations of each rubric's weighted maximum.
func (s *StoreEvidence) Range(_ context.Context, el Element, id string) (Range, error) {
	switch el {
	case Knowledge:
		f := s.Library.Forms[id]
		if f == nil {
			return Range{}, fmt.Errorf("%w: form %q", ErrNotFound, id)
		}
		return Range{Max: float64(len(f.ItemIDs()))}, nil
	case RolePlay:
		m := s.Marking.Model()
		c := m.Circuits[id]
		if c == nil {
			return Range{}, fmt.Errorf("%w: circuit %q", ErrNotFound, id)
		}
		var r Range
		for _, st := range c.Stations {
			rb, ok := m.RubricOf(c, st.ID)
			if !ok {
				continue
			}
			r.Stations++
			for _, cr := range rb.Criteria() {
				r.Max += cr.EffectiveWeight() * float64(cr.Max())
			}
		}
		return r, nil
	}
	return Range{}, fmt.Errorf("%w: element %q", ErrNotFound, el)
}
