package standardsetting

import (
	"fmt"
	"math"
	"slices"

	"github.com/accredit/accredit/scoring/reliability"
)

// StudyOptions configures a two-panel Angoff study.
type StudyOptions struct {
	// Scores are the candidates' totals for impact data; nil for none.
	Scores *Candidates
	// Responses is the scored response matrix (candidates x items, items
	// as in the ratings) for alpha and item facility; nil for none.
	Responses     [][]float64
	ResponseItems []string
	// Alpha is a reliability given instead of computed; nil to compute it
	// from Responses.
	Alpha    *float64
	K        float64  // operational cut = reconciled + K x SEM
	Rule     Rule     // reconciliation rule; "" = inverse variance
	Rounding Rounding // "" = ceiling
}

// Study is the full report of an Angoff standard set by one or more panels.
type Study struct {
	Method       string            `json:"method"`
	Items        int               `json:"items"`
	Panels       []PanelReport     `json:"panels"`
	Reconciled   Reconciled        `json:"reconciled"`
	Agreement    *Agreement        `json:"agreement,omitempty"`
	PooledJudges *Estimate         `json:"pooled_judges,omitempty"`
	Measurement  *MeasurementError `json:"measurement,omitempty"`
	Operational  Operational       `json:"operational"`
	Impact       *Impact           `json:"impact,omitempty"`
}

// PanelReport is one panel's final-round Angoff result with every round's cut.
type PanelReport struct {
	Panel string   `json:"panel"`
	Files []string `json:"files"`
	AngoffResult
	Rounds []RoundCut `json:"rounds"`
	// PassRate is the pass rate at the panel's cut rounded up; nil without scores.
	PassRate *float64 `json:"pass_rate,omitempty"`
}

// RoundCut is a panel's cut after one round.
type RoundCut struct {
	Round int     `json:"round"`
	File  string  `json:"file"`
	Cut   float64 `json:"cut"`
	SE    float64 `json:"se"`
}

// Impact is the pass rate at every whole cut and at the candidate cuts,
// overall and by group.
type Impact struct {
	N      int           `json:"n"`
	Curve  []ImpactPoint `json:"curve"`
	Cuts   []CutImpact   `json:"cuts"`
	Groups []GroupImpact `json:"groups,omitempty"`
}

// CutImpact is the pass rate at one named cut, applied rounded.
type CutImpact struct {
	Name     string  `json:"name"`
	Cut      float64 `json:"cut"`
	Applied  float64 `json:"applied"`
	PassRate float64 `json:"pass_rate"`
}

// AngoffStudy computes each panel's Angoff cut (final round), reconciles
// the panels, derives the measurement error and the operational cut, and
// the impact when scores are given. The panels must rate the same items
// in every round (ErrMismatch naming the file otherwise).
func AngoffStudy(panels []*Panel, o StudyOptions) (*Study, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("%w: no panel", ErrTooFew)
	}
	if err := CheckItems(panels); err != nil {
		return nil, err
	}
	items := panels[0].Final().Items
	I := len(items)
	var facility []float64
	if o.Responses != nil {
		if !slices.Equal(o.ResponseItems, items) {
			return nil, fmt.Errorf("%w: the response matrix's items %v differ from the ratings' items %v", ErrMismatch, head(o.ResponseItems), head(items))
		}
		facility = Facility(o.Responses)
	}
	var scores []float64
	if o.Scores != nil {
		if err := o.Scores.CheckMax(float64(I)); err != nil {
			return nil, err
		}
		scores = o.Scores.Scores
	} else if o.Responses != nil {
		scores = rowSums(o.Responses)
	}
	st := &Study{Method: "angoff", Items: I}
	var results []AngoffResult
	var cuts []PanelCut
	for _, p := range panels {
		pr := PanelReport{Panel: p.Name, AngoffResult: Angoff(p.Final(), facility)}
		for k, r := range p.Rounds {
			a := Angoff(r, nil)
			pr.Files = append(pr.Files, r.File)
			pr.Rounds = append(pr.Rounds, RoundCut{Round: k + 1, File: r.File, Cut: a.Cut, SE: a.SE})
		}
		if scores != nil {
			v := PassRate(scores, Ceiling.Round(pr.Cut, 1))
			pr.PassRate = &v
		}
		st.Panels = append(st.Panels, pr)
		results = append(results, pr.AngoffResult)
		cuts = append(cuts, PanelCut{Panel: p.Name, Cut: pr.Cut, SE: pr.SE})
	}
	if err := st.reconcile(cuts, results, o.Rule); err != nil {
		return nil, err
	}
	if err := st.measure(o, scores); err != nil {
		return nil, err
	}
	if o.Scores != nil || scores != nil {
		st.Impact = st.impact(o.Scores, scores)
	}
	return st, nil
}

