package roleplay

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// checkID returns what is wrong with an id or code, or "".
func checkID(id string) string {
	if id == "" {
		return "missing"
	}
	if len(id) > 64 {
		return "longer than 64 characters"
	}
	for _, r := range id {
		ok := r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return fmt.Sprintf("%q: use letters, digits, '-', '_' and '.' only", id)
		}
	}
	return ""
}

func validStatus(s Status) bool {
	return s == StatusPractitioner || s == StatusSupervisor || s == StatusLeader
}

func (l *loader) id(file, path, id string) bool {
	if msg := checkID(id); msg != "" {
		l.errs.Add(ErrInvalid, file, path, "%s", msg)
		return false
	}
	return true
}

func (l *loader) text(file, path, s string) {
	if strings.TrimSpace(s) == "" {
		l.errs.Add(ErrInvalid, file, path, "missing")
	}
}

func (l *loader) status(file, path string, s Status) {
	if !validStatus(s) {
		l.errs.Add(ErrInvalid, file, path, "%q: want practitioner, supervisor or leader", s)
	}
}

// register files v under id in m. An invalid id, or one m already holds, is
// reported at file and path instead; dup words the second use, e.g.
// "domain %q defined twice".
func register[T any](l *loader, m map[string]*T, file, path, id string, v *T, dup string) {
	if !l.id(file, path, id) {
		return
	}
	if _, seen := m[id]; seen {
		l.errs.Add(ErrDuplicate, file, path, dup, id)
		return
	}
	m[id] = v
}

func (l *loader) checkDomains() {
	f := l.domains.Name
	for i := range l.domains.Value.Domains {
		d := &l.domains.Value.Domains[i]
		p := fmt.Sprintf("domains[%d]", i)
		l.text(f, p+".title", d.Title)
		l.status(f, p+".status", d.Status)
		register(l, l.m.Domains, f, p+".id", d.ID, d, "domain %q defined twice")
	}
}

func (l *loader) checkJudgement() {
	if l.judgement == nil {
		return
	}
	f, s := l.judgement.Name, l.judgement.Value
	if len(s.Points) < 2 {
		l.errs.Add(ErrInvalid, f, "points", "want at least two points")
	}
	for i, p := range s.Points {
		l.text(f, fmt.Sprintf("points[%d].label", i), p.Label)
		if i > 0 && p.Value <= s.Points[i-1].Value {
			l.errs.Add(ErrInvalid, f, fmt.Sprintf("points[%d].value", i), "values must increase")
		}
	}
	l.m.Judgement = s
}

func (l *loader) checkAssessors() {
	f := l.assessors.Name
	for i := range l.assessors.Value.Assessors {
		a := &l.assessors.Value.Assessors[i]
		p := fmt.Sprintf("assessors[%d]", i)
		l.text(f, p+".name", a.Name)
		if a.Role != content.RoleAssessor && a.Role != content.RoleLeadAssessor {
			l.errs.Add(ErrInvalid, f, p+".role", "%q: want assessor or lead_assessor", a.Role)
		}
		register(l, l.m.Assessors, f, p+".id", a.ID, a, "assessor id %q used twice")
	}
}

func (l *loader) checkScenarios() {
	for i := range l.scenarios {
		f, s := l.scenarios[i].Name, &l.scenarios[i].Value
		l.text(f, "title", s.Title)
		l.status(f, "status", s.Status)
		l.text(f, "actor_brief", s.ActorBrief)
		l.text(f, "candidate_brief", s.CandidateBrief)
		if s.Duration <= 0 {
			l.errs.Add(ErrInvalid, f, "duration", "want a positive duration such as \"20m\"")
		}
		if s.ReadingTime < 0 {
			l.errs.Add(ErrInvalid, f, "reading_time", "negative")
		}
		register(l, l.m.Scenarios, f, "id", s.ID, s, "scenario %q defined twice")
	}
}

func (l *loader) checkRubrics() {
	for i := range l.rubrics {
		f, r := l.rubrics[i].Name, &l.rubrics[i].Value
		l.text(f, "title", r.Title)
		if len(r.Domains) == 0 {
			l.errs.Add(ErrInvalid, f, "domains", "want at least one domain with criteria")
		}
		r.byID = map[string]*Criterion{}
		for j := range r.Domains {
			l.checkDomainCriteria(f, fmt.Sprintf("domains[%d]", j), r, &r.Domains[j])
		}
		register(l, l.m.Rubrics, f, "id", r.ID, r, "rubric %q defined twice")
	}
}

