package roleplay

import (
	"fmt"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// Marker is the part an assessor plays on a sheet.
type Marker string

const (
	// Primary: one of the station's own assessors.
	Primary Marker = "primary"
	// ThirdMarker: an assessor from outside the station who marks a flagged
	// double-marked station when the circuit resolves by third marker.
	ThirdMarker Marker = "third_marker"
	// LeadDecision: the lead assessor's own marks of a flagged station when
	// the circuit resolves by lead decision.
	LeadDecision Marker = "lead"
)

// SheetKey names a sheet: one per circuit, station, candidate and assessor.
type SheetKey struct {
	Circuit   string `json:"circuit"`
	Station   string `json:"station"`
	Candidate string `json:"candidate"`
	Assessor  string `json:"assessor"`
}

// Sheet is one assessor's marking of one candidate at one station: marks
// per criterion, a global judgement and evidence notes. It is a
// deterministic state machine: Apply takes each change with the time it
// arrived, validates it, and either applies it exactly once or rejects it
// with nothing changed. A Sheet is not safe for concurrent use.
type Sheet struct {
	key    SheetKey
	marker Marker
	slot   int
	rubric *Rubric
	scale  JudgementScale
	lead   string // code of the circuit's lead assessor

	cur         values
	notes       map[string]string // by criterion id; "" is the general note
	submitted   bool
	submittedAt time.Time
	original    values // cur at submission

	lastSeq     map[string]uint64 // by author: highest sequence number applied
	log         []Entry
	moderations []Moderation
}

// values is the markable state of a sheet.
type values struct {
	marks     map[string]int // by criterion id
	judgement int
	judged    bool
}

func (v values) clone() values {
	m := make(map[string]int, len(v.marks))
	for k, x := range v.marks {
		m[k] = x
	}
	v.marks = m
	return v
}

// NewSheet opens an empty sheet for the assessor's marking of the candidate
// at a station of the circuit. It returns an error wrapping ErrReference for
// an unknown circuit, station or assessor, and ErrNotAtStation when the
// candidate is not scheduled at the station or the assessor may not mark it
// in the given part: a Primary marker must be one of the station's
// assessors; a ThirdMarker must be an assessor of the model who is not, on a
// double-marked station of a circuit that resolves by third marker; a
// LeadDecision marker must be the circuit's lead on a double-marked station
// of a circuit that resolves by lead decision.
func NewSheet(m *Model, key SheetKey, marker Marker) (*Sheet, error) {
	c, ok := m.Circuits[key.Circuit]
	if !ok {
		return nil, fmt.Errorf("%w: no circuit %q", ErrReference, key.Circuit)
	}
	st, ok := c.Station(key.Station)
	if !ok {
		return nil, fmt.Errorf("%w: no station %q in circuit %q", ErrReference, key.Station, key.Circuit)
	}
	a, ok := m.Assessors[key.Assessor]
	if !ok {
		return nil, fmt.Errorf("%w: no assessor %q", ErrReference, key.Assessor)
	}
	if err := checkMarker(c, st, a, marker); err != nil {
		return nil, err
	}
	slot, ok := c.SlotOf(key.Station, key.Candidate)
	if !ok {
		return nil, fmt.Errorf("%w: candidate %q is not scheduled at station %q", ErrNotAtStation, key.Candidate, key.Station)
	}
	return &Sheet{
		key: key, marker: marker, slot: slot,
		rubric: m.Rubrics[st.Rubric], scale: m.Judgement, lead: c.LeadAssessor,
		cur:     values{marks: map[string]int{}},
		notes:   map[string]string{},
		lastSeq: map[string]uint64{},
	}, nil
}

func checkMarker(c *Circuit, st *Station, a *Assessor, marker Marker) error {
	res := c.DoubleMarking.Resolution
	switch marker {
	case Primary:
		if st.Marks(a.ID) {
			return nil
		}
		return fmt.Errorf("%w: assessor %q does not mark station %q", ErrNotAtStation, a.ID, st.ID)
	case ThirdMarker:
		if res == ResolveThirdMarker && st.DoubleMarked() && !st.Marks(a.ID) {
			return nil
		}
		return fmt.Errorf("%w: assessor %q cannot be third marker at station %q", ErrNotAtStation, a.ID, st.ID)
	case LeadDecision:
		if res == ResolveLead && st.DoubleMarked() && a.ID == c.LeadAssessor && a.Role == content.RoleLeadAssessor {
			return nil
		}
		return fmt.Errorf("%w: assessor %q cannot decide for station %q", ErrNotAtStation, a.ID, st.ID)
	}
	panic(fmt.Sprintf("roleplay: unknown marker %q", marker))
}

// Restore rebuilds a sheet from its log, as returned by Log, re-applying
// each change at its recorded time. Every entry must apply.
func Restore(m *Model, key SheetKey, marker Marker, log []Entry) (*Sheet, error) {
	s, err := NewSheet(m, key, marker)
	if err != nil {
		return nil, err
	}
	for i, e := range log {
		res, err := s.Apply(e.Change, e.At)
		if err != nil {
			return nil, fmt.Errorf("restore entry %d: %w", i, err)
		}
		if !res.Applied {
			return nil, fmt.Errorf("restore entry %d: %w: sequence %d of %q repeats", i, ErrSequence, e.Seq, e.By)
		}
	}
	return s, nil
}

// Decide tells what Apply would do with c, changing nothing: Applied
// reports that Apply would apply it, and an error that Apply would refuse
// it. A caller that stores changes decides, stores, and only then applies.
func (s *Sheet) Decide(c Change) (Result, error) {
	if c.Seq == 0 {
		return Result{}, fmt.Errorf("%w: sequence numbers start at 1", ErrSequence)
	}
	if c.Seq <= s.lastSeq[c.By] {
		if prev, ok := s.entry(c.By, c.Seq); ok && prev.Change != c {
			return Result{Acked: s.lastSeq[c.By]}, fmt.Errorf("%w: %q already sent a different change as %d", ErrSequence, c.By, c.Seq)
		}
		return Result{Acked: s.lastSeq[c.By]}, nil
	}
	if err := s.check(c); err != nil {
		return Result{Acked: s.lastSeq[c.By]}, err
	}
	return Result{Applied: true, Acked: c.Seq}, nil
}

// Key returns the sheet's key.
func (s *Sheet) Key() SheetKey { return s.key }

// Marker returns the part the assessor plays on the sheet.
func (s *Sheet) Marker() Marker { return s.marker }

// Slot returns the schedule slot of the candidate at the station.
func (s *Sheet) Slot() int { return s.slot }

// Rubric returns the station's rubric.
func (s *Sheet) Rubric() *Rubric { return s.rubric }

// Submitted reports whether the sheet is submitted, and when.
func (s *Sheet) Submitted() (bool, time.Time) { return s.submitted, s.submittedAt }

// Acked returns the highest sequence number applied from the author: a
// client resumes numbering after it.
func (s *Sheet) Acked(author string) uint64 { return s.lastSeq[author] }

// Log returns the applied changes in order, for durable storage and
// Restore. The caller must not modify it.
func (s *Sheet) Log() []Entry { return s.log }

// Moderations returns the audit trail of moderation actions, oldest first.
func (s *Sheet) Moderations() []Moderation { return s.moderations }
