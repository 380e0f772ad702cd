package impact

import "strings"

// Phase is a stage of the rollout.
type Phase string

// The rollout phases, in order.
const (
	Pilot    Phase = "pilot"
	Phase1   Phase = "phase1"
	Phase2   Phase = "phase2"
	National Phase = "national"
)

var phases = []string{string(Pilot), string(Phase1), string(Phase2), string(National)}

// Status is the accredited status a person was assessed for.
type Status string

// The three statuses, in order.
const (
	Practitioner Status = "practitioner"
	Supervisor   Status = "supervisor"
	Leader       Status = "leader"
)

var statuses = []string{string(Practitioner), string(Supervisor), string(Leader)}

// Outcome is the decision on the standard as a whole.
type Outcome string

// The three outcomes. Only Met counts as a pass in the rates.
const (
	Met          Outcome = "met"
	PartiallyMet Outcome = "partially_met"
	NotMet       Outcome = "not_met"
)

// Monitoring holds a person's equal-opportunities answers; an empty field
// means not stated.
type Monitoring struct {
	AgeBand     string
	Sex         string
	EthnicGroup string
	Disability  string
}

// Field names a monitoring field.
type Field string

// The monitoring fields, in report order.
const (
	AgeBand     Field = "age_band"
	Sex         Field = "sex"
	EthnicGroup Field = "ethnic_group"
	Disability  Field = "disability"
)

// fields lists the monitoring fields in report order.
var fields = []Field{AgeBand, Sex, EthnicGroup, Disability}

func (m Monitoring) get(f Field) string {
	switch f {
	case AgeBand:
		return m.AgeBand
	case Sex:
		return m.Sex
	case EthnicGroup:
		return m.EthnicGroup
	case Disability:
		return m.Disability
	}
	panic("impact: unknown field " + string(f))
}

// Row is one released or provisional decision on one person.
type Row struct {
	// Person identifies the person; it is used only to refuse a second
	// decision on the same person in the same cohort and never reported.
	Person   string
	Employer string
	// EndorsedBy is the employer that practice-endorsed the person (for
	// agency workers, the authority); empty means Employer.
	EndorsedBy string
	Phase      Phase
	Cohort     string // sitting window id
	Status     Status
	Outcome    Outcome
	// Elements holds each element decided for the person and whether it
	// was passed.
	Elements   map[string]bool
	Monitoring Monitoring
}

func (r *Row) endorser() string {
	if r.EndorsedBy == "" {
		return r.Employer
	}
	return r.EndorsedBy
}

// check validates one row; i is its index for the error.
func (r *Row) check(i int) error {
	bad := func(field, value string, err error) error {
		return &RowError{Row: i, Field: field, Value: value, Err: err}
	}
	switch {
	case strings.TrimSpace(r.Person) == "":
		return bad("person", r.Person, ErrEmpty)
	case strings.TrimSpace(r.Employer) == "":
		return bad("employer", r.Employer, ErrEmpty)
	case strings.TrimSpace(r.Cohort) == "":
		return bad("cohort", r.Cohort, ErrEmpty)
	case rank(phases, string(r.Phase)) < 0:
		return bad("phase", string(r.Phase), ErrPhase)
	case rank(statuses, string(r.Status)) < 0:
		return bad("status", string(r.Status), ErrStatus)
	}
	switch r.Outcome {
	case Met, PartiallyMet, NotMet:
	default:
		return bad("outcome", string(r.Outcome), ErrOutcome)
	}
	for e := range r.Elements {
		if strings.TrimSpace(e) == "" {
			return bad("element", e, ErrEmpty)
		}
	}
	return nil
}

func rank(order []string, v string) int {
	for i, o := range order {
		if o == v {
			return i
		}
	}
	return -1
}