func head(xs []string) []string {
	if len(xs) > 3 {
		return xs[:3]
	}
	return xs
}

func (st *Study) reconcile(cuts []PanelCut, results []AngoffResult, rule Rule) error {
	if rule == "" {
		rule = InverseVariance
	}
	if len(cuts) == 1 {
		st.Reconciled = Reconciled{Rule: "single-panel", Cut: cuts[0].Cut, SE: cuts[0].SE}
		return nil
	}
	rec, ag, err := Reconcile(cuts, rule)
	if err != nil {
		return err
	}
	pooled := PooledJudges(results)
	st.Reconciled, st.Agreement, st.PooledJudges = rec, &ag, &pooled
	return nil
}

func (st *Study) measure(o StudyOptions, scores []float64) error {
	if o.Rounding == "" {
		o.Rounding = Ceiling
	}
	var me *MeasurementError
	switch {
	case o.Alpha != nil:
		if *o.Alpha < 0 || *o.Alpha > 1 || math.IsNaN(*o.Alpha) {
			return fmt.Errorf("%w: alpha %v outside [0,1]", ErrConfig, *o.Alpha)
		}
		me = &MeasurementError{Source: "given", Alpha: *o.Alpha}
	case o.Responses != nil:
		a, err := alpha(o.Responses)
		if err != nil {
			return err
		}
		me = &MeasurementError{Source: "alpha", Alpha: a}
		if dichotomous(o.Responses) {
			me.Source = "kr20"
		}
	}
	if me != nil && scores == nil {
		return fmt.Errorf("%w: the SEM needs candidates' scores (scores or responses)", ErrConfig)
	}
	sem := 0.0
	if me != nil {
		me.SEM = semOf(scores, me.Alpha)
		me.CSEM = reliability.CSEMLord(st.Reconciled.Cut, st.Items)
		if me.SEM > 0 {
			me.SECutOverSEM = st.Reconciled.SE / me.SEM
		}
		sem = me.SEM
	} else if o.K != 0 {
		return fmt.Errorf("%w: k = %v needs a reliability (alpha or responses) for the SEM", ErrConfig, o.K)
	}
	st.Measurement = me
	st.Operational = OperationalCut(st.Reconciled.Cut, o.K, sem, o.Rounding, scores)
	return nil
}

func dichotomous(x [][]float64) bool {
	for _, r := range x {
		for _, v := range r {
			if v != 0 && v != 1 {
				return false
			}
		}
	}
	return true
}

// NamedCuts lists the study's candidate cuts: each panel's, the
// reconciled and the operational.
func (st *Study) NamedCuts() []NamedCut {
	var out []NamedCut
	for _, p := range st.Panels {
		out = append(out, NamedCut{Name: p.Panel, Cut: p.Cut})
	}
	out = append(out, NamedCut{Name: "reconciled", Cut: st.Reconciled.Cut}, NamedCut{Name: "operational", Cut: st.Operational.Cut})
	return out
}

func (st *Study) impact(c *Candidates, scores []float64) *Impact {
	im := &Impact{N: len(scores), Curve: ImpactCurve(scores, st.Items)}
	applied := st.NamedCuts()
	for i, nc := range applied {
		applied[i].Cut = Ceiling.Round(nc.Cut, 1)
		im.Cuts = append(im.Cuts, CutImpact{Name: nc.Name, Cut: nc.Cut, Applied: applied[i].Cut, PassRate: PassRate(scores, applied[i].Cut)})
	}
	if c != nil {
		im.Groups = ImpactByGroup(c, applied)
	}
	return im
}
