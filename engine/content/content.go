package content

import (
	"encoding/json"
	"fmt"
	"time"
)

// Status is the life-cycle state of an item or a form.
type Status string

const (
	StatusDraft   Status = "draft"
	StatusLive    Status = "live"
	StatusRetired Status = "retired"
)

// ItemType says how an item is answered.
type ItemType string

const (
	// SingleBest items have one key: the candidate picks one option.
	SingleBest ItemType = "single"
	// MultipleResponse items have several keys: the candidate picks Select options.
	MultipleResponse ItemType = "multiple"
)

// Option is one answer option of an item.
type Option struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// HTML is the option as rich text (richtext.md); Text stays its plain
	// reading, used where markup cannot go (exports, analyses).
	HTML string `json:"html,omitempty"`
	// Fixed keeps the option in its place when the form shuffles options.
	Fixed bool `json:"fixed,omitempty"`
}

// Case is a case scenario shared by several items.
type Case struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
	HTML  string `json:"html,omitempty"` // the scenario as rich text, if any
	// Stylesheets are paths under assets/ of CSS files that style the
	// case's rich text and nothing else, with the rules of an item's.
	Stylesheets []string `json:"stylesheets,omitempty"`
}

// Item is one question of the knowledge test.
type Item struct {
	ID      string   `json:"id"`
	Type    ItemType `json:"type"`
	Case    string   `json:"case,omitempty"` // id of a Case, if the item belongs to one
	Stem    string   `json:"stem"`
	Options []Option `json:"options"`
	Key     []string `json:"key"`              // ids of the correct options; never sent to a client
	Select  int      `json:"select,omitempty"` // options to choose for a multiple-response item: len(Key)
	// MinSelect and MaxSelect give a multiple-response item a range of
	// options to choose instead of Select: an answer of more than MaxSelect
	// is refused, one of fewer than MinSelect scores 0.
	MinSelect int      `json:"min_select,omitempty"`
	MaxSelect int      `json:"max_select,omitempty"`
	StemHTML  string   `json:"stem_html,omitempty"` // the stem as rich text, if any
	Scoring   *Scoring `json:"scoring,omitempty"`   // partial credit; nil scores 1 for the key, 0 otherwise
	// Stylesheets are paths under assets/ of CSS files that style the
	// item's rich text (its stem and options) and nothing else.
	Stylesheets []string `json:"stylesheets,omitempty"`
	Domain      string   `json:"domain"` // id of the knowledge-and-skills domain it tests
	Status      Status   `json:"status"`
}

// Scoring gives an item other scores than 1 for its key and 0 otherwise.
// With Map, an answer scores the sum of its options' values (an option not
// listed is worth Default), bounded by LowerBound and UpperBound when they
// are set: QTI's map_response. Without Map, the key scores Points and any
// other answer 0: QTI's match_correct with another maximum.
type Scoring struct {
	Points     float64       `json:"points,omitempty"`
	Map        []OptionValue `json:"map,omitempty"`
	Default    float64       `json:"default,omitempty"`
	LowerBound *float64      `json:"lower_bound,omitempty"`
	UpperBound *float64      `json:"upper_bound,omitempty"`
}

// OptionValue is what choosing one option is worth.
type OptionValue struct {
	Option string  `json:"option"`
	Value  float64 `json:"value"`
}

// Domain is one domain of a knowledge-and-skills statement.
type Domain struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Bank is the content of one item-bank file.
type Bank struct {
	Domains []Domain `json:"domains,omitempty"`
	Cases   []Case   `json:"cases,omitempty"`
	Items   []Item   `json:"items"`
}

// Section is an ordered group of items within a form. A section with a
// TimeLimit has its own clock: a form with one or more timed sections is
// delivered section by section (docs/content.md, "Timed sections").
type Section struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	TimeLimit Duration `json:"time_limit,omitempty"` // 0: untimed; it runs until finished or the test ends
	Items     []string `json:"items"`
}

