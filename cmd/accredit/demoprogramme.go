package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"testing/fstest"
	"time"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/roleplay"
)

// The demo programme: one set of employers, supervisors and people used by
// every page. The current cohort (the demo sitting, today's role-play
// circuits) is in the embedded JSON of engine/content/demo and
// engine/roleplay/demo and in demoPeople; the cohort before it, 300
// people of the programme who were endorsed, booked, sat the past sitting
// and its role-play circuit, is simulated here from seeded generators, so
// that it is the same on every start and nothing large is committed.
// Every person and employer is fictional.

// demoEmployer is an employer of the demo programme and its rollout phase.
type demoEmployer struct {
	ID, Name, Phase, Supervisor string
}

// demoEmployers are the demo programme's employers, in rollout order. The
// pilot and phase 1 employers' people sat the past sitting; the phase 2
// employer's people sit for the first time in the demo sitting.
var demoEmployers = []demoEmployer{
	{"northmoor", "Northmoor Borough Council", "pilot", "Esther Lewis"},
	{"eastholme", "Eastholme County Council", "phase1", "Farid Amini"},
	{"calderbank", "Calderbank City Council", "phase2", "Joanna Pryce"},
}

// The past sitting, its role-play day and circuit: programme events whose
// bookings were made, and attempts and sheets stored, by the seeding.
const (
	pastSitting   = "past-sitting"
	pastDay       = "past-roleplay"
	pastCircuit   = "past-practitioner"
	pastCentre    = "Harbour Street Assessment Centre, Northmoor"
	pastCount     = 300 // candidates of the past sitting, all of whom sat the circuit
	pastDIFItem   = "K-029"
	pastDIFLogits = 1.6 // how much harder the planted item is for the focal age band
	pastWindow    = "2026-autumn"
)

// When the past sitting and its circuit began, and when its people's
// records were made (endorsed and booked): all within the 2026-autumn
// sitting window of the demo's results rules.
var (
	pastScheduled    = time.Date(2026, 9, 15, 9, 30, 0, 0, time.UTC)
	pastCircuitStart = pastScheduled.AddDate(0, 0, 14).Add(-90 * time.Minute)
	pastRecorded     = time.Date(2026, 7, 20, 9, 0, 0, 0, time.UTC)
)

// The age bands of the demo programme's monitoring answers, as the
// people's records hold them. The planted DIF item is harder for the
// oldest band than for the others at the same ability: the fear the
// professional association voiced, which the psychometrician's DIF tab,
// grouping by age band, must find.
const (
	bandUnder25   = "under 25"
	band25to34    = "25-34"
	band35to44    = "35-44"
	band45to54    = "45-54"
	band55andOver = "55 and over"

	pastDIFFocal     = band55andOver
	pastDIFReference = band25to34
)

// pastCandidate is one simulated candidate of the past sitting: a person
// of a pilot or phase 1 employer, their monitoring answers and their
// Rasch ability.
type pastCandidate struct {
	ID, Name, Employer string
	Years              int // with the employer
	Monitoring         programme.Monitoring
	Ability            float64
}

var (
	demoFirstNames = []string{"Aisha", "Bartek", "Carys", "Declan", "Efua", "Fintan", "Gwen", "Hamza", "Imogen", "Jonah",
		"Keira", "Lukas", "Maya", "Niall", "Orla", "Pavel", "Quinn", "Rosa", "Samir", "Tegan", "Uma", "Viktor", "Wren",
		"Yusuf", "Zara", "Ada", "Bilal", "Cerys", "Dominik", "Eshe", "Felix", "Greta", "Hugo", "Ines", "Jude", "Kavya",
		"Leon", "Mirela", "Noor", "Oskar"}
	demoSurnames = []string{"Ashdown", "Brannigan", "Carrow", "Delacourt", "Elstob", "Farrand", "Gilchrist", "Hallam",
		"Iredale", "Jessop", "Kettering", "Lomax", "Marwood", "Nettleton", "Oakhurst", "Pellow", "Quarry", "Rudd",
		"Sowerby", "Thackray", "Upton", "Varley", "Wetherall", "Yeadon", "Abara", "Bhatt", "Czerny", "Dunmore",
		"Eriksen", "Fenwick", "Grzyb", "Haddow", "Ilori", "Juszczak", "Kaur", "Lindqvist", "Mbeki", "Nwosu"}
)

// weighted is a value drawn with a weight.
type weighted struct {
	v string
	w float64
}

// pick draws one value of ws by weight.
func pick(rng *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, x := range ws {
		total += x.w
	}
	u := rng.Float64() * total
	for _, x := range ws {
		if u -= x.w; u < 0 {
			return x.v
		}
	}
	return ws[len(ws)-1].v
}