func (l *loader) checkDomainCriteria(f, p string, r *Rubric, dc *DomainCriteria) {
	if _, ok := l.m.Domains[dc.Domain]; !ok {
		l.errs.Add(ErrReference, f, p+".domain", "no domain %q in %s", dc.Domain, domainsFile)
	}
	if len(dc.Criteria) == 0 {
		l.errs.Add(ErrInvalid, f, p+".criteria", "want at least one criterion")
	}
	for k := range dc.Criteria {
		c := &dc.Criteria[k]
		cp := fmt.Sprintf("%s.criteria[%d]", p, k)
		c.domain = dc.Domain
		l.checkCriterion(f, cp, c)
		register(l, r.byID, f, cp+".id", c.ID, c, "criterion %q used twice in the rubric")
	}
}

func (l *loader) checkCriterion(f, p string, c *Criterion) {
	l.text(f, p+".title", c.Title)
	if len(c.Points) < 2 {
		l.errs.Add(ErrInvalid, f, p+".points", "want at least two points")
	}
	for i, pt := range c.Points {
		pp := fmt.Sprintf("%s.points[%d]", p, i)
		l.text(f, pp+".anchor", pt.Anchor)
		if i > 0 && pt.Value <= c.Points[i-1].Value {
			l.errs.Add(ErrInvalid, f, pp+".value", "values must increase")
		}
	}
	if c.Weight < 0 || math.IsInf(c.Weight, 0) || math.IsNaN(c.Weight) {
		l.errs.Add(ErrInvalid, f, p+".weight", "want a positive weight, or none for 1")
	}
	if c.MustPass != nil && len(c.Points) >= 2 {
		lo, hi := c.Points[0].Value, c.Points[len(c.Points)-1].Value
		if t := c.MustPass.Threshold; t <= lo || t > hi {
			l.errs.Add(ErrInvalid, f, p+".must_pass.threshold", "%d: want a value above %d and at most %d", t, lo, hi)
		}
	}
}

func (l *loader) checkCircuits() {
	for i := range l.circuits {
		f, c := l.circuits[i].Name, &l.circuits[i].Value
		l.checkCircuitHead(f, c)
		l.checkStations(f, c)
		l.checkCandidates(f, c)
		l.checkSchedule(f, c)
		register(l, l.m.Circuits, f, "id", c.ID, c, "circuit %q defined twice")
	}
}

func (l *loader) checkCircuitHead(f string, c *Circuit) {
	l.text(f, "title", c.Title)
	l.status(f, "status", c.Status)
	if c.Start.IsZero() {
		l.errs.Add(ErrInvalid, f, "start", "missing: want a date-time such as \"2026-03-02T09:00:00Z\"")
	}
	if c.SlotLength <= 0 {
		l.errs.Add(ErrInvalid, f, "slot_length", "want a positive duration such as \"30m\"")
	}
	if a, ok := l.m.Assessors[c.LeadAssessor]; !ok || a.Role != content.RoleLeadAssessor {
		l.errs.Add(ErrReference, f, "lead_assessor", "%q is not a lead assessor in %s", c.LeadAssessor, assessorsFile)
	}
	dm := c.DoubleMarking
	if dm.Tolerance < 0 || math.IsNaN(dm.Tolerance) || math.IsInf(dm.Tolerance, 0) {
		l.errs.Add(ErrInvalid, f, "double_marking.tolerance", "want a score difference of 0 or more")
	}
	if dm.JudgementSteps < 0 {
		l.errs.Add(ErrInvalid, f, "double_marking.judgement_steps", "negative")
	}
	switch dm.Resolution {
	case ResolveAverage, ResolveLead, ResolveThirdMarker:
	case "":
		for _, s := range c.Stations {
			if len(s.Assessors) == 2 {
				l.errs.Add(ErrInvalid, f, "double_marking.resolution", "missing: station %q is double-marked; want average, lead or third_marker", s.ID)
				return
			}
		}
	default:
		l.errs.Add(ErrInvalid, f, "double_marking.resolution", "%q: want average, lead or third_marker", dm.Resolution)
	}
}

