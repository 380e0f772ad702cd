package programme

import (
	"fmt"
	"slices"
)

// Status is an accredited status a person may seek.
type Status string

// The three statuses.
const (
	Practitioner Status = "practitioner" // approved child and family practitioner
	Supervisor   Status = "supervisor"   // practice supervisor
	Leader       Status = "leader"       // practice leader
)

// statuses lists the statuses in order.
var statuses = []Status{Practitioner, Supervisor, Leader}

// Valid reports whether s is Practitioner, Supervisor or Leader.
func (s Status) Valid() bool { return slices.Contains(statuses, s) }

// Blueprint is what a status's assessment is made of.
type Blueprint struct {
	Status Status `json:"status"`
	Title  string `json:"title"`
	// Statement names the knowledge-and-skills statement; Domains are its
	// domains (the practitioner statement has ten).
	Statement string   `json:"statement"`
	Domains   []string `json:"domains"`
	// Forms are the knowledge-test forms (content form ids) and Circuits
	// the role-play circuits whose scenarios assess this status.
	Forms     []string `json:"forms"`
	Circuits  []string `json:"circuits"`
	Scenarios []string `json:"scenarios"`
	Decision  Decision `json:"decision"`
	// Unavailable marks a status whose assessment is not yet available;
	// SitInstead then names the status whose assessment its candidates
	// may sit meanwhile (the leader sits the supervisor's).
	Unavailable bool   `json:"unavailable,omitempty"`
	SitInstead  Status `json:"sit_instead,omitempty"`
}

// Decision is how a status's outcome follows from its elements: each
// element is passed or failed on its own cut score.
type Decision struct {
	// Knowledge and RolePlay say which elements must be passed.
	Knowledge bool `json:"knowledge"`
	RolePlay  bool `json:"role_play"`
	// FastTrack lets a candidate who passed one element re-sit only the
	// other.
	FastTrack bool `json:"fast_track"`
}

// DefaultBlueprints are the three statuses with the leader's assessment
// not yet available. Forms and circuits are left for configuration.
func DefaultBlueprints() []Blueprint {
	both := Decision{Knowledge: true, RolePlay: true, FastTrack: true}
	return []Blueprint{
		{Status: Practitioner, Title: "Approved child and family practitioner",
			Statement: "Knowledge and skills statement for approved child and family practitioners",
			Domains: []string{"relationships", "communication", "child development", "adult mental ill health, substance misuse, domestic violence, physical ill health and disability",
				"abuse and neglect", "child and family assessment", "analysis, decision-making, planning and review", "law and the family and youth justice systems",
				"professional ethics", "the role of supervision and research"},
			Decision: both},
		{Status: Supervisor, Title: "Practice supervisor",
			Statement: "Knowledge and skills statement for practice supervisors",
			Domains:   []string{"promote and govern excellent practice", "developing excellent practitioners", "shaping and influencing the practice system"},
			Decision:  both},
		{Status: Leader, Title: "Practice leader",
			Statement: "Knowledge and skills statement for practice leaders",
			Domains:   []string{"leading practice", "creating a context for excellent practice", "designing systems"},
			Decision:  both, Unavailable: true, SitInstead: Supervisor},
	}
}

// validateBlueprints checks that each status has exactly one blueprint,
// that forms and circuits belong to one status only, and that an
// unavailable status points at an available one.
func validateBlueprints(bps []Blueprint) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	seen := map[Status]*Blueprint{}
	owner := map[string]Status{}
	for i := range bps {
		bp := &bps[i]
		if !bp.Status.Valid() {
			bad("blueprint %d: status %q: want one of %v", i, bp.Status, statuses)
			continue
		}
		if seen[bp.Status] != nil {
			bad("status %s has two blueprints", bp.Status)
		}
		seen[bp.Status] = bp
		if bp.Title == "" || bp.Statement == "" || len(bp.Domains) == 0 {
			bad("status %s: a blueprint needs a title, a statement and its domains", bp.Status)
		}
		if !bp.Unavailable && !bp.Decision.Knowledge && !bp.Decision.RolePlay {
			bad("status %s: the decision needs at least one element", bp.Status)
		}
		for _, id := range slices.Concat(bp.Forms, bp.Circuits) {
			if o, ok := owner[id]; ok && o != bp.Status {
				bad("form or circuit %q belongs to both %s and %s", id, o, bp.Status)
			}
			owner[id] = bp.Status
		}
	}
	for _, s := range statuses {
		bp := seen[s]
		switch {
		case bp == nil:
			bad("status %s has no blueprint", s)
		case bp.Unavailable && (bp.SitInstead == s || seen[bp.SitInstead] == nil || seen[bp.SitInstead].Unavailable):
			bad("status %s is unavailable: sit_instead must name an available status, not %q", s, bp.SitInstead)
		case !bp.Unavailable && bp.SitInstead != "":
			bad("status %s is available: sit_instead is for unavailable statuses", s)
		}
	}
	return errs
}