// The past cohort's monitoring answers are drawn with these weights (a
// little blank, as real answers are); ability does not depend on them.
var (
	pastAgeBands = []weighted{{bandUnder25, 8}, {band25to34, 30}, {band35to44, 25}, {band45to54, 17}, {band55andOver, 20}}
	pastSexes    = []weighted{{"female", 78}, {"male", 20}, {"", 2}}
	pastEthnic   = []weighted{{"white", 70}, {"black", 10}, {"asian", 10}, {"mixed", 5}, {"other", 2}, {"", 3}}
	pastDisabled = []weighted{{"no", 85}, {"yes", 10}, {"", 5}}
)

// pastCandidates returns the past sitting's candidates: names, employers
// (pilot and phase 1), Rasch abilities and monitoring answers, from seeds
// of their own.
func pastCandidates() []pastCandidate {
	rng := rand.New(rand.NewPCG(2026, 915))
	mon := rand.New(rand.NewPCG(2026, 917))
	used := map[string]bool{}
	out := make([]pastCandidate, pastCount)
	for i := range out {
		var name string
		for name == "" || used[name] {
			name = demoFirstNames[rng.IntN(len(demoFirstNames))] + " " + demoSurnames[rng.IntN(len(demoSurnames))]
		}
		used[name] = true
		out[i] = pastCandidate{
			ID:       fmt.Sprintf("p%03d", i+1),
			Name:     name,
			Employer: demoEmployers[i%2].ID,
			Ability:  0.4 + rng.NormFloat64(),
			Monitoring: programme.Monitoring{AgeBand: pick(mon, pastAgeBands), Sex: pick(mon, pastSexes),
				Ethnicity: pick(mon, pastEthnic), Disability: pick(mon, pastDisabled)},
		}
		out[i].Years = 1 + mon.IntN(out[i].maxYears())
	}
	return out
}

// maxYears bounds a candidate's years with their employer by their age band.
func (c pastCandidate) maxYears() int {
	switch c.Monitoring.AgeBand {
	case bandUnder25:
		return 2
	case band25to34:
		return 8
	default:
		return 15
	}
}

// pastCircuitJSON is the past role-play circuit as a model file: the
// demo practitioner circuit's stations and assessors, for every
// candidate of the past sitting in a rotation.
func pastCircuitJSON(cands []pastCandidate) []byte {
	type station struct {
		ID        string   `json:"id"`
		Scenario  string   `json:"scenario"`
		Rubric    string   `json:"rubric"`
		Assessors []string `json:"assessors"`
	}
	stations := []station{
		{"S1", "sc-home-visit", "rb-home-visit", []string{"ASR-LIAM", "ASR-NADIA"}},
		{"S2", "sc-return-interview", "rb-return-interview", []string{"ASR-PETRA", "ASR-KOFI"}},
		{"S3", "sc-case-discussion", "rb-case-discussion", []string{"ASR-HELEN"}},
	}
	c := map[string]any{
		"id": pastCircuit, "title": "Practitioner simulated practice: the past cohort's circuit",
		"status": "practitioner", "start": pastCircuitStart.Format(time.RFC3339),
		"slot_length": "30m", "lead_assessor": "LEAD-IRIS",
		"double_marking": map[string]any{"tolerance": 3, "judgement_steps": 1, "resolution": "average"},
		"stations":       stations,
	}
	var people []roleplay.Candidate
	var schedule []roleplay.Slot
	for _, c := range cands {
		people = append(people, roleplay.Candidate{ID: c.ID, Name: c.Name})
	}
	n := len(cands)
	for slot := 1; slot <= n; slot++ {
		for si, st := range stations {
			schedule = append(schedule, roleplay.Slot{Slot: slot, Station: st.ID, Candidate: cands[(slot-1+si)%n].ID})
		}
	}
	c["candidates"], c["schedule"] = people, schedule
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// withFile returns a copy of fsys with the file name added.
func withFile(fsys fs.FS, name string, data []byte) fs.FS {
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		m[p] = &fstest.MapFile{Data: b, Mode: 0o444}
		return err
	})
	if err != nil {
		panic("demo files: " + err.Error()) // embedded at build time
	}
	m[name] = &fstest.MapFile{Data: data, Mode: 0o444}
	return m
}

// demoRoleplay is the demo role-play model with the past circuit added.
func demoRoleplay() fs.FS {
	return withFile(roleplay.Demo(), "circuits/"+pastCircuit+".json", pastCircuitJSON(pastCandidates()))
}

// raschDifficulties returns the simulated Rasch difficulty of each item,
// in logits, from a seed of its own.
func raschDifficulties(items []string) map[string]float64 {
	rng := rand.New(rand.NewPCG(2026, 29))
	out := make(map[string]float64, len(items))
	for _, id := range items {
		out[id] = math.Round((rng.NormFloat64()*1.0-0.3)*100) / 100
	}
	return out
}

// pCorrect is the Rasch probability that candidate c answers item id
// right, with the planted DIF.
func pCorrect(c pastCandidate, id string, b map[string]float64) float64 {
	d := b[id]
	if id == pastDIFItem && c.Monitoring.AgeBand == pastDIFFocal {
		d += pastDIFLogits
	}
	return 1 / (1 + math.Exp(d-c.Ability))
}
