package marking

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// AssessorVM is what an assessor is told about themself.
type AssessorVM struct {
	Code string       `json:"code"`
	Name string       `json:"name"`
	Role content.Role `json:"role"`
}

// CircuitVM is a circuit as one assessor sees it: the stations they mark,
// with the scenario, the rubric and who comes when.
type CircuitVM struct {
	ID        string                    `json:"id"`
	Title     string                    `json:"title"`
	Status    roleplay.Status           `json:"status"`
	Start     time.Time                 `json:"start"`
	SlotMS    int64                     `json:"slot_length_ms"`
	Slots     int                       `json:"slots"`
	Judgement []roleplay.JudgementPoint `json:"judgement"`
	Domains   map[string]string         `json:"domains"` // domain id -> title
	Stations  []StationVM               `json:"stations"`
}

// StationVM is one station an assessor marks.
type StationVM struct {
	ID       string           `json:"id"`
	Marker   roleplay.Marker  `json:"marker"`
	Double   bool             `json:"double_marked"`
	Scenario ScenarioVM       `json:"scenario"`
	Rubric   *roleplay.Rubric `json:"rubric"`
	Schedule []SlotVM         `json:"schedule"`
}

// ScenarioVM is a station's scenario.
type ScenarioVM struct {
	Title          string `json:"title"`
	CandidateBrief string `json:"candidate_brief"`
	ActorBrief     string `json:"actor_brief"`
	DurationMS     int64  `json:"duration_ms"`
}

// SlotVM places a candidate at a station for one slot.
type SlotVM struct {
	Slot      int       `json:"slot"`
	Candidate string    `json:"candidate"`
	Name      string    `json:"name"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
}

// SheetVM is one of the assessor's own sheets. LastSeq is the assessor's
// highest stored sequence number on it: a client resumes after it.
type SheetVM struct {
	roleplay.State
	LastSeq uint64 `json:"last_seq"`
}

// circuitsOf returns the circuits in which the assessor marks a station,
// ordered by start.
func (s *Service) circuitsOf(code string) []CircuitVM {
	var out []CircuitVM
	for _, c := range s.m.Circuits {
		ids := c.StationsOf(code)
		if len(ids) == 0 {
			continue
		}
		vm := CircuitVM{ID: c.ID, Title: c.Title, Status: c.Status, Start: c.Start,
			SlotMS: time.Duration(c.SlotLength).Milliseconds(), Slots: c.Slots(),
			Judgement: s.m.Judgement.Points, Domains: map[string]string{}}
		for _, id := range ids {
			st, _ := c.Station(id)
			vm.Stations = append(vm.Stations, s.stationVM(c, st, roleplay.Primary))
		}
		for _, st := range vm.Stations {
			for _, dc := range st.Rubric.Domains {
				if d, ok := s.m.Domains[dc.Domain]; ok {
					vm.Domains[d.ID] = d.Title
				}
			}
		}
		out = append(out, vm)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (s *Service) stationVM(c *roleplay.Circuit, st *roleplay.Station, marker roleplay.Marker) StationVM {
	sc := s.m.Scenarios[st.Scenario]
	vm := StationVM{ID: st.ID, Marker: marker, Double: st.DoubleMarked(), Rubric: s.m.Rubrics[st.Rubric],
		Scenario: ScenarioVM{Title: sc.Title, CandidateBrief: sc.CandidateBrief, ActorBrief: sc.ActorBrief,
			DurationMS: time.Duration(sc.Duration).Milliseconds()}}
	for _, sl := range c.Schedule {
		if sl.Station != st.ID {
			continue
		}
		start, end := c.SlotTimes(sl.Slot)
		name := ""
		if cd, ok := c.Candidate(sl.Candidate); ok {
			name = cd.Name
		}
		vm.Schedule = append(vm.Schedule, SlotVM{Slot: sl.Slot, Candidate: sl.Candidate, Name: name, Start: start, End: end})
	}
	slices.SortFunc(vm.Schedule, func(a, b SlotVM) int { return a.Slot - b.Slot })
	return vm
}

// sheetsOf returns the assessor's own sheets: one for each candidate
// scheduled at a station they mark, and any third-marker or lead-decision
// sheet they have stored. Nobody else's marks are ever included.
func (s *Service) sheetsOf(ctx context.Context, code string, circuits []CircuitVM) ([]SheetVM, error) {
	keys := map[roleplay.SheetKey]bool{}
	var order []roleplay.SheetKey
	add := func(k roleplay.SheetKey) {
		if !keys[k] {
			keys[k] = true
			order = append(order, k)
		}
	}
	for _, c := range circuits {
		for _, st := range c.Stations {
			for _, sl := range st.Schedule {
				add(roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: sl.Candidate, Assessor: code})
			}
		}
	}
	names, err := s.store.Streams(ctx, "sheet/")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if k, ok := parseStream(n); ok && k.Assessor == code && strings.HasSuffix(n, "/"+code) {
			if _, known := s.m.Circuits[k.Circuit]; known {
				add(k)
			}
		}
	}
	out := make([]SheetVM, 0, len(order))
	for _, k := range order {
		vm, _, err := s.view(ctx, k)
		if err != nil {
			s.log.Warn("sheet not shown", "sheet", StreamName(k), "err", err)
			continue
		}
		out = append(out, vm)
	}
	return out, nil
}

// welcome builds the message that greets a signed-in assessor.
func (s *Service) welcome(ctx context.Context, a *roleplay.Assessor) (ServerMsg, error) {
	circuits := s.circuitsOf(a.Code)
	sheets, err := s.sheetsOf(ctx, a.Code, circuits)
	if err != nil {
		return ServerMsg{}, err
	}
	now := s.clock.Now().UTC()
	return ServerMsg{Type: MsgWelcome, V: ProtocolVersion, Now: &now,
		Assessor: &AssessorVM{Code: a.Code, Name: a.Name, Role: a.Role},
		Circuits: circuits, Sheets: sheets}, nil
}
