package rpscore

import (
	"fmt"
	"math"

	"github.com/accredit/accredit/engine/roleplay"
)

// Discrepancy compares two assessors' markings of one station.
type Discrepancy struct {
	ScoreDiff      float64 // |S_a - S_b|
	JudgementSteps int     // distance between the judgements in scale positions
	ScoreFlag      bool    // ScoreDiff > tolerance
	JudgementFlag  bool    // JudgementSteps > allowed steps
}

// Flagged reports whether the station needs resolving.
func (d Discrepancy) Flagged() bool { return d.ScoreFlag || d.JudgementFlag }

// Compare flags a double-marked station when the station scores differ by
// more than cfg.Tolerance or the global judgements lie more than
// cfg.Steps() positions apart on the scale. Judgements not on the scale
// count as far apart as the scale is long.
func Compare(cfg roleplay.DoubleMarking, scale roleplay.JudgementScale, a, b Marking, sa, sb StationScore) Discrepancy {
	d := Discrepancy{ScoreDiff: math.Abs(sa.Score - sb.Score)}
	ia, okA := scale.Index(int(a.Judgement))
	ib, okB := scale.Index(int(b.Judgement))
	if okA && okB && a.Judgement == math.Trunc(a.Judgement) && b.Judgement == math.Trunc(b.Judgement) {
		d.JudgementSteps = abs(ia - ib)
	} else {
		d.JudgementSteps = len(scale.Points)
	}
	d.ScoreFlag = d.ScoreDiff > cfg.Tolerance
	d.JudgementFlag = d.JudgementSteps > cfg.Steps()
	return d
}

func abs(x int) int { return max(x, -x) }

// Resolved is the marking that stands for a double-marked station.
type Resolved struct {
	Marking
	Score       StationScore
	Discrepancy Discrepancy
	Rule        roleplay.Resolution // the rule applied; "average" when not flagged
	Basis       []string            // assessors whose marks make up the result
}

// Resolve settles a double-marked station. Unflagged stations take the mean
// of the two markings, criterion by criterion (so the station score is the
// mean of the two scores) and judgement by judgement. Flagged stations
// follow cfg.Resolution:
//
//   - average: the same mean;
//   - lead: extra, the lead assessor's marking, stands;
//   - third_marker: extra, the third marker's marking, is averaged with
//     whichever original marking has the closer station score; when both
//     are equally close, with both (the mean of the three).
//
// A flagged lead or third-marker station without extra returns
// ErrUnresolved.
func Resolve(cfg roleplay.DoubleMarking, scale roleplay.JudgementScale, r *roleplay.Rubric, a, b Marking, extra *Marking) (Resolved, error) {
	if a.Candidate != b.Candidate || a.Station != b.Station || a.Assessor == b.Assessor {
		return Resolved{}, fmt.Errorf("%w: %s/%s by %s against %s/%s by %s", ErrMismatch,
			a.Candidate, a.Station, a.Assessor, b.Candidate, b.Station, b.Assessor)
	}
	sa, err := Score(r, a.Marks)
	if err != nil {
		return Resolved{}, fmt.Errorf("%s: %w", a.Assessor, err)
	}
	sb, err := Score(r, b.Marks)
	if err != nil {
		return Resolved{}, fmt.Errorf("%s: %w", b.Assessor, err)
	}
	d := Compare(cfg, scale, a, b, sa, sb)
	rule := roleplay.ResolveAverage
	if d.Flagged() {
		rule = cfg.Resolution
	}
	parts, err := resolutionParts(rule, r, a, b, sa, sb, extra)
	if err != nil {
		return Resolved{}, err
	}
	res := Resolved{Marking: mean(parts), Discrepancy: d, Rule: rule}
	for _, p := range parts {
		res.Basis = append(res.Basis, p.Assessor)
	}
	res.Assessor = ""
	if res.Score, err = Score(r, res.Marks); err != nil {
		return Resolved{}, err
	}
	return res, nil
}

func resolutionParts(rule roleplay.Resolution, r *roleplay.Rubric, a, b Marking, sa, sb StationScore, extra *Marking) ([]Marking, error) {
	switch rule {
	case roleplay.ResolveAverage, "":
		return []Marking{a, b}, nil
	case roleplay.ResolveLead, roleplay.ResolveThirdMarker:
	default:
		panic(fmt.Sprintf("roleplay scoring: unknown resolution %q", rule))
	}
	if extra == nil {
		return nil, fmt.Errorf("%w: %s/%s needs a %s marking", ErrUnresolved, a.Candidate, a.Station, rule)
	}
	if extra.Candidate != a.Candidate || extra.Station != a.Station || extra.Assessor == a.Assessor || extra.Assessor == b.Assessor {
		return nil, fmt.Errorf("%w: resolving marking by %s is for %s/%s", ErrMismatch, extra.Assessor, extra.Candidate, extra.Station)
	}
	if rule == roleplay.ResolveLead {
		return []Marking{*extra}, nil
	}
	se, err := Score(r, extra.Marks)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", extra.Assessor, err)
	}
	da, db := math.Abs(se.Score-sa.Score), math.Abs(se.Score-sb.Score)
	switch {
	case da < db:
		return []Marking{*extra, a}, nil
	case db < da:
		return []Marking{*extra, b}, nil
	}
	return []Marking{*extra, a, b}, nil
}

// mean averages markings criterion by criterion and judgement by judgement.
func mean(ms []Marking) Marking {
	out := Marking{Candidate: ms[0].Candidate, Station: ms[0].Station, Marks: map[string]float64{}}
	n := float64(len(ms))
	for _, m := range ms {
		for k, v := range m.Marks {
			out.Marks[k] += v / n
		}
		out.Judgement += m.Judgement / n
	}
	return out
}

// Single scores a single-marked station: its one marking stands.
func Single(r *roleplay.Rubric, m Marking) (Resolved, error) {
	s, err := Score(r, m.Marks)
	if err != nil {
		return Resolved{}, fmt.Errorf("%s: %w", m.Assessor, err)
	}
	return Resolved{Marking: m, Score: s, Basis: []string{m.Assessor}}, nil
}
