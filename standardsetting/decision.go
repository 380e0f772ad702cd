package standardsetting

import (
	"io"
	"math"
)

// Outcomes of a standard. There is no grade: only these three.
const (
	Met          = "met"
	PartiallyMet = "partially_met"
	NotMet       = "not_met"
)

// Results of an element or station.
const (
	Pass   = "pass"
	Fail   = "fail"
	Absent = "absent" // no score: counts as not passed
)

// ElementScores holds candidates' scores per element or station id, in the
// order candidates first appear in the file.
type ElementScores struct {
	File       string
	Candidates []string
	Scores     map[string]map[string]float64 // candidate -> element/station -> score
}

// ReadElementScores reads candidate,element,score rows (station scores use
// the station id as element). A repeated candidate/element pair is an error.
func ReadElementScores(file string, r io.Reader) (*ElementScores, error) {
	t, cols, err := readColumns(file, r, 0, "", "candidate", "element", "score")
	if err != nil {
		return nil, err
	}
	es := &ElementScores{File: file, Scores: map[string]map[string]float64{}}
	for i := range t.rows {
		c, err := t.label(i, cols[0])
		if err != nil {
			return nil, err
		}
		e, err := t.label(i, cols[1])
		if err != nil {
			return nil, err
		}
		v, err := t.floatIn(i, cols[2], 0, math.Inf(1))
		if err != nil {
			return nil, err
		}
		m := es.Scores[c]
		if m == nil {
			m = map[string]float64{}
			es.Scores[c] = m
			es.Candidates = append(es.Candidates, c)
		}
		if _, dup := m[e]; dup {
			return nil, inputErr(file, t.lines[i], "element", ErrDuplicate, "candidate %q already has a score for %q", c, e)
		}
		m[e] = v
	}
	return es, nil
}

// Decision is one candidate's outcome for the standard.
type Decision struct {
	Candidate string            `json:"candidate"`
	Standard  string            `json:"standard,omitempty"`
	Outcome   string            `json:"outcome"`
	Elements  []ElementDecision `json:"elements"`
	// Resit lists the elements to re-sit on the fast track; only set when
	// the standard is partially met.
	Resit []string `json:"resit,omitempty"`
}

// ElementDecision is the result of one element.
type ElementDecision struct {
	Element  string            `json:"element"`
	Result   string            `json:"result"`
	Stations []StationDecision `json:"stations,omitempty"`
	Passed   int               `json:"stations_passed,omitempty"`
	Total    *float64          `json:"total,omitempty"`
}

// StationDecision is the result at one station.
type StationDecision struct {
	Station string `json:"station"`
	Result  string `json:"result"`
}

// Decide applies the operational cuts in rs to each candidate's scores: a
// score at or above the cut passes. The standard is met when every element
// is passed, partially met when some are (the others go to Resit), and not
// met when none is. rs must be valid (Validate); Decide panics otherwise.
func Decide(rs *Rules, es *ElementScores) []Decision {
	if err := rs.Validate(); err != nil {
		panic("standardsetting: " + err.Error())
	}
	out := make([]Decision, 0, len(es.Candidates))
	for _, c := range es.Candidates {
		d := Decision{Candidate: c, Standard: rs.Standard}
		passed := 0
		for _, e := range rs.Elements {
			ed := decideElement(e, es.Scores[c])
			if ed.Result == Pass {
				passed++
			} else {
				d.Resit = append(d.Resit, e.Element)
			}
			d.Elements = append(d.Elements, ed)
		}
		switch passed {
		case len(rs.Elements):
			d.Outcome = Met
		case 0:
			d.Outcome, d.Resit = NotMet, nil
		default:
			d.Outcome = PartiallyMet
		}
		out = append(out, d)
	}
	return out
}

func result(score float64, ok bool, cut float64) string {
	switch {
	case !ok:
		return Absent
	case score >= cut:
		return Pass
	}
	return Fail
}

func decideElement(e ElementRule, scores map[string]float64) ElementDecision {
	ed := ElementDecision{Element: e.Element}
	if e.Cut != nil {
		v, ok := scores[e.Element]
		ed.Result = result(v, ok, *e.Cut)
		return ed
	}
	var total float64
	seen := 0
	for _, s := range e.Stations {
		v, ok := scores[s.Station]
		r := result(v, ok, s.Cut)
		if ok {
			total += v
			seen++
		}
		if r == Pass {
			ed.Passed++
		}
		ed.Stations = append(ed.Stations, StationDecision{Station: s.Station, Result: r})
	}
	if seen == 0 {
		ed.Result = Absent
		return ed
	}
	ed.Total = &total
	totalOK := e.TotalCut == nil || total >= *e.TotalCut
	var ok bool
	switch e.Rule {
	case Compensatory:
		ok = totalOK
	case NOfM:
		ok = ed.Passed >= e.MinStations && totalOK
	default:
		ok = ed.Passed == len(e.Stations) && totalOK
	}
	ed.Result = Fail
	if ok {
		ed.Result = Pass
	}
	return ed
}

// Summary counts outcomes over candidates (no candidate is ranked).
type Summary struct {
	Candidates  int            `json:"candidates"`
	Outcomes    map[string]int `json:"outcomes"`
	ElementPass map[string]int `json:"element_passes"`
}

// Summarise counts each outcome and each element's passes.
func Summarise(ds []Decision) Summary {
	s := Summary{Candidates: len(ds), Outcomes: map[string]int{Met: 0, PartiallyMet: 0, NotMet: 0}, ElementPass: map[string]int{}}
	for _, d := range ds {
		s.Outcomes[d.Outcome]++
		for _, e := range d.Elements {
			if e.Result == Pass {
				s.ElementPass[e.Element]++
			} else if _, ok := s.ElementPass[e.Element]; !ok {
				s.ElementPass[e.Element] = 0
			}
		}
	}
	return s
}
