package results

import (
	"context"
)

// Element is one element of an assessment.
type Element string

// The two elements.
const (
	Knowledge Element = "knowledge" // the computer-based knowledge test
	RolePlay  Element = "role_play" // the observed simulated practice
)

// elements lists the elements in order.
var elements = []Element{Knowledge, RolePlay}

// Evidence is where decisions read a person's scores. A piece that is
// missing is returned as a *MissingError carrying its reason; any other
// error is a failure to read (the decision is not made, nothing guessed).
// Person ids are candidate ids. Implementations are safe for concurrent
// use.
type Evidence interface {
	// Knowledge returns the score of person's submitted attempt in
	// sitting.
	Knowledge(ctx context.Context, sitting, person string) (KnowledgeScore, error)
	// RolePlay returns person's element score on circuit from settled
	// sheets.
	RolePlay(ctx context.Context, circuit, person string) (RolePlayScore, error)
	// Range returns the score range of a knowledge form or a role-play
	// circuit, for checking cuts; ErrNotFound when there is no such form
	// or circuit.
	Range(ctx context.Context, el Element, id string) (Range, error)
}

// CircuitEvidence is an optional ability of an Evidence: every person's
// role-play evidence on a circuit at once, which a run over a whole
// cohort uses rather than asking person by person. Persons absent from
// the map are absent from the circuit.
type CircuitEvidence interface {
	Circuit(ctx context.Context, circuit string) (map[string]RolePlayResult, error)
}

// RolePlayResult is one person's role-play evidence: a score, or why it
// is missing.
type RolePlayResult struct {
	Score   RolePlayScore
	Missing *MissingError
}

// Range is an element's score range: 0 to Max, and for a circuit its
// number of stations.
type Range struct {
	Max      float64 `json:"max"`
	Stations int     `json:"stations,omitempty"`
}

// DomainScore is a score within one knowledge-and-skills domain.
type DomainScore struct {
	Score float64 `json:"score"`
	Max   float64 `json:"max"`
}

// Percent is 100*Score/Max, 0 when Max is 0.
func (d DomainScore) Percent() float64 {
	if d.Max == 0 {
		return 0
	}
	return 100 * d.Score / d.Max
}

// KnowledgeScore is the raw score of a submitted knowledge attempt.
type KnowledgeScore struct {
	Sitting string                 `json:"sitting"`
	Form    string                 `json:"form"`
	Score   float64                `json:"score"`
	Max     float64                `json:"max"`
	Domains map[string]DomainScore `json:"domains"`
}

// StationScore is one settled station of a role-play circuit.
type StationScore struct {
	Station string  `json:"station"`
	Score   float64 `json:"score"`
	Max     float64 `json:"max"`
	// MustPassFailed lists the must-pass criteria marked below their
	// threshold: any one fails the station.
	MustPassFailed []string `json:"must_pass_failed,omitempty"`
}

// RolePlayScore is a person's simulated-practice element score.
type RolePlayScore struct {
	Circuit  string                 `json:"circuit"`
	Score    float64                `json:"score"`
	Max      float64                `json:"max"`
	Domains  map[string]DomainScore `json:"domains"`
	Stations []StationScore         `json:"stations"`
	// FailedStations lists the stations failed on a must-pass criterion.
	FailedStations []string `json:"failed_stations,omitempty"`
}
