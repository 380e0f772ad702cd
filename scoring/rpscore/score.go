package rpscore

import (
	"fmt"
	"math"
	"slices"

	"github.com/accredit/accredit/engine/roleplay"
)

// Marking is one set of marks for one candidate at one station: an
// assessor's sheet, or a resolution of two. Marks may be fractional after
// averaging.
type Marking struct {
	Candidate string
	Station   string
	Assessor  string
	Marks     map[string]float64 // by criterion id
	Judgement float64            // value on the judgement scale
}

// FromState turns a submitted sheet's current (moderated) marks into a
// Marking. A sheet without a judgement gives Judgement 0.
func FromState(st roleplay.State) Marking {
	m := Marking{Candidate: st.Key.Candidate, Station: st.Key.Station, Assessor: st.Key.Assessor,
		Marks: make(map[string]float64, len(st.Marks))}
	for k, v := range st.Marks {
		m.Marks[k] = float64(v)
	}
	if st.Judgement != nil {
		m.Judgement = float64(*st.Judgement)
	}
	return m
}

// StationScore is a station's score under its rubric.
type StationScore struct {
	Score     float64            // sum_i w_i m_i over the rubric's criteria
	Max       float64            // sum_i w_i max_i
	Domains   map[string]float64 // the same sum over each domain's criteria
	DomainMax map[string]float64
	// MustPassFailed lists the must-pass criteria marked below their
	// threshold; any one fails the station whatever the score.
	MustPassFailed []string
}

// Failed reports whether a must-pass criterion failed.
func (s StationScore) Failed() bool { return len(s.MustPassFailed) > 0 }

// Passes reports whether the station is passed at the cut score: no
// must-pass criterion failed and Score >= cut.
func (s StationScore) Passes(cut float64) bool { return !s.Failed() && s.Score >= cut }

// Score returns the station score of marks under rubric r: the weighted sum
// S = sum_i w_i m_i (w_i = 1 when no weight is given), the same sum per
// knowledge-and-skills domain, and the must-pass criteria whose mark is
// below their threshold. Every criterion must be marked within its scale.
func Score(r *roleplay.Rubric, marks map[string]float64) (StationScore, error) {
	for id := range marks {
		if _, ok := r.Criterion(id); !ok {
			return StationScore{}, fmt.Errorf("%w: %q is not in rubric %q", ErrUnknownCriterion, id, r.ID)
		}
	}
	s := StationScore{Domains: map[string]float64{}, DomainMax: map[string]float64{}}
	for _, c := range r.Criteria() {
		v, ok := marks[c.ID]
		if !ok {
			return StationScore{}, fmt.Errorf("%w: %q", ErrMissingMark, c.ID)
		}
		if math.IsNaN(v) || v < float64(c.Min()) || v > float64(c.Max()) {
			return StationScore{}, fmt.Errorf("%w: %q = %g, scale %d..%d", ErrOutOfRange, c.ID, v, c.Min(), c.Max())
		}
		w := c.EffectiveWeight()
		s.Score += w * v
		s.Max += w * float64(c.Max())
		s.Domains[c.Domain()] += w * v
		s.DomainMax[c.Domain()] += w * float64(c.Max())
		if c.MustPass != nil && v < float64(c.MustPass.Threshold) {
			s.MustPassFailed = append(s.MustPassFailed, c.ID)
		}
	}
	return s, nil
}

// StationResult is a candidate's scored station.
type StationResult struct {
	Station   string
	Score     StationScore
	Judgement float64
}

// Element is a candidate's simulated-practice element score.
type Element struct {
	Candidate string
	Score     float64 // sum of the station scores
	Max       float64
	Domains   map[string]float64 // per domain, summed across stations
	DomainMax map[string]float64
	Stations  []StationResult // in the order given
	// FailedStations lists stations failed on a must-pass criterion.
	FailedStations []string
}

// ElementScore sums a candidate's station results: the element score is
// sum_s S_s with maximum sum_s Max_s, and domain scores add up the same way
// across stations. It panics if two results name the same station.
func ElementScore(candidate string, stations []StationResult) Element {
	e := Element{Candidate: candidate, Domains: map[string]float64{}, DomainMax: map[string]float64{},
		Stations: slices.Clone(stations)}
	seen := map[string]bool{}
	for _, st := range stations {
		if seen[st.Station] {
			panic("roleplay scoring: station " + st.Station + " given twice")
		}
		seen[st.Station] = true
		e.Score += st.Score.Score
		e.Max += st.Score.Max
		for d, v := range st.Score.Domains {
			e.Domains[d] += v
			e.DomainMax[d] += st.Score.DomainMax[d]
		}
		if st.Score.Failed() {
			e.FailedStations = append(e.FailedStations, st.Station)
		}
	}
	return e
}