// Form is a test form: what a candidate sits.
type Form struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Status         Status   `json:"status"`
	TimeLimit      Duration `json:"time_limit"`
	ShuffleItems   bool     `json:"shuffle_items"`   // shuffle item order within each section
	ShuffleOptions bool     `json:"shuffle_options"` // shuffle option order within each item
	// Navigation is NavigationFree (also when empty) or NavigationLinear
	// (docs/content.md, "Linear navigation").
	Navigation string    `json:"navigation,omitempty"`
	Sections   []Section `json:"sections"`
}

// Navigation modes of a form.
const (
	NavigationFree   = "free"   // the candidate moves among the questions as they wish
	NavigationLinear = "linear" // one question after another, never back
)

// Linear reports whether the form is delivered one question after
// another, with no going back.
func (f *Form) Linear() bool { return f.Navigation == NavigationLinear }

// BySection reports whether the form is delivered section by section:
// one of its sections has its own time limit.
func (f *Form) BySection() bool {
	for _, s := range f.Sections {
		if s.TimeLimit > 0 {
			return true
		}
	}
	return false
}

// Candidate is a person booked on a sitting.
type Candidate struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Employer   string `json:"employer,omitempty"`
	AccessCode string `json:"access_code"`
	// Accommodation multiplies the form's time limit (1.25 for +25%); 0 means 1.
	Accommodation float64 `json:"time_accommodation,omitempty"`
	// LargerText is an approved adjustment: the test page starts in larger text.
	LargerText bool `json:"larger_text,omitempty"`
}

// TimeFactor returns the multiplier applied to the time limit, at least 1.
func (c *Candidate) TimeFactor() float64 {
	if c.Accommodation <= 0 {
		return 1
	}
	return c.Accommodation
}

// Sitting is a scheduled session of a form at a centre.
type Sitting struct {
	ID         string      `json:"id"`
	Form       string      `json:"form"`
	Centre     string      `json:"centre"`
	Scheduled  time.Time   `json:"scheduled"`
	Candidates []Candidate `json:"candidates"`
	// Invigilators are the staff ids assigned to a sitting made in the
	// programme; a sitting file's invigilators are named in the staff file.
	Invigilators []string `json:"-"`
	SittingRules
}

// SittingRules are how a sitting's room is run; the zero value is an open
// room: codes work at once, no late cut-off, rejoins need no approval.
type SittingRules struct {
	// CheckIn: a candidate's access code works only once the invigilator
	// has checked their identity.
	CheckIn bool `json:"check_in,omitempty"`
	// LateAfterMinutes: a candidate who first joins more than this many
	// minutes after the release joins only if the invigilator admits them;
	// 0 means no cut-off.
	LateAfterMinutes int `json:"late_after_minutes,omitempty"`
	// MaxExtraMinutes bounds the incident time added to (or taken from)
	// one attempt, in total; 0 means DefaultMaxExtraMinutes.
	MaxExtraMinutes int `json:"max_extra_minutes,omitempty"`
	// VoidReasons are the reasons an invigilator chooses from to void or
	// withdraw an attempt; empty means malpractice, candidate withdrew,
	// candidate unwell, identity not confirmed and technical failure.
	VoidReasons []string `json:"void_reasons,omitempty"`
	// RejoinApproval: a candidate whose connection closed during the test
	// and who stays away longer than RejoinGraceSeconds rejoins only once
	// the invigilator approves.
	RejoinApproval bool `json:"rejoin_approval,omitempty"`
	// RejoinGraceSeconds is how long a candidate may be away and rejoin
	// without approval, where RejoinApproval; 0 means every rejoin after a
	// drop waits for approval.
	RejoinGraceSeconds int `json:"rejoin_grace_seconds,omitempty"`
}

// Defaults of SittingRules.
const DefaultMaxExtraMinutes = 120

// defaultVoidReasons are the reasons to void or withdraw when a sitting
// lists none.
var defaultVoidReasons = []string{"malpractice", "candidate withdrew", "candidate unwell", "identity not confirmed", "technical failure"}

