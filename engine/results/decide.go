package results

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// Outcome is a person's outcome against a status's standard. There is no
// grade.
type Outcome string

// Outcomes.
const (
	Met          Outcome = "met"
	PartiallyMet Outcome = "partially_met" // one element passed: re-sit the other on the fast track
	NotMet       Outcome = "not_met"
	Incomplete   Outcome = "incomplete" // evidence or a cut missing: no decision
)

// Candidate is one person to decide and where their evidence is.
type Candidate struct {
	Person   string           `json:"person"`
	Employer string           `json:"employer"`
	Status   programme.Status `json:"status"` // the assessment sat
	// Sitting is the knowledge sitting and Circuit the role-play circuit
	// counted, "" when none was booked; KnowledgeStart and RolePlayStart
	// are when they start.
	Sitting        string    `json:"sitting,omitempty"`
	KnowledgeStart time.Time `json:"knowledge_start,omitzero"`
	Circuit        string    `json:"circuit,omitempty"`
	RolePlayStart  time.Time `json:"role_play_start,omitzero"`
	// Start places the person in a cohort: the knowledge sitting's start,
	// or a role-play re-sit's when that came later.
	Start time.Time `json:"start"`
}

// Evidenced is a person's evidence as read: each element's score, or why
// it is missing.
type Evidenced struct {
	Knowledge        *KnowledgeScore
	KnowledgeMissing *MissingError
	RolePlay         *RolePlayScore
	RolePlayMissing  *MissingError
}

// ElementResult is one element passed or not, with the scores behind it:
// for the programme team only.
type ElementResult struct {
	Element Element `json:"element"`
	ID      string  `json:"id"` // the form or the circuit
	Score   float64 `json:"score"`
	Max     float64 `json:"max"`
	Cut     float64 `json:"cut"`
	Passed  bool    `json:"passed"`
	// StationsPassed counts the role-play stations passed when the cut
	// asks for a minimum; FailedStations lists those failed on a
	// must-pass criterion.
	StationsPassed int      `json:"stations_passed,omitempty"`
	FailedStations []string `json:"failed_stations,omitempty"`
	// Why says why the element was not passed.
	Why []string `json:"why,omitempty"`
}

// Decision is a person's outcome with the scores behind it, for the
// programme team. CandidateOutcome is what the candidate and their
// employer see.
type Decision struct {
	Person   string           `json:"person"`
	Employer string           `json:"employer"`
	Status   programme.Status `json:"status"`
	Window   string           `json:"window,omitempty"`
	Version  int              `json:"version"` // of the standard decided on, 0 for none
	Outcome  Outcome          `json:"outcome"`
	Elements []ElementResult  `json:"elements"`
	// Resit lists the elements to re-sit on the fast track when
	// partially met.
	Resit []Element `json:"resit,omitempty"`
	// Missing lists why the decision is incomplete.
	Missing  []Reason  `json:"missing,omitempty"`
	Feedback *Feedback `json:"feedback,omitempty"`
}

// Feedback is feedback by knowledge-and-skills domain: the domains whose
// percent score reached FeedbackRules.Strength, and those below
// FeedbackRules.Develop. It carries no score.
type Feedback struct {
	Strengths []string `json:"strengths"`
	Develop   []string `json:"develop"`
}

// FeedbackRules configure feedback by domain. Percent is the domain's
// score over its maximum, across both elements.
type FeedbackRules struct {
	Enabled  bool    `json:"enabled"`
	Strength float64 `json:"strength"` // at or above: a strength
	Develop  float64 `json:"develop"`  // below: an area to develop
}

// Validate checks 0 <= Develop <= Strength <= 100 when enabled.
func (f FeedbackRules) Validate() error {
	if f.Enabled && !(f.Develop >= 0 && f.Develop <= f.Strength && f.Strength <= 100) {
		return fmt.Errorf("%w: feedback: want 0 <= develop (%g) <= strength (%g) <= 100", ErrInvalidConfig, f.Develop, f.Strength)
	}
	return nil
}

