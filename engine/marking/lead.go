package marking

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/scoring/rpscore"
)

// Sheet statuses in the lead view.
const (
	StatusNotStarted = "not_started" // nothing stored yet
	StatusInProgress = "in_progress" // marks stored, not submitted
	StatusSubmitted  = "submitted"
)

// LeadView is the lead assessor's live view of a circuit.
type LeadView struct {
	Circuit     CircuitSummary `json:"circuit"`
	Now         time.Time      `json:"now"`
	CurrentSlot int            `json:"current_slot"` // 0 before slot 1 starts; slots+1 after the last ends
	GraceMS     int64          `json:"grace_ms"`
	Submitted   int            `json:"submitted"` // sheets submitted
	Expected    int            `json:"expected"`  // sheets the schedule calls for
	Slots       []LeadSlot     `json:"slots"`
	Flags       []Flag         `json:"flags"`   // flagged double-marked stations
	Late        []SheetStatus  `json:"late"`    // started, not submitted, grace over
	Missing     []SheetStatus  `json:"missing"` // never started, grace over
}

// CircuitSummary describes a circuit.
type CircuitSummary struct {
	CircuitHead
	Lead          string                 `json:"lead_assessor"`
	DoubleMarking roleplay.DoubleMarking `json:"double_marking"`
	Stations      []StationSummary       `json:"stations"`
}

// StationSummary describes a station for the lead.
type StationSummary struct {
	ID        string   `json:"id"`
	Scenario  string   `json:"scenario"` // its title
	Assessors []string `json:"assessors"`
	Double    bool     `json:"double_marked"`
}

// LeadSlot is one slot of the rotation.
type LeadSlot struct {
	Slot     int        `json:"slot"`
	Start    time.Time  `json:"start"`
	End      time.Time  `json:"end"`
	Stations []LeadCell `json:"stations"`
}

// LeadCell is one candidate at one station in one slot, with every sheet.
type LeadCell struct {
	Station     string         `json:"station"`
	Candidate   string         `json:"candidate"`
	Name        string         `json:"name"`
	Sheets      []SheetStatus  `json:"sheets"`
	Discrepancy *DiscrepancyVM `json:"discrepancy,omitempty"` // once both sheets of a double-marked station are submitted
}

// SheetStatus summarises one sheet.
type SheetStatus struct {
	Station        string          `json:"station"`
	Candidate      string          `json:"candidate"`
	Assessor       string          `json:"assessor"`
	AssessorName   string          `json:"assessor_name"`
	Marker         roleplay.Marker `json:"marker"`
	Slot           int             `json:"slot"`
	Status         string          `json:"status"`
	Marked         int             `json:"marked"`   // criteria marked
	Criteria       int             `json:"criteria"` // criteria in the rubric
	Judgement      *int            `json:"judgement,omitempty"`
	JudgementLabel string          `json:"judgement_label,omitempty"`
	Score          *float64        `json:"score,omitempty"` // once every criterion is marked
	Max            float64         `json:"max"`
	MustPassFailed []string        `json:"must_pass_failed,omitempty"`
	SubmittedAt    *time.Time      `json:"submitted_at,omitempty"`
	Moderations    int             `json:"moderations"`
	Late           bool            `json:"late"`
	Missing        bool            `json:"missing"`
}

// DiscrepancyVM compares the two primary sheets of a double-marked station
// under the circuit's rule (scoring/rpscore.Compare).
type DiscrepancyVM struct {
	ScoreDiff      float64 `json:"score_diff"`
	JudgementSteps int     `json:"judgement_steps"`
	ScoreFlag      bool    `json:"score_flag"`
	JudgementFlag  bool    `json:"judgement_flag"`
	Flagged        bool    `json:"flagged"`
}

// Flag is a flagged station and how far its resolution has come.
type Flag struct {
	Slot        int                 `json:"slot"`
	Station     string              `json:"station"`
	Candidate   string              `json:"candidate"`
	Name        string              `json:"name"`
	Sheets      []SheetStatus       `json:"sheets"` // the two primary sheets
	Discrepancy DiscrepancyVM       `json:"discrepancy"`
	Resolution  roleplay.Resolution `json:"resolution"`
	// Resolver is the resolving sheet: the lead's decision, or the assigned
	// third marker's (absent until the lead assigns one).
	Resolver *SheetStatus `json:"resolver,omitempty"`
	// ThirdMarkers lists who the lead may assign, while the third marker
	// may still change (nobody assigned, or the assigned one has not begun).
	ThirdMarkers []AssessorVM `json:"third_markers,omitempty"`
	// Resolved is the station score that stands, once it can be settled.
	Resolved *float64 `json:"resolved_score,omitempty"`
}

