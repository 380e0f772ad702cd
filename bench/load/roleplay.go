package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// Names used by WriteRoleplay.
const (
	LeadID   = "LOAD-LEAD"      // the circuits' lead assessor in the model; not simulated
	LeadCode = "LOAD-LEAD-4T7N" // the lead's sign-in code
)

// AssessorCode returns the sign-in code of simulated assessor i; as in
// Code, digits are kept apart so that no code has a guessable run.
func AssessorCode(i int) string {
	return "LOAD-ASR-" + strings.Join(strings.Split(strconv.Itoa(i), ""), "Z") + "-W7R"
}

// AssessorID returns the model id of simulated assessor i.
func AssessorID(i int) string { return fmt.Sprintf("LOAD-ASR-%d", i) }

// Roleplay sizes the role-play model WriteRoleplay writes.
type Roleplay struct {
	// Assessors is the number of simulated assessors, two to a station:
	// even and at least 2.
	Assessors int
	// Stations is the number of stations per circuit, 0 meaning 10; the
	// last circuit has what is left.
	Stations int
	// Candidates is the number of candidates per circuit, raised to the
	// number of its stations when fewer (0 means as many). The circuit has one slot per
	// candidate; in slot s station j holds candidate (j+s-1) mod C, so
	// every candidate visits every station once.
	Candidates int
	// SlotLength is the length of a slot, 0 meaning 1h; it must hold the
	// longest scenario with its reading time (25m in the demo model).
	SlotLength time.Duration
	// Start is when slot 1 of every circuit begins. The server accepts
	// marks only once a slot has started, by its own clock, so a load run
	// needs it at or just before the run. Zero means a minute ago.
	Start time.Time
}

var errAssessors = errors.New("load: role-play needs an even number of assessors, at least 2")

func (p Roleplay) withDefaults() (Roleplay, error) {
	if p.Assessors < 2 || p.Assessors%2 != 0 {
		return p, errAssessors
	}
	if p.Stations <= 0 {
		p.Stations = 10
	}
	if p.Candidates < 0 || p.SlotLength < 0 {
		return p, errors.New("load: role-play candidates and slot length must not be negative")
	}
	if p.SlotLength == 0 {
		p.SlotLength = time.Hour
	}
	if p.Start.IsZero() {
		p.Start = time.Now().Add(-time.Minute)
	}
	p.Start = p.Start.UTC().Truncate(time.Second)
	return p, nil
}

// WriteRoleplay writes a role-play model tree (docs/roleplay.md) in dir
// with the demo model's domains, scenarios and rubrics, p.Assessors
// simulated assessors and one lead assessor, and circuits of double-marked
// practitioner stations (their scenarios taken in turn from the demo
// practitioner circuit) that resolve discrepancies by averaging. It adds
// every assessor's staff record, linked to the model by id, to the
// staff.json of contentDir (written by WriteContent), and returns the
// simulated assessors' sign-in codes: code i is AssessorCode(i), who marks
// station i/2 of the circuits taken in order.
func WriteRoleplay(dir, contentDir string, p Roleplay) ([]string, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	demo := roleplay.Demo()
	m, err := roleplay.Load(demo)
	if err != nil {
		return nil, err
	}
	pairs, longest := stationKinds(m)
	if len(pairs) == 0 {
		return nil, errors.New("load: the demo model has no practitioner stations")
	}
	if p.SlotLength < longest {
		return nil, fmt.Errorf("load: slot length %v is shorter than the longest scenario, %v", p.SlotLength, longest)
	}
	if err := copyTree(demo, dir, "domains.json", "judgement.json", "scenarios/*.json", "rubrics/*.json"); err != nil {
		return nil, err
	}
	assessors := []roleplay.Assessor{{ID: LeadID, Name: "Load lead assessor", Role: content.RoleLeadAssessor}}
	staff := []content.Staff{{ID: "load-lead", Name: "Load lead assessor", Role: content.RoleLeadAssessor, Code: LeadCode, Assessor: LeadID}}
	codes := make([]string, p.Assessors)
	for i := range codes {
		codes[i] = AssessorCode(i)
		name := fmt.Sprintf("Simulated assessor %d", i)
		assessors = append(assessors, roleplay.Assessor{ID: AssessorID(i), Name: name, Role: content.RoleAssessor})
		staff = append(staff, content.Staff{ID: fmt.Sprintf("load-asr-%d", i), Name: name, Role: content.RoleAssessor, Code: codes[i], Assessor: AssessorID(i)})
	}
	if err := writeJSON(filepath.Join(dir, "assessors.json"), map[string]any{"assessors": assessors}); err != nil {
		return nil, err
	}
	stations := p.Assessors / 2
	for k, first := 0, 0; first < stations; k, first = k+1, first+p.Stations {
		c := circuit(p, k, first, min(p.Stations, stations-first), pairs)
		if err := writeJSON(filepath.Join(dir, "circuits", c.ID+".json"), c); err != nil {
			return nil, err
		}
	}
	return codes, addStaff(filepath.Join(contentDir, "staff.json"), staff)
}

