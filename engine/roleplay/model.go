package roleplay

import (
	"time"

	"github.com/accredit/accredit/engine/content"
)

// Status names the accredited status an assessment leads to.
type Status string

const (
	StatusPractitioner Status = "practitioner" // approved child and family practitioner
	StatusSupervisor   Status = "supervisor"   // practice supervisor
	StatusLeader       Status = "leader"       // practice leader
)

// Domain is one domain of a knowledge-and-skills statement.
type Domain struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"` // the statement the domain belongs to
}

// Scenario is one role-play: what the actor plays and what the candidate is
// told.
type Scenario struct {
	ID             string           `json:"id"`
	Title          string           `json:"title"`
	Status         Status           `json:"status"`
	ActorBrief     string           `json:"actor_brief"`
	CandidateBrief string           `json:"candidate_brief"`
	Duration       content.Duration `json:"duration"`               // time with the actor
	ReadingTime    content.Duration `json:"reading_time,omitempty"` // time with the brief before entering
}

// Point is one point of a criterion's scale with its behavioural anchor:
// what an assessor sees that earns this mark.
type Point struct {
	Value  int    `json:"value"`
	Label  string `json:"label"`
	Anchor string `json:"anchor"`
}

// MustPass makes a criterion a hurdle: a mark below Threshold fails the
// station whatever the total.
type MustPass struct {
	Threshold int `json:"threshold"`
}

// Criterion is one rubric line, marked on its own scale.
type Criterion struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Points   []Point   `json:"points"`           // in increasing order of Value
	Weight   float64   `json:"weight,omitempty"` // 0 means 1
	MustPass *MustPass `json:"must_pass,omitempty"`

	domain string // set by Load from the enclosing DomainCriteria
}

// DomainCriteria groups a rubric's criteria under one domain.
type DomainCriteria struct {
	Domain   string      `json:"domain"`
	Criteria []Criterion `json:"criteria"`
}

// Rubric is the marking scheme of a station.
type Rubric struct {
	ID      string           `json:"id"`
	Title   string           `json:"title"`
	Domains []DomainCriteria `json:"domains"`

	byID map[string]*Criterion
}

// JudgementPoint is one point of the global judgement scale.
type JudgementPoint struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// JudgementScale is the ordinal scale of the assessor's global judgement of
// a station, in increasing order. Steps between judgements are counted in
// positions on the scale.
type JudgementScale struct {
	Points []JudgementPoint `json:"points"`
}

// DefaultJudgementScale is used when a tree has no judgement.json: clear
// fail, borderline, clear pass, good, excellent, valued 1 to 5.
func DefaultJudgementScale() JudgementScale {
	return JudgementScale{Points: []JudgementPoint{
		{1, "Clear fail"}, {2, "Borderline"}, {3, "Clear pass"}, {4, "Good"}, {5, "Excellent"},
	}}
}

// Assessor is a trained assessor or lead assessor. ID is how circuits,
// sheets and reports name them; it is not a secret. Assessors sign in with
// the code of their staff record (content.Staff), which names this ID.
type Assessor struct {
	ID   string       `json:"id"`
	Name string       `json:"name"`
	Role content.Role `json:"role"` // content.RoleAssessor or content.RoleLeadAssessor
}

// Station is one room of a circuit.
type Station struct {
	ID        string   `json:"id"`
	Scenario  string   `json:"scenario"`
	Rubric    string   `json:"rubric"`
	Assessors []string `json:"assessors"` // one, or two for double marking
}

// Candidate is a person sitting a circuit.
type Candidate struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Slot places one candidate at one station in one slot of the rotation.
type Slot struct {
	Slot      int    `json:"slot"` // 1-based
	Station   string `json:"station"`
	Candidate string `json:"candidate"`
}

// Resolution says how a flagged double-marked station is settled.
type Resolution string

const (
	// ResolveAverage: the mean of the two assessors' marks.
	ResolveAverage Resolution = "average"
	// ResolveLead: the lead assessor's marks stand.
	ResolveLead Resolution = "lead"
	// ResolveThirdMarker: a third assessor marks the recording; the third
	// mark is averaged with the closer of the two original marks.
	ResolveThirdMarker Resolution = "third_marker"
)

// DoubleMarking configures when two assessors' marks of one station
// disagree and what then happens.
type DoubleMarking struct {
	// Tolerance: station scores further apart than this are flagged.
	Tolerance float64 `json:"tolerance"`
	// JudgementSteps: global judgements more than this many scale steps
	// apart are flagged; 0 means 1.
	JudgementSteps int        `json:"judgement_steps,omitempty"`
	Resolution     Resolution `json:"resolution"`
}

// Steps returns JudgementSteps, defaulting to 1.
func (d DoubleMarking) Steps() int {
	if d.JudgementSteps <= 0 {
		return 1
	}
	return d.JudgementSteps
}

// Circuit is a run of stations that candidates rotate through.
type Circuit struct {
	ID            string           `json:"id"`
	Title         string           `json:"title"`
	Status        Status           `json:"status"`
	Start         time.Time        `json:"start"`         // when slot 1 begins
	SlotLength    content.Duration `json:"slot_length"`   // time from one slot's start to the next
	LeadAssessor  string           `json:"lead_assessor"` // code of a lead assessor
	DoubleMarking DoubleMarking    `json:"double_marking"`
	Stations      []Station        `json:"stations"`
	Candidates    []Candidate      `json:"candidates"`
	Schedule      []Slot           `json:"schedule"`

	// Indexes built by Load.
	stations   map[string]*Station
	candidates map[string]*Candidate
	slotOf     map[pair]int       // (station, candidate) -> slot
	at         map[slotKey]string // (slot, station) -> candidate
}

type slotKey struct {
	slot int
	id   string
}

// SlotTimes returns when slot s (1-based) starts and ends.
func (c *Circuit) SlotTimes(s int) (start, end time.Time) {
	d := time.Duration(c.SlotLength)
	start = c.Start.Add(time.Duration(s-1) * d)
	return start, start.Add(d)
}