// View returns the lead's live view of circuit id.
func (s *Service) View(ctx context.Context, id string) (LeadView, error) {
	c, ok := s.m.Circuits[id]
	if !ok {
		return LeadView{}, fmt.Errorf("%w: no circuit %q", roleplay.ErrReference, id)
	}
	now := s.clock.Now()
	v := LeadView{Circuit: s.summary(c), Now: now.UTC(), CurrentSlot: currentSlot(c, now),
		GraceMS: s.grace.Milliseconds(), Flags: []Flag{}, Late: []SheetStatus{}, Missing: []SheetStatus{}}
	for slot := 1; slot <= c.Slots(); slot++ {
		start, end := c.SlotTimes(slot)
		ls := LeadSlot{Slot: slot, Start: start, End: end}
		for _, st := range c.Stations {
			cand, ok := c.At(st.ID, slot)
			if !ok {
				continue
			}
			cell, err := s.cell(ctx, c, &st, cand, slot, now)
			if err != nil {
				return LeadView{}, err
			}
			for _, sh := range cell.Sheets {
				v.Expected++
				switch {
				case sh.Status == StatusSubmitted:
					v.Submitted++
				case sh.Late:
					v.Late = append(v.Late, sh)
				case sh.Missing:
					v.Missing = append(v.Missing, sh)
				}
			}
			if cell.Discrepancy != nil && cell.Discrepancy.Flagged {
				f, err := s.flag(ctx, c, &st, cell, slot, now)
				if err != nil {
					return LeadView{}, err
				}
				v.Flags = append(v.Flags, f)
			}
			ls.Stations = append(ls.Stations, cell)
		}
		v.Slots = append(v.Slots, ls)
	}
	return v, nil
}