// stationKinds returns the (scenario, rubric) pairs of the demo
// practitioner circuit's stations, and the longest of their scenarios
// with its reading time.
func stationKinds(m *roleplay.Model) ([]roleplay.Station, time.Duration) {
	c, ok := m.Circuits[roleplay.DemoPractitionerCircuit]
	if !ok {
		return nil, 0
	}
	var longest time.Duration
	for _, st := range c.Stations {
		sc := m.Scenarios[st.Scenario]
		longest = max(longest, time.Duration(sc.Duration+sc.ReadingTime))
	}
	return c.Stations, longest
}

// circuit returns circuit k, holding n stations whose assessors are
// 2(first+j) and 2(first+j)+1.
func circuit(p Roleplay, k, first, n int, kinds []roleplay.Station) roleplay.Circuit {
	nc := max(p.Candidates, n)
	c := roleplay.Circuit{ID: fmt.Sprintf("load-circuit-%d", k), Title: fmt.Sprintf("Load circuit %d", k),
		Status: roleplay.StatusPractitioner, Start: p.Start, SlotLength: content.Duration(p.SlotLength),
		LeadAssessor:  LeadID,
		DoubleMarking: roleplay.DoubleMarking{Tolerance: 3, JudgementSteps: 1, Resolution: roleplay.ResolveAverage}}
	for j := range n {
		kind := kinds[(first+j)%len(kinds)]
		a := 2 * (first + j)
		c.Stations = append(c.Stations, roleplay.Station{ID: fmt.Sprintf("S%d", j+1), Scenario: kind.Scenario, Rubric: kind.Rubric,
			Assessors: []string{AssessorID(a), AssessorID(a + 1)}})
	}
	for i := range nc {
		c.Candidates = append(c.Candidates, roleplay.Candidate{ID: fmt.Sprintf("C%d", i+1), Name: fmt.Sprintf("Circuit %d candidate %d", k, i+1)})
	}
	for s := 1; s <= nc; s++ {
		for j := range n {
			c.Schedule = append(c.Schedule, roleplay.Slot{Slot: s, Station: fmt.Sprintf("S%d", j+1), Candidate: fmt.Sprintf("C%d", (j+s-1)%nc+1)})
		}
	}
	return c
}

// copyTree copies the files of fsys matching the patterns into dir.
func copyTree(fsys fs.FS, dir string, patterns ...string) error {
	for _, pat := range patterns {
		files, err := fs.Glob(fsys, pat)
		if err != nil {
			return err
		}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return err
			}
			out := filepath.Join(dir, filepath.FromSlash(path.Dir(f)), path.Base(f))
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// addStaff adds records to a staff.json, replacing any with the same id.
func addStaff(file string, add []content.Staff) error {
	var staff []content.Staff
	b, err := os.ReadFile(file)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &staff); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	staff = slices.DeleteFunc(staff, func(s content.Staff) bool {
		return slices.ContainsFunc(add, func(a content.Staff) bool { return a.ID == s.ID })
	})
	return writeJSON(file, append(staff, add...))
}
