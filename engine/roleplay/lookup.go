package roleplay

// Criterion returns the rubric's criterion with the given id.
func (r *Rubric) Criterion(id string) (*Criterion, bool) {
	c, ok := r.byID[id]
	return c, ok
}

// Criteria returns the rubric's criteria in file order, domain by domain.
func (r *Rubric) Criteria() []*Criterion {
	var out []*Criterion
	for i := range r.Domains {
		for j := range r.Domains[i].Criteria {
			out = append(out, &r.Domains[i].Criteria[j])
		}
	}
	return out
}

// Domain returns the id of the domain the criterion is grouped under.
func (c *Criterion) Domain() string { return c.domain }

// EffectiveWeight returns the weight, 1 when none is given.
func (c *Criterion) EffectiveWeight() float64 {
	if c.Weight == 0 {
		return 1
	}
	return c.Weight
}

// Valid reports whether v is a point of the criterion's scale.
func (c *Criterion) Valid(v int) bool {
	for _, p := range c.Points {
		if p.Value == v {
			return true
		}
	}
	return false
}

// Min returns the lowest point of the scale.
func (c *Criterion) Min() int { return c.Points[0].Value }

// Max returns the highest point of the scale.
func (c *Criterion) Max() int { return c.Points[len(c.Points)-1].Value }

// Index returns the position of value v on the scale (0 = lowest).
func (s JudgementScale) Index(v int) (int, bool) {
	for i, p := range s.Points {
		if p.Value == v {
			return i, true
		}
	}
	return 0, false
}

// Label returns the label of value v, or "" if v is not on the scale.
func (s JudgementScale) Label(v int) string {
	if i, ok := s.Index(v); ok {
		return s.Points[i].Label
	}
	return ""
}

// Station returns the circuit's station with the given id.
func (c *Circuit) Station(id string) (*Station, bool) {
	s, ok := c.stations[id]
	return s, ok
}

// Candidate returns the circuit's candidate with the given id.
func (c *Circuit) Candidate(id string) (*Candidate, bool) {
	cd, ok := c.candidates[id]
	return cd, ok
}

// SlotOf returns the slot in which the candidate is at the station.
func (c *Circuit) SlotOf(station, candidate string) (int, bool) {
	s, ok := c.slotOf[pair{station, candidate}]
	return s, ok
}

// At returns the candidate at the station in the slot, if any.
func (c *Circuit) At(station string, slot int) (string, bool) {
	cd, ok := c.at[slotKey{slot, station}]
	return cd, ok
}

// Slots returns the number of slots in the schedule.
func (c *Circuit) Slots() int {
	n := 0
	for _, s := range c.Schedule {
		n = max(n, s.Slot)
	}
	return n
}

// Marks reports whether the assessor is one of the station's assessors.
func (s *Station) Marks(code string) bool {
	for _, a := range s.Assessors {
		if a == code {
			return true
		}
	}
	return false
}

// DoubleMarked reports whether two assessors mark the station.
func (s *Station) DoubleMarked() bool { return len(s.Assessors) == 2 }

// StationsOf returns the ids of the circuit's stations the assessor marks.
func (c *Circuit) StationsOf(code string) []string {
	var out []string
	for _, s := range c.Stations {
		if s.Marks(code) {
			out = append(out, s.ID)
		}
	}
	return out
}

// RubricOf returns the rubric of a station of circuit c.
func (m *Model) RubricOf(c *Circuit, station string) (*Rubric, bool) {
	s, ok := c.Station(station)
	if !ok {
		return nil, false
	}
	r, ok := m.Rubrics[s.Rubric]
	return r, ok
}
