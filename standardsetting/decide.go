package standardsetting

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// Combination rules for an element made of stations.
const (
	// Conjunctive: every station passed (and the total, if TotalCut is set).
	Conjunctive = "conjunctive"
	// Compensatory: the total over stations reaches TotalCut; stations
	// may compensate for one another.
	Compensatory = "compensatory"
	// NOfM: at least MinStations stations passed (and the total, if
	// TotalCut is set).
	NOfM = "n-of-m"
)

// Rules configures the decision for one standard: its elements and how
// each is passed. It is read from JSON (see docs/standard-setting.md).
type Rules struct {
	Standard string        `json:"standard"`
	Elements []ElementRule `json:"elements"`
}

// ElementRule is one element of the standard. A simple element (the
// knowledge test) has a Cut; a composite element (simulated practice) has
// Stations, each with its cut, combined by Rule.
type ElementRule struct {
	Element     string        `json:"element"`
	Cut         *float64      `json:"cut,omitempty"`
	Stations    []StationRule `json:"stations,omitempty"`
	Rule        string        `json:"rule,omitempty"` // default conjunctive
	MinStations int           `json:"min_stations,omitempty"`
	TotalCut    *float64      `json:"total_cut,omitempty"`
}

// StationRule is one station's operational cut.
type StationRule struct {
	Station string  `json:"station"`
	Cut     float64 `json:"cut"`
}

// ReadRules decodes and validates rules from JSON; unknown fields are errors.
func ReadRules(file string, r io.Reader) (*Rules, error) {
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	var rs Rules
	if err := dec.Decode(&rs); err != nil {
		return nil, inputErr(file, 0, "", ErrConfig, "%v", err)
	}
	if err := rs.Validate(); err != nil {
		return nil, inputAt(file, 0, "", err)
	}
	return &rs, nil
}

// Validate checks the rules are complete and consistent: unique element and
// station ids, finite cuts, a cut or stations on each element (not both),
// a total cut for compensatory rules and 1 <= MinStations <= M for N of M.
func (rs *Rules) Validate() error {
	if len(rs.Elements) == 0 {
		return fmt.Errorf("%w: no elements", ErrConfig)
	}
	ids := map[string]bool{}
	claim := func(id, what string) error {
		if id == "" {
			return fmt.Errorf("%w: %s with an empty id", ErrConfig, what)
		}
		if ids[id] {
			return fmt.Errorf("%w: id %q used twice (element and station ids share one namespace)", ErrConfig, id)
		}
		ids[id] = true
		return nil
	}
	for _, e := range rs.Elements {
		if err := claim(e.Element, "element"); err != nil {
			return err
		}
		if err := e.validate(claim); err != nil {
			return err
		}
	}
	return nil
}

func finite(p *float64) bool { return p == nil || !(math.IsNaN(*p) || math.IsInf(*p, 0)) }

func (e ElementRule) validate(claim func(id, what string) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: element %q: %s", ErrConfig, e.Element, fmt.Sprintf(format, args...))
	}
	if (e.Cut == nil) == (len(e.Stations) == 0) {
		return bad("give either a cut or stations")
	}
	if !finite(e.Cut) || !finite(e.TotalCut) {
		return bad("cut is not finite")
	}
	if e.Cut != nil {
		if e.Rule != "" || e.MinStations != 0 || e.TotalCut != nil {
			return bad("rule, min_stations and total_cut apply only to stations")
		}
		return nil
	}
	for _, s := range e.Stations {
		if err := claim(s.Station, "station"); err != nil {
			return err
		}
		if !finite(&s.Cut) {
			return bad("station %q: cut is not finite", s.Station)
		}
	}
	switch e.Rule {
	case "", Conjunctive:
		if e.MinStations != 0 {
			return bad("min_stations needs rule %q", NOfM)
		}
	case Compensatory:
		if e.TotalCut == nil {
			return bad("rule %q needs total_cut", Compensatory)
		}
	case NOfM:
		if e.MinStations < 1 || e.MinStations > len(e.Stations) {
			return bad("min_stations %d outside 1..%d", e.MinStations, len(e.Stations))
		}
	default:
		return bad("unknown rule %q (want conjunctive, compensatory or n-of-m)", e.Rule)
	}
	return nil
}