// Led returns the circuits assessor lead leads, ordered by start.
func (s *Service) Led(lead string) []CircuitSummary {
	out := []CircuitSummary{}
	for _, c := range s.m.Circuits {
		if c.LeadAssessor == lead {
			out = append(out, s.summary(c))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

func (s *Service) summary(c *roleplay.Circuit) CircuitSummary {
	cs := CircuitSummary{CircuitHead: circuitHead(c), Lead: c.LeadAssessor, DoubleMarking: c.DoubleMarking}
	for _, st := range c.Stations {
		cs.Stations = append(cs.Stations, StationSummary{ID: st.ID, Scenario: s.m.Scenarios[st.Scenario].Title,
			Assessors: st.Assessors, Double: st.DoubleMarked()})
	}
	return cs
}

// currentSlot returns the slot running at now: 0 before the circuit
// starts, Slots()+1 after it ends.
func currentSlot(c *roleplay.Circuit, now time.Time) int {
	if now.Before(c.Start) {
		return 0
	}
	return min(int(now.Sub(c.Start)/time.Duration(c.SlotLength))+1, c.Slots()+1)
}

// cell reads the primary sheets of one candidate at one station.
func (s *Service) cell(ctx context.Context, c *roleplay.Circuit, st *roleplay.Station, cand string, slot int, now time.Time) (LeadCell, error) {
	cell := LeadCell{Station: st.ID, Candidate: cand}
	if cd, ok := c.Candidate(cand); ok {
		cell.Name = cd.Name
	}
	_, end := c.SlotTimes(slot)
	overdue := now.After(end.Add(s.grace))
	var states []SheetVM
	for _, a := range st.Assessors {
		vm, n, err := s.view(ctx, roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: cand, Assessor: a})
		if err != nil {
			return LeadCell{}, err
		}
		states = append(states, vm)
		cell.Sheets = append(cell.Sheets, s.status(vm, n, overdue))
	}
	if d, ok := (pairOf{double: st.DoubleMarked(), sheets: states}).discrepancy(s.m, c); ok {
		cell.Discrepancy = &DiscrepancyVM{ScoreDiff: d.ScoreDiff, JudgementSteps: d.JudgementSteps,
			ScoreFlag: d.ScoreFlag, JudgementFlag: d.JudgementFlag, Flagged: d.Flagged()}
	}
	return cell, nil
}

// status summarises a sheet; overdue: the slot and its grace are over.
func (s *Service) status(vm SheetVM, n int64, overdue bool) SheetStatus {
	k := vm.Key
	c := s.m.Circuits[k.Circuit]
	r, _ := s.m.RubricOf(c, k.Station)
	ss := SheetStatus{Station: k.Station, Candidate: k.Candidate, Assessor: k.Assessor, Marker: vm.Marker,
		Slot: vm.Slot, Status: StatusNotStarted, Marked: len(vm.Marks), Criteria: len(r.Criteria()),
		Judgement: vm.Judgement, Moderations: len(vm.Moderations)}
	if a, ok := s.m.Assessors[k.Assessor]; ok {
		ss.AssessorName = a.Name
	}
	if vm.Judgement != nil {
		ss.JudgementLabel = s.m.Judgement.Label(*vm.Judgement)
	}
	if sc, err := rpscore.Score(r, rpscore.FromState(vm.State).Marks); err == nil {
		ss.Score, ss.MustPassFailed = &sc.Score, sc.MustPassFailed
	}
	for _, cr := range r.Criteria() {
		ss.Max += cr.EffectiveWeight() * float64(cr.Max())
	}
	switch {
	case vm.Submitted:
		ss.Status = StatusSubmitted
		at := vm.SubmittedAt.UTC()
		ss.SubmittedAt = &at
	case n > 0:
		ss.Status, ss.Late = StatusInProgress, overdue
	default:
		ss.Missing = overdue
	}
	return ss
}

// pairOf holds the two primary sheets of a double-marked station.
type pairOf struct {
	double bool
	sheets []SheetVM
}

// pair reads the primary sheets of a candidate at a station.
func (s *Service) pair(ctx context.Context, c *roleplay.Circuit, station, cand string) (pairOf, error) {
	st, ok := c.Station(station)
	if !ok {
		return pairOf{}, fmt.Errorf("%w: no station %q", roleplay.ErrReference, station)
	}
	p := pairOf{double: st.DoubleMarked()}
	for _, a := range st.Assessors {
		vm, _, err := s.view(ctx, roleplay.SheetKey{Circuit: c.ID, Station: station, Candidate: cand, Assessor: a})
		if err != nil {
			return pairOf{}, err
		}
		p.sheets = append(p.sheets, vm)
	}
	return p, nil
}

// discrepancy compares the pair under the circuit's rule; ok is false
// until both sheets are submitted.
func (p pairOf) discrepancy(m *roleplay.Model, c *roleplay.Circuit) (rpscore.Discrepancy, bool) {
	if !p.double || len(p.sheets) != 2 || !p.sheets[0].Submitted || !p.sheets[1].Submitted {
		return rpscore.Discrepancy{}, false
	}
	r, _ := m.RubricOf(c, p.sheets[0].Key.Station)
	a, b := rpscore.FromState(p.sheets[0].State), rpscore.FromState(p.sheets[1].State)
	sa, errA := rpscore.Score(r, a.Marks)
	sb, errB := rpscore.Score(r, b.Marks)
	if errA != nil || errB != nil {
		return rpscore.Discrepancy{}, false
	}
	return rpscore.Compare(c.DoubleMarking, m.Judgement, a, b, sa, sb), true
}

// flag describes a flagged cell and its resolution so far.
func (s *Service) flag(ctx context.Context, c *roleplay.Circuit, st *roleplay.Station, cell LeadCell, slot int, now time.Time) (Flag, error) {
	d := cell.Discrepancy
	f := Flag{Slot: slot, Station: st.ID, Candidate: cell.Candidate, Name: cell.Name, Sheets: cell.Sheets,
		Discrepancy: *d, Resolution: c.DoubleMarking.Resolution}
	p, err := s.pair(ctx, c, st.ID, cell.Candidate)
	if err != nil {
		return Flag{}, err
	}
	var extra *rpscore.Marking
	if f.Resolution != roleplay.ResolveAverage {
		vm, n, ok, err := s.resolver(ctx, c, st, cell.Candidate)
		if err != nil {
			return Flag{}, err
		}
		if ok {
			_, end := c.SlotTimes(slot)
			ss := s.status(vm, n, now.After(end.Add(s.grace)))
			f.Resolver = &ss
			if vm.Submitted {
				m := rpscore.FromState(vm.State)
				extra = &m
			}
		}
		if f.Resolution == roleplay.ResolveThirdMarker && (!ok || n == 0) {
			f.ThirdMarkers = s.thirdMarkers(st)
		}
	}
	r, _ := s.m.RubricOf(c, st.ID)
	res, err := rpscore.Resolve(c.DoubleMarking, s.m.Judgement, r,
		rpscore.FromState(p.sheets[0].State), rpscore.FromState(p.sheets[1].State), extra)
	if err == nil {
		f.Resolved = &res.Score.Score
	}
	return f, nil
}

// resolver returns the resolving sheet of a flagged station: the lead's
// decision sheet, or the assigned third marker's. ok is false while the
// circuit's rule needs one and no third marker is assigned.
func (s *Service) resolver(ctx context.Context, c *roleplay.Circuit, st *roleplay.Station, cand string) (SheetVM, int64, bool, error) {
	who := c.LeadAssessor
	if c.DoubleMarking.Resolution == roleplay.ResolveThirdMarker {
		as, _, err := s.assignments(ctx, c.ID)
		if err != nil {
			return SheetVM{}, 0, false, err
		}
		a, ok := as[cellKey{st.ID, cand}]
		if !ok {
			return SheetVM{}, 0, false, nil
		}
		who = a.Assessor
	}
	vm, n, err := s.view(ctx, roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: cand, Assessor: who})
	if err != nil {
		return SheetVM{}, 0, false, err
	}
	return vm, n, true, nil
}

// thirdMarkers lists the assessors who may third-mark station st: every
// assessor of the model who does not mark it, by name.
func (s *Service) thirdMarkers(st *roleplay.Station) []AssessorVM {
	var out []AssessorVM
	for _, a := range s.m.Assessors {
		if !st.Marks(a.ID) {
			out = append(out, AssessorVM{ID: a.ID, Name: a.Name, Role: a.Role})
		}
	}
	slices.SortFunc(out, func(a, b AssessorVM) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Moderation is the lead's change of a submitted sheet.
type Moderation struct {
	Station   string `json:"station"`
	Candidate string `json:"candidate"`
	Assessor  string `json:"assessor"`  // whose sheet
	Criterion string `json:"criterion"` // "" moderates the global judgement
	Value     int    `json:"value"`
	Reason    string `json:"reason"`
	// Record, when set, is the act's audit entry, stored in the same
	// write as the moderation or not at all.
	Record *audit.Entry `json:"-"`
}

// Moderate applies the lead's moderation to a submitted sheet of circuit
// id. The change is kept in the sheet's audit trail beside the submitted
// value. It returns ErrNotLead if lead is not the circuit's lead assessor,
// or a *ProtocolError (not submitted, no reason, out of scale, ...).
func (s *Service) Moderate(ctx context.Context, circuit, lead string, mod Moderation) (roleplay.State, error) {
	c, ok := s.m.Circuits[circuit]
	if !ok {
		return roleplay.State{}, perr(CodeUnknownSheet, "no circuit %q", circuit)
	}
	if lead != c.LeadAssessor {
		return roleplay.State{}, ErrNotLead
	}
	k := roleplay.SheetKey{Circuit: circuit, Station: mod.Station, Candidate: mod.Candidate, Assessor: mod.Assessor}
	kind := roleplay.ModerateMark
	if mod.Criterion == "" {
		kind = roleplay.ModerateJudgement
	}
	out, err := s.apply(ctx, k, func(sh *roleplay.Sheet) roleplay.Change {
		return roleplay.Change{By: lead, Seq: sh.Acked(lead) + 1, Kind: kind, Criterion: mod.Criterion,
			Value: mod.Value, Reason: mod.Reason}
	}, mod.Record)
	if err != nil {
		return roleplay.State{}, err
	}
	return out.State, nil
}
