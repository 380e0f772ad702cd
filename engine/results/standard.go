package results

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// Standard is one adopted version of a status's standard: the cut of
// each element, per knowledge form and per role-play circuit. Versions
// number from 1 in the order adopted; the latest is in force.
type Standard struct {
	Status  programme.Status `json:"status"`
	Version int              `json:"version"` // set when adopted
	By      string           `json:"by"`      // set from the actor
	At      time.Time        `json:"at"`      // set when adopted
	Why     string           `json:"why,omitempty"`
	// Knowledge has the cut of each knowledge form, RolePlay that of
	// each circuit.
	Knowledge map[string]Cut         `json:"knowledge,omitempty"`
	RolePlay  map[string]RolePlayCut `json:"role_play,omitempty"`
}

// Cut is an element's pass mark on the raw score: a score at or above
// Cut passes. Panel is the reconciled cut of the two standard-setting
// panels it came from; K the SEM adjustment chosen and SEM the standard
// error of measurement at the cut. When Cut is 0 on adoption it is set
// to Panel + K*SEM; otherwise it is taken as given.
type Cut struct {
	Cut   float64 `json:"cut"`
	Panel float64 `json:"panel"`
	K     float64 `json:"k"`
	SEM   float64 `json:"sem"`
}

// RolePlayCut is the role-play element's cut and how stations combine:
// the element score must reach Cut; with NoMustPassFailure no station may
// have failed a must-pass criterion; with MinStations > 0 at least that
// many stations must be passed, a station passing when it failed no
// must-pass criterion and scored at least StationCut.
type RolePlayCut struct {
	Cut
	NoMustPassFailure bool    `json:"no_must_pass_failure"`
	MinStations       int     `json:"min_stations,omitempty"`
	StationCut        float64 `json:"station_cut,omitempty"`
}

// knowledgeCut and rolePlayCut return the cut of a form or circuit, if
// the standard has one.
func (s *Standard) knowledgeCut(form string) (Cut, bool) {
	c, ok := s.Knowledge[form]
	return c, ok
}

func (s *Standard) rolePlayCut(circuit string) (RolePlayCut, bool) {
	c, ok := s.RolePlay[circuit]
	return c, ok
}

// resolve sets each cut left 0 to Panel + K*SEM.
func (c *Cut) resolve() {
	if c.Cut == 0 {
		c.Cut = c.Panel + c.K*c.SEM
	}
}

// checkStandard resolves s's cuts and returns every reason it may not be
// adopted under blueprint bp, ev giving each form's and circuit's score
// range. It changes s's maps: the caller passes its own copy.
func checkStandard(ctx context.Context, s *Standard, bp programme.Blueprint, ev Evidence) ([]Reason, error) {
	var rs []Reason
	if len(s.Knowledge) == 0 && len(s.RolePlay) == 0 {
		rs = append(rs, reason(CodeInvalid, "a standard needs at least one cut"))
	}
	if len(s.Why) > 2000 {
		rs = append(rs, reason(CodeInvalid, "why: at most 2000 bytes"))
	}
	checkCut := func(what string, c *Cut, rg Range) {
		for _, v := range []float64{c.Cut, c.Panel, c.K, c.SEM} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				rs = append(rs, reason(CodeInvalid, "%s: every number must be finite", what))
				return
			}
		}
		if c.SEM < 0 {
			rs = append(rs, reason(CodeInvalid, "%s: SEM %g is negative", what, c.SEM))
		}
		if c.Panel < 0 || c.Panel > rg.Max {
			rs = append(rs, reason(CodeOutOfRange, "%s: panel cut %g outside the score range 0..%g", what, c.Panel, rg.Max))
		}
		c.resolve()
		if c.Cut < 0 || c.Cut > rg.Max {
			rs = append(rs, reason(CodeOutOfRange, "%s: cut %g outside the score range 0..%g", what, c.Cut, rg.Max))
		}
	}
	for _, form := range slices.Sorted(maps.Keys(s.Knowledge)) {
		rg, why, err := cutRange(ctx, bp, ev, Knowledge, form)
		if err != nil {
			return nil, err
		}
		if why != nil {
			rs = append(rs, *why)
			continue
		}
		c := s.Knowledge[form]
		checkCut("knowledge form "+form, &c, rg)
		s.Knowledge[form] = c
	}
	for _, circuit := range slices.Sorted(maps.Keys(s.RolePlay)) {
		rg, why, err := cutRange(ctx, bp, ev, RolePlay, circuit)
		if err != nil {
			return nil, err
		}
		if why != nil {
			rs = append(rs, *why)
			continue
		}
		c := s.RolePlay[circuit]
		what := "role-play circuit " + circuit
		checkCut(what, &c.Cut, rg)
		if c.MinStations < 0 || c.MinStations > rg.Stations {
			rs = append(rs, reason(CodeOutOfRange, "%s: min_stations %d: want 0 to %d", what, c.MinStations, rg.Stations))
		}
		if c.MinStations > 0 && (c.StationCut < 0 || math.IsNaN(c.StationCut)) {
			rs = append(rs, reason(CodeOutOfRange, "%s: station_cut %g is negative", what, c.StationCut))
		}
		s.RolePlay[circuit] = c
	}
	return rs, nil
}

// cutRange returns the score range of the cut for form or circuit name of
// element el, or the reason blueprint bp has no place for such a cut.
func cutRange(ctx context.Context, bp programme.Blueprint, ev Evidence, el Element, name string) (Range, *Reason, error) {
	label, noun, plural, names, decided := "knowledge", "form", "forms", bp.Forms, bp.Decision.Knowledge
	if el == RolePlay {
		label, noun, plural, names, decided = "role-play", "circuit", "circuits", bp.Circuits, bp.Decision.RolePlay
	}
	var why Reason
	switch {
	case !slices.Contains(names, name):
		why = reason(CodeUnknown, "%s %s %q is not in the %s blueprint (%s %v)", label, noun, name, bp.Status, plural, names)
	case !decided:
		why = reason(CodeUnknown, "the %s decision has no %s element", bp.Status, label)
	default:
		rg, err := ev.Range(ctx, el, name)
		return rg, nil, err
	}
	return Range{}, &why, nil
}

// summary describes a standard in a line, for the audit log.
func (s *Standard) summary() string {
	var parts []string
	for _, f := range slices.Sorted(maps.Keys(s.Knowledge)) {
		parts = append(parts, fmt.Sprintf("knowledge %s cut %g", f, s.Knowledge[f].Cut))
	}
	for _, c := range slices.Sorted(maps.Keys(s.RolePlay)) {
		parts = append(parts, fmt.Sprintf("role-play %s cut %g", c, s.RolePlay[c].Cut.Cut))
	}
	return strings.Join(parts, ", ")
}