// tolerance absorbs rounding in cuts computed as Panel + K*SEM.
const tolerance = 1e-9

// Decide decides one person: each element the blueprint requires is
// passed or not against std's cut for the person's form or circuit; the
// outcome is met when every required element is passed, partially met
// when the blueprint allows the fast track and one of two was passed, and
// not met otherwise. Evidence or a cut that is missing makes the outcome
// incomplete, with every reason; nothing is guessed. std nil means no
// standard adopted. Decide is pure.
func Decide(c Candidate, bp programme.Blueprint, std *Standard, ev Evidenced, fb FeedbackRules) Decision {
	d := Decision{Person: c.Person, Employer: c.Employer, Status: c.Status, Elements: []ElementResult{}}
	if std != nil {
		d.Version = std.Version
	}
	var failed []Element
	required := 0
	// decide decides a required element: its result, or why it is missing.
	decide := func(el Element, decideEl func(Candidate, *Standard, Evidenced) (ElementResult, *Reason)) {
		required++
		r, why := decideEl(c, std, ev)
		if why != nil {
			d.Missing = append(d.Missing, *why)
			return
		}
		d.Elements = append(d.Elements, r)
		if !r.Passed {
			failed = append(failed, el)
		}
	}
	if bp.Decision.Knowledge {
		decide(Knowledge, decideKnowledge)
	}
	if bp.Decision.RolePlay {
		decide(RolePlay, decideRolePlay)
	}
	switch {
	case len(d.Missing) > 0 || required == 0:
		d.Outcome = Incomplete
		if required == 0 {
			d.Missing = append(d.Missing, reason(CodeNoStandard, "the %s assessment has no element to decide", c.Status))
		}
		return d
	case len(failed) == 0:
		d.Outcome = Met
	case bp.Decision.FastTrack && required == 2 && len(failed) == 1:
		d.Outcome, d.Resit = PartiallyMet, failed
	default:
		d.Outcome = NotMet
	}
	if fb.Enabled {
		d.Feedback = feedback(ev, fb)
	}
	return d
}

func missingReason(m *MissingError) *Reason { return &Reason{Code: m.Code, Message: m.Message} }

// undecidable is why c's element cannot be decided, or nil: its evidence
// is missing (why), it was not booked (booked false), or no standard is
// adopted.
func undecidable(c Candidate, std *Standard, missing *MissingError, booked bool, what string) *Reason {
	switch {
	case missing != nil:
		return missingReason(missing)
	case !booked:
		return &Reason{Code: CodeAbsent, Message: fmt.Sprintf("%s has no %s booked", c.Person, what)}
	case std == nil:
		return &Reason{Code: CodeNoStandard, Message: fmt.Sprintf("no %s standard adopted", c.Status)}
	}
	return nil
}

// noCut is the reason an element is undecided when the standard has no
// cut for its form or circuit.
func noCut(c Candidate, std *Standard, what, id string) *Reason {
	return &Reason{Code: CodeNoStandard, Message: fmt.Sprintf("the %s standard (version %d) has no cut for %s %s", c.Status, std.Version, what, id)}
}

func decideKnowledge(c Candidate, std *Standard, ev Evidenced) (ElementResult, *Reason) {
	if why := undecidable(c, std, ev.KnowledgeMissing, ev.Knowledge != nil, "knowledge test"); why != nil {
		return ElementResult{}, why
	}
	k := ev.Knowledge
	cut, ok := std.knowledgeCut(k.Form)
	if !ok {
		return ElementResult{}, noCut(c, std, "knowledge form", k.Form)
	}
	r := ElementResult{Element: Knowledge, ID: k.Form, Score: k.Score, Max: k.Max, Cut: cut.Cut, Passed: k.Score >= cut.Cut-tolerance}
	if !r.Passed {
		r.Why = []string{fmt.Sprintf("score %g below the cut %g", k.Score, cut.Cut)}
	}
	return r, nil
}

