package programme

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Phase is an employer's rollout phase.
type Phase string

// Rollout phases.
const (
	PhasePilot    Phase = "pilot"
	Phase1        Phase = "phase1"
	Phase2        Phase = "phase2"
	PhaseNational Phase = "national"
)

// phases lists the phases in order.
var phases = []Phase{PhasePilot, Phase1, Phase2, PhaseNational}

// Rating is an employer's latest inspection rating.
type Rating string

// Inspection ratings.
const (
	RatingInadequate  Rating = "inadequate"
	RatingImprovement Rating = "requires_improvement"
	RatingGood        Rating = "good"
	RatingOutstanding Rating = "outstanding"
)

// ratings lists the ratings from worst to best.
var ratings = []Rating{RatingInadequate, RatingImprovement, RatingGood, RatingOutstanding}

// Employer is a local authority.
type Employer struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Region string `json:"region"`
	Phase  Phase  `json:"phase"`
	Rating Rating `json:"rating"`
}

// Employment is permanent or agency.
type Employment string

// Employment types.
const (
	Permanent Employment = "permanent"
	Agency    Employment = "agency"
)

// Person is someone who may seek a status. Registration is their
// professional registration number, unique across the programme.
type Person struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Registration string     `json:"registration"`
	Employer     string     `json:"employer"`
	Employment   Employment `json:"employment"`
	// Started is the day they started with this employer.
	Started time.Time `json:"started"`
	Email   string    `json:"email"`
	Seeks   Status    `json:"seeks"`
}

// Monitoring holds a person's equality monitoring answers. It is stored
// apart from Person and read only by Programme.Monitoring, for the
// fairness and workforce reports. An empty field means not given.
type Monitoring struct {
	AgeBand    string `json:"age_band,omitempty"`
	Sex        string `json:"sex,omitempty"`
	Ethnicity  string `json:"ethnic_group,omitempty"`
	Disability string `json:"disability,omitempty"`
}

// StaffRole is the role of an employer's staff member.
type StaffRole string

// Employer staff roles.
const (
	RoleSupervisor    StaffRole = "supervisor"     // practice-endorses the employer's people
	RoleEmployerAdmin StaffRole = "employer_admin" // books and withdraws for the employer's people
)

// Staff is a supervisor or an employer administrator, tied to one employer.
type Staff struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Employer string    `json:"employer"`
	Role     StaffRole `json:"role"`
}

// ActorKind is who acts.
type ActorKind string

// Actor kinds.
const (
	// ActorAdmin is a programme administrator (content.RoleAdministrator).
	ActorAdmin ActorKind = "administrator"
	// ActorStaff is an employer's staff member; ID is a Staff id.
	ActorStaff ActorKind = "employer_staff"
	// ActorCandidate is a person acting for themselves; ID is a Person id.
	ActorCandidate ActorKind = "candidate"
)

// Actor is who asks for a change, as the server authenticated them.
type Actor struct {
	Kind ActorKind `json:"kind"`
	ID   string    `json:"id"`
}

// maxField bounds free-text fields, in bytes.
const (
	maxField   = 200
	maxSummary = 4000
)

// checkID reports why id is not usable as an id (it becomes part of a
// stream name), or "".
func checkID(id string) string {
	if id == "" {
		return "missing id"
	}
	if len(id) > 64 {
		return fmt.Sprintf("id %q is longer than 64 characters", id)
	}
	for i, r := range id {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || (r != '-' && r != '_' && r != '.')) {
			return fmt.Sprintf("id %q: use letters, digits, '-', '_' or '.', starting with a letter or digit", id)
		}
	}
	return ""
}

// fieldErr is one invalid field of a record.
type fieldErr struct{ field, msg string }

func checkText(errs []fieldErr, field, v string, max int) []fieldErr {
	switch {
	case strings.TrimSpace(v) == "":
		return append(errs, fieldErr{field, "missing"})
	case len(v) > max:
		return append(errs, fieldErr{field, fmt.Sprintf("longer than %d bytes", max)})
	}
	return errs
}

