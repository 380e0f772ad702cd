package marking

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// AssessorVM is what an assessor is told about themself.
type AssessorVM struct {
	ID   string       `json:"id"`
	Name string       `json:"name"`
	Role content.Role `json:"role"`
}

// CircuitHead is what every view of a circuit begins with: which it is and
// when its slots run.
type CircuitHead struct {
	ID     string          `json:"id"`
	Title  string          `json:"title"`
	Status roleplay.Status `json:"status"`
	Start  time.Time       `json:"start"`
	SlotMS int64           `json:"slot_length_ms"`
	Slots  int             `json:"slots"`
}

func circuitHead(c *roleplay.Circuit) CircuitHead {
	return CircuitHead{ID: c.ID, Title: c.Title, Status: c.Status, Start: c.Start,
		SlotMS: time.Duration(c.SlotLength).Milliseconds(), Slots: c.Slots()}
}

// CircuitVM is a circuit as one assessor sees it: the stations they mark,
// with the scenario, the rubric and who comes when.
type CircuitVM struct {
	CircuitHead
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

// circuitsOf returns the circuits in which the assessor has sheets to mark,
// ordered by start: the stations they mark, and the flagged stations they
// resolve (the lead's decisions, or a third marking the lead assigned them).
func (s *Service) circuitsOf(ctx context.Context, id string) ([]CircuitVM, error) {
	var out []CircuitVM
	for _, c := range s.m.Circuits {
		var stations []StationVM
		for _, sid := range c.StationsOf(id) {
			st, _ := c.Station(sid)
			stations = append(stations, s.stationVM(c, st, roleplay.Primary, nil))
		}
		res, err := s.resolutionsOf(ctx, c, id)
		if err != nil {
			return nil, err
		}
		for i := range c.Stations {
			st := &c.Stations[i]
			if cands := res[st.ID]; len(cands) > 0 {
				stations = append(stations, s.stationVM(c, st, markerOf(c), cands))
			}
		}
		if len(stations) == 0 {
			continue
		}
		vm := CircuitVM{CircuitHead: circuitHead(c),
			Judgement: s.m.Judgement.Points, Domains: map[string]string{}, Stations: stations}
		for _, st := range stations {
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
	return out, nil
}

// markerOf is the part a resolving assessor plays in circuit c.
func markerOf(c *roleplay.Circuit) roleplay.Marker {
	if c.DoubleMarking.Resolution == roleplay.ResolveLead {
		return roleplay.LeadDecision
	}
	return roleplay.ThirdMarker
}

// resolutionsOf returns, by station, the candidates whose flagged station
// assessor id resolves in circuit c: as its lead when the lead decides
// (every flagged station, and any decision already begun), or as the
// third marker the lead assigned.
func (s *Service) resolutionsOf(ctx context.Context, c *roleplay.Circuit, id string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	add := func(station, cand string) {
		if out[station] == nil {
			out[station] = map[string]bool{}
		}
		out[station][cand] = true
	}
	switch c.DoubleMarking.Resolution {
	case roleplay.ResolveThirdMarker:
		as, _, err := s.assignments(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for k, a := range as {
			if a.Assessor == id {
				add(k.station, k.candidate)
			}
		}
	case roleplay.ResolveLead:
		if c.LeadAssessor != id {
			return out, nil
		}
		for _, sl := range c.Schedule {
			st, _ := c.Station(sl.Station)
			if !st.DoubleMarked() || st.Marks(id) {
				continue
			}
			p, err := s.pair(ctx, c, st.ID, sl.Candidate)
			if err != nil {
				return nil, err
			}
			if d, ok := p.discrepancy(s.m, c); ok && d.Flagged() {
				add(st.ID, sl.Candidate)
				continue
			}
			if _, n, err := s.view(ctx, roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: sl.Candidate, Assessor: id}); err == nil && n > 0 {
				add(st.ID, sl.Candidate)
			}
		}
	}
	return out, nil
}

// stationVM describes station st to an assessor marking it as marker; only,
// when not nil, limits the schedule to those candidates.
func (s *Service) stationVM(c *roleplay.Circuit, st *roleplay.Station, marker roleplay.Marker, only map[string]bool) StationVM {
	sc := s.m.Scenarios[st.Scenario]
	vm := StationVM{ID: st.ID, Marker: marker, Double: st.DoubleMarked(), Rubric: s.m.Rubrics[st.Rubric],
		Scenario: ScenarioVM{Title: sc.Title, CandidateBrief: sc.CandidateBrief, ActorBrief: sc.ActorBrief,
			DurationMS: time.Duration(sc.Duration).Milliseconds()}}
	for _, sl := range c.Schedule {
		if sl.Station != st.ID || (only != nil && !only[sl.Candidate]) {
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
// scheduled at a station they mark or resolve (circuitsOf). Nobody else's
// marks are ever included. Each is caught up with the store first: an
// assessor who signs in here after marking on another node is welcomed
// with what they stored there even if that node's notice is still on its
// way (a few reads per sign-in).
func (s *Service) sheetsOf(ctx context.Context, code string, circuits []CircuitVM) ([]SheetVM, error) {
	var out []SheetVM
	for _, c := range circuits {
		for _, st := range c.Stations {
			for _, sl := range st.Schedule {
				k := roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: sl.Candidate, Assessor: code}
				vm, err := s.current(ctx, k)
				if err != nil {
					return nil, err
				}
				out = append(out, vm)
			}
		}
	}
	return out, nil
}

// welcome builds the message that greets a signed-in assessor.
func (s *Service) welcome(ctx context.Context, a *roleplay.Assessor) (ServerMsg, error) {
	circuits, err := s.circuitsOf(ctx, a.ID)
	if err != nil {
		return ServerMsg{}, err
	}
	sheets, err := s.sheetsOf(ctx, a.ID, circuits)
	if err != nil {
		return ServerMsg{}, err
	}
	now := s.clock.Now().UTC()
	return ServerMsg{Type: MsgWelcome, V: ProtocolVersion, Now: &now,
		Assessor: &AssessorVM{ID: a.ID, Name: a.Name, Role: a.Role},
		Circuits: circuits, Sheets: sheets}, nil
}

// signature sums up the sheets an assessor is given to mark: what a
// "circuits" message would change.
func signature(circuits []CircuitVM) string {
	var b strings.Builder
	for _, c := range circuits {
		for _, st := range c.Stations {
			fmt.Fprintf(&b, "%s/%s/%s:", c.ID, st.ID, st.Marker)
			for _, sl := range st.Schedule {
				b.WriteString(sl.Candidate + ",")
			}
			b.WriteByte(';')
		}
	}
	return b.String()
}

// refresh sends assessor id's live connection on this node its stations
// again if they have changed since it was last told.
func (s *Service) refresh(ctx context.Context, id string) {
	s.mu.Lock()
	p := s.peers[id]
	s.mu.Unlock()
	if p == nil {
		return
	}
	circuits, err := s.circuitsOf(ctx, id)
	if err != nil {
		s.log.Warn("stations not refreshed", "assessor", id, "err", err)
		return
	}
	sig := signature(circuits)
	p.mu.Lock()
	defer p.mu.Unlock()
	if sig != p.sig {
		p.sig = sig
		p.Send(ServerMsg{Type: MsgCircuits, Circuits: circuits})
	}
}