func decideRolePlay(c Candidate, std *Standard, ev Evidenced) (ElementResult, *Reason) {
	if why := undecidable(c, std, ev.RolePlayMissing, ev.RolePlay != nil, "role-play"); why != nil {
		return ElementResult{}, why
	}
	rp := ev.RolePlay
	cut, ok := std.rolePlayCut(rp.Circuit)
	if !ok {
		return ElementResult{}, noCut(c, std, "role-play circuit", rp.Circuit)
	}
	r := ElementResult{Element: RolePlay, ID: rp.Circuit, Score: rp.Score, Max: rp.Max, Cut: cut.Cut.Cut,
		FailedStations: slices.Clone(rp.FailedStations)}
	if rp.Score < cut.Cut.Cut-tolerance {
		r.Why = append(r.Why, fmt.Sprintf("score %g below the cut %g", rp.Score, cut.Cut.Cut))
	}
	if cut.NoMustPassFailure && len(rp.FailedStations) > 0 {
		r.Why = append(r.Why, fmt.Sprintf("a must-pass criterion failed at station(s) %v", rp.FailedStations))
	}
	if cut.MinStations > 0 {
		for _, st := range rp.Stations {
			if len(st.MustPassFailed) == 0 && st.Score >= cut.StationCut-tolerance {
				r.StationsPassed++
			}
		}
		if r.StationsPassed < cut.MinStations {
			r.Why = append(r.Why, fmt.Sprintf("%d station(s) passed, %d needed", r.StationsPassed, cut.MinStations))
		}
	}
	r.Passed = len(r.Why) == 0
	return r, nil
}

// feedback sorts the domains into strengths and areas to develop by their
// percent score across both elements.
func feedback(ev Evidenced, fb FeedbackRules) *Feedback {
	sum := map[string]DomainScore{}
	add := func(ds map[string]DomainScore) {
		for d, v := range ds {
			s := sum[d]
			s.Score, s.Max = s.Score+v.Score, s.Max+v.Max
			sum[d] = s
		}
	}
	if ev.Knowledge != nil {
		add(ev.Knowledge.Domains)
	}
	if ev.RolePlay != nil {
		add(ev.RolePlay.Domains)
	}
	f := &Feedback{Strengths: []string{}, Develop: []string{}}
	for _, d := range slices.Sorted(maps.Keys(sum)) {
		p := sum[d].Percent()
		switch {
		case sum[d].Max == 0:
		case p >= fb.Strength:
			f.Strengths = append(f.Strengths, d)
		case p < fb.Develop:
			f.Develop = append(f.Develop, d)
		}
	}
	return f
}

// CandidateOutcome is what a candidate and their employer see of a
// decision: the outcome, the elements passed and not, what to re-sit and
// the optional feedback by domain. It holds no score, no cut and no
// grade.
type CandidateOutcome struct {
	Person    string           `json:"person"`
	Status    programme.Status `json:"status"`
	Window    string           `json:"window,omitempty"`
	Outcome   Outcome          `json:"outcome"`
	Passed    []Element        `json:"passed"`
	NotPassed []Element        `json:"not_passed"`
	Resit     []Element        `json:"resit,omitempty"`
	// Missing says, for an incomplete outcome, what is missing.
	Missing  []string  `json:"missing,omitempty"`
	Feedback *Feedback `json:"feedback,omitempty"`
	Released time.Time `json:"released,omitzero"`
}

// ForCandidate is the candidate-facing view of d.
func (d Decision) ForCandidate() CandidateOutcome {
	o := CandidateOutcome{Person: d.Person, Status: d.Status, Window: d.Window, Outcome: d.Outcome,
		Passed: []Element{}, NotPassed: []Element{}, Resit: slices.Clone(d.Resit), Feedback: d.Feedback}
	for _, e := range d.Elements {
		if e.Passed {
			o.Passed = append(o.Passed, e.Element)
		} else {
			o.NotPassed = append(o.NotPassed, e.Element)
		}
	}
	for _, m := range d.Missing {
		o.Missing = append(o.Missing, m.Message)
	}
	return o
}