func (l *loader) checkStations(f string, c *Circuit) {
	if len(c.Stations) == 0 {
		l.errs.Add(ErrInvalid, f, "stations", "want at least one station")
	}
	c.stations = map[string]*Station{}
	for i := range c.Stations {
		s := &c.Stations[i]
		p := fmt.Sprintf("stations[%d]", i)
		register(l, c.stations, f, p+".id", s.ID, s, "station %q defined twice")
		l.checkStationRefs(f, p, c, s)
	}
}

func (l *loader) checkStationRefs(f, p string, c *Circuit, s *Station) {
	sc, ok := l.m.Scenarios[s.Scenario]
	switch {
	case !ok:
		l.errs.Add(ErrReference, f, p+".scenario", "no scenario %q", s.Scenario)
	case sc.Status != c.Status:
		l.errs.Add(ErrReference, f, p+".scenario", "scenario %q is for the %s status, the circuit for %s", s.Scenario, sc.Status, c.Status)
	case c.SlotLength > 0 && sc.Duration+sc.ReadingTime > c.SlotLength:
		l.errs.Add(ErrInvalid, f, p+".scenario", "scenario %q takes %v, longer than the %v slot",
			s.Scenario, time.Duration(sc.Duration+sc.ReadingTime), time.Duration(c.SlotLength))
	}
	if r, ok := l.m.Rubrics[s.Rubric]; !ok {
		l.errs.Add(ErrReference, f, p+".rubric", "no rubric %q", s.Rubric)
	} else {
		for _, dc := range r.Domains {
			if d, ok := l.m.Domains[dc.Domain]; ok && d.Status != c.Status {
				l.errs.Add(ErrReference, f, p+".rubric", "rubric %q marks domain %q of the %s statement, the circuit is for %s",
					s.Rubric, dc.Domain, d.Status, c.Status)
				break
			}
		}
	}
	if n := len(s.Assessors); n != 1 && n != 2 {
		l.errs.Add(ErrInvalid, f, p+".assessors", "want one or two assessors, have %d", n)
	}
	for j, code := range s.Assessors {
		if _, ok := l.m.Assessors[code]; !ok {
			l.errs.Add(ErrReference, f, fmt.Sprintf("%s.assessors[%d]", p, j), "no assessor %q", code)
		}
		if j == 1 && code == s.Assessors[0] {
			l.errs.Add(ErrDuplicate, f, fmt.Sprintf("%s.assessors[%d]", p, j), "assessor %q listed twice", code)
		}
	}
}

func (l *loader) checkCandidates(f string, c *Circuit) {
	c.candidates = map[string]*Candidate{}
	for i := range c.Candidates {
		cd := &c.Candidates[i]
		p := fmt.Sprintf("candidates[%d]", i)
		l.text(f, p+".name", cd.Name)
		register(l, c.candidates, f, p+".id", cd.ID, cd, "candidate %q listed twice")
	}
}

type pair struct{ a, b string }

func (l *loader) checkSchedule(f string, c *Circuit) {
	c.slotOf = map[pair]int{}
	c.at = map[slotKey]string{}
	busy := map[slotKey]bool{} // (slot, candidate)
	for i, s := range c.Schedule {
		p := fmt.Sprintf("schedule[%d]", i)
		_, okS := c.stations[s.Station]
		_, okC := c.candidates[s.Candidate]
		switch {
		case s.Slot < 1:
			l.errs.Add(ErrInvalid, f, p+".slot", "%d: slots start at 1", s.Slot)
		case !okS:
			l.errs.Add(ErrReference, f, p+".station", "no station %q in the circuit", s.Station)
		case !okC:
			l.errs.Add(ErrReference, f, p+".candidate", "no candidate %q in the circuit", s.Candidate)
		case c.at[slotKey{s.Slot, s.Station}] != "":
			l.errs.Add(ErrDuplicate, f, p, "station %q already has candidate %q in slot %d", s.Station, c.at[slotKey{s.Slot, s.Station}], s.Slot)
		case busy[slotKey{s.Slot, s.Candidate}]:
			l.errs.Add(ErrDuplicate, f, p, "candidate %q is at two stations in slot %d", s.Candidate, s.Slot)
		case c.slotOf[pair{s.Station, s.Candidate}] != 0:
			l.errs.Add(ErrDuplicate, f, p, "candidate %q visits station %q twice", s.Candidate, s.Station)
		default:
			c.at[slotKey{s.Slot, s.Station}] = s.Candidate
			busy[slotKey{s.Slot, s.Candidate}] = true
			c.slotOf[pair{s.Station, s.Candidate}] = s.Slot
		}
	}
}