// MaxExtra is the bound on one attempt's incident time.
func (r *SittingRules) MaxExtra() time.Duration {
	if r.MaxExtraMinutes <= 0 {
		return DefaultMaxExtraMinutes * time.Minute
	}
	return time.Duration(r.MaxExtraMinutes) * time.Minute
}

// RejoinGrace is how long a candidate may be away and rejoin without the
// invigilator's approval.
func (r *SittingRules) RejoinGrace() time.Duration {
	return time.Duration(r.RejoinGraceSeconds) * time.Second
}

// Reasons are the reasons to void or withdraw an attempt.
func (r *SittingRules) Reasons() []string {
	if len(r.VoidReasons) == 0 {
		return defaultVoidReasons
	}
	return r.VoidReasons
}

// Role is what a signed-in person may do.
type Role string

const (
	RoleCandidate       Role = "candidate"
	RoleAssessor        Role = "assessor"
	RoleLeadAssessor    Role = "lead_assessor"
	RoleInvigilator     Role = "invigilator"
	RolePsychometrician Role = "psychometrician"
	RoleAdministrator   Role = "administrator"
	// RoleAuditor reads the audit log and nothing else.
	RoleAuditor Role = "auditor"
	// RoleSupervisor practice-endorses the people of one employer, and
	// RoleEmployerAdmin books and withdraws for them; the staff member's
	// employer is their record in engine/programme, under the same id.
	RoleSupervisor    Role = "supervisor"
	RoleEmployerAdmin Role = "employer_admin"
)

// Staff is a person who signs in with a personal code: invigilators,
// assessors, psychometricians and administrators.
type Staff struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
	Code string `json:"code"`
	// Sittings lists the sittings an invigilator may run; empty means none.
	Sittings []string `json:"sittings,omitempty"`
	// Assessor is an assessor's or lead assessor's ID in the role-play
	// model: signed in with Code, they mark as that assessor.
	Assessor string `json:"assessor,omitempty"`
	// Employer is a supervisor's or employer administrator's employer id
	// in the programme: accredit programme import makes their programme
	// staff record from it (docs/programme.md).
	Employer string `json:"employer,omitempty"`
}

// Duration is a time.Duration written in JSON as a Go duration string ("30m").
type Duration time.Duration

// MarshalJSON writes the duration as a string such as "30m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string such as "30m" or "1h15m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"30m\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("bad duration %q, want one such as \"30m\" or \"1h15m\"", s)
	}
	*d = Duration(v)
	return nil
}

// Library is all loaded content, indexed by id.
type Library struct {
	Domains  map[string]*Domain
	Cases    map[string]*Case
	Items    map[string]*Item
	Forms    map[string]*Form
	Sittings map[string]*Sitting
	Staff    []Staff
	// Assets are the images rich text shows, by path within assets/.
	Assets map[string]*Asset

	formAssets  map[string]map[string]bool // per form, the paths of the images it shows
	byCode      map[string]codeRef         // candidates by normalised access code
	staffByCode map[string]int             // index into Staff by normalised sign-in code
}

type codeRef struct {
	sitting   *Sitting
	candidate *Candidate
}

// CandidateByCode finds the candidate whose access code is code. The match
// ignores case, spaces and hyphens, so "demo anna 7q4k" finds DEMO-ANNA-7Q4K.
func (l *Library) CandidateByCode(code string) (*Sitting, *Candidate, bool) {
	r, ok := l.byCode[normCode(code)]
	return r.sitting, r.candidate, ok
}

// StaffByCode finds the staff member whose sign-in code is code, matched as
// CandidateByCode matches access codes.
func (l *Library) StaffByCode(code string) (*Staff, bool) {
	i, ok := l.staffByCode[normCode(code)]
	if !ok {
		return nil, false
	}
	return &l.Staff[i], true
}

// ItemIDs returns the ids of the form's items, section by section, in the
// order the file gives them.
func (f *Form) ItemIDs() []string {
	var ids []string
	for _, s := range f.Sections {
		ids = append(ids, s.Items...)
	}
	return ids
}