// check returns the invalid fields of e.
func (e *Employer) check() []fieldErr {
	var errs []fieldErr
	if m := checkID(e.ID); m != "" {
		errs = append(errs, fieldErr{"id", m})
	}
	errs = checkText(errs, "name", e.Name, maxField)
	errs = checkText(errs, "region", e.Region, maxField)
	if !slices.Contains(phases, e.Phase) {
		errs = append(errs, fieldErr{"phase", fmt.Sprintf("%q: want one of %v", e.Phase, phases)})
	}
	if !slices.Contains(ratings, e.Rating) {
		errs = append(errs, fieldErr{"rating", fmt.Sprintf("%q: want one of %v", e.Rating, ratings)})
	}
	return errs
}

// check returns the invalid fields of p, on day now; employers say which
// employer ids exist.
func (p *Person) check(now time.Time, employers func(string) bool) []fieldErr {
	var errs []fieldErr
	if m := checkID(p.ID); m != "" {
		errs = append(errs, fieldErr{"id", m})
	}
	errs = checkText(errs, "name", p.Name, maxField)
	errs = checkText(errs, "registration", p.Registration, 32)
	if p.Employer == "" || !employers(p.Employer) {
		errs = append(errs, fieldErr{"employer", fmt.Sprintf("unknown employer %q", p.Employer)})
	}
	switch {
	case p.Employment != Permanent && p.Employment != Agency:
		errs = append(errs, fieldErr{"employment", fmt.Sprintf("%q: want permanent or agency", p.Employment)})
	case p.Started.IsZero():
		errs = append(errs, fieldErr{"started", "missing start date"})
	case p.Employment == Agency && p.Started.After(now):
		errs = append(errs, fieldErr{"started", fmt.Sprintf("agency start date %s is in the future", p.Started.Format(dateLayout))})
	}
	if _, err := mail.ParseAddress(p.Email); err != nil || strings.ContainsAny(p.Email, "<> ") {
		errs = append(errs, fieldErr{"email", fmt.Sprintf("%q is not an email address", p.Email)})
	}
	if !p.Seeks.Valid() {
		errs = append(errs, fieldErr{"seeks", fmt.Sprintf("%q: want one of %v", p.Seeks, statuses)})
	}
	return errs
}

// check returns the invalid fields of s.
func (s *Staff) check(employers func(string) bool) []fieldErr {
	var errs []fieldErr
	if m := checkID(s.ID); m != "" {
		errs = append(errs, fieldErr{"id", m})
	}
	errs = checkText(errs, "name", s.Name, maxField)
	if !employers(s.Employer) {
		errs = append(errs, fieldErr{"employer", fmt.Sprintf("unknown employer %q", s.Employer)})
	}
	if s.Role != RoleSupervisor && s.Role != RoleEmployerAdmin {
		errs = append(errs, fieldErr{"role", fmt.Sprintf("%q: want supervisor or employer_admin", s.Role)})
	}
	return errs
}

// fieldReasons turns field errors into reasons.
func fieldReasons(what string, errs []fieldErr) []Reason {
	out := make([]Reason, len(errs))
	for i, e := range errs {
		c := CodeInvalid
		if e.field == "employer" {
			c = CodeUnknownEmployer
		}
		out[i] = reason(c, "%s %s: %s", what, e.field, e.msg)
	}
	return out
}

// dateLayout is how dates are written in CSV files and messages.
const dateLayout = "2006-01-02"

// day returns t's calendar day at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// wholeMonths is the number of whole calendar months from from to to
// (0 when to is before from): 2024-01-31 to 2024-02-29 is 0 months,
// to 2024-03-01 is 1.
func wholeMonths(from, to time.Time) int {
	from, to = day(from), day(to)
	if to.Before(from) {
		return 0
	}
	n := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
	if to.Day() < from.Day() {
		n--
	}
	return max(n, 0)
}
