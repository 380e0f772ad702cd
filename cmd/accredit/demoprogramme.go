package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"strings"
	"testing/fstest"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// The demo programme: one set of employers, supervisors and people used by
// every page. The current cohort (the demo sitting, today's role-play
// circuits) is in the embedded JSON of engine/content/demo and
// engine/roleplay/demo; the cohort before it, who sat the past sitting
// and its role-play circuit, is simulated here from seeded generators, so
// that it is the same on every start and nothing large is committed.
// Every person and employer is fictional.

// demoEmployer is an employer of the demo programme and its rollout phase.
type demoEmployer struct {
	Name, Phase, Supervisor string
}

// demoEmployers are the demo programme's employers, in rollout order. The
// pilot and phase 1 employers' people sat the past sitting; the phase 2
// employer's people sit for the first time in the demo sitting.
var demoEmployers = []demoEmployer{
	{"Northmoor Borough Council", "pilot", "Esther Lewis"},
	{"Eastholme County Council", "phase1", "Farid Amini"},
	{"Calderbank City Council", "phase2", "Joanna Pryce"},
}

// The past sitting and its circuit.
const (
	pastSitting   = "past-sitting"
	pastCircuit   = "past-practitioner"
	pastCentre    = "Harbour Street Assessment Centre, Northmoor"
	pastCount     = 300 // candidates of the past sitting
	pastCircuitN  = 24  // of whom the first so many sat the role-play circuit
	pastDIFItem   = "K-029"
	pastDIFLogits = 1.6 // how much harder the planted item is for the focal employer
)

var pastScheduled = time.Date(2026, 9, 15, 9, 30, 0, 0, time.UTC)

// pastDIFFocal is the employer for whom pastDIFItem is planted harder; the
// programme's content model has no age band, so the planted DIF is by
// employer, the grouping the psychometrician's page compares.
var pastDIFFocal = demoEmployers[1].Name

// pastCandidate is one simulated candidate of the past sitting.
type pastCandidate struct {
	content.Candidate
	Ability float64
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

// pastCandidates returns the past sitting's candidates: names, employers
// (pilot and phase 1), access codes and Rasch abilities, all from one seed.
func pastCandidates() []pastCandidate {
	rng := rand.New(rand.NewPCG(2026, 915))
	used := map[string]bool{}
	out := make([]pastCandidate, pastCount)
	for i := range out {
		var name string
		for name == "" || used[name] {
			name = demoFirstNames[rng.IntN(len(demoFirstNames))] + " " + demoSurnames[rng.IntN(len(demoSurnames))]
		}
		used[name] = true
		out[i] = pastCandidate{
			Candidate: content.Candidate{
				ID:         fmt.Sprintf("p%03d", i+1),
				Name:       name,
				Employer:   demoEmployers[i%2].Name,
				AccessCode: demoCode(rng, used),
			},
			Ability: 0.4 + rng.NormFloat64(),
		}
	}
	return out
}

// demoCode returns a fresh access code "PS-XXXX-XXXX" that content's code
// rules accept: letters and digits, no runs, several distinct characters.
func demoCode(rng *rand.Rand, used map[string]bool) string {
	const alphabet = "ACEFHJKMNPRTWXY3479"
	for {
		var b strings.Builder
		for range 8 {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		code := "PS-" + s[:4] + "-" + s[4:]
		if !used[code] && content.CheckCode(code) == "" {
			used[code] = true
			return code
		}
	}
}

// pastSittingJSON is the past sitting as a content file.
func pastSittingJSON(cands []pastCandidate) []byte {
	s := content.Sitting{ID: pastSitting, Form: "demo-form", Centre: pastCentre, Scheduled: pastScheduled}
	for _, c := range cands {
		s.Candidates = append(s.Candidates, c.Candidate)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // a sitting always encodes
	}
	return b
}

// pastCircuitJSON is the past role-play circuit as a model file: the
// demo practitioner circuit's stations and assessors, for the first
// pastCircuitN candidates of the past sitting in a rotation.
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
		"status": "practitioner", "start": pastScheduled.AddDate(0, 0, 14).Add(-90 * time.Minute).Format(time.RFC3339),
		"slot_length": "30m", "lead_assessor": "LEAD-IRIS",
		"double_marking": map[string]any{"tolerance": 3, "judgement_steps": 1, "resolution": "third_marker"},
		"stations":       stations,
	}
	var people []roleplay.Candidate
	var schedule []roleplay.Slot
	for i := range pastCircuitN {
		people = append(people, roleplay.Candidate{ID: cands[i].ID, Name: cands[i].Name})
	}
	for slot := 1; slot <= pastCircuitN; slot++ {
		for si, st := range stations {
			schedule = append(schedule, roleplay.Slot{Slot: slot, Station: st.ID, Candidate: cands[(slot-1+si)%pastCircuitN].ID})
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

// demoContent is the demo content tree with the past sitting added.
func demoContent() fs.FS {
	return withFile(content.Demo(), "sittings/"+pastSitting+".json", pastSittingJSON(pastCandidates()))
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
	if id == pastDIFItem && c.Employer == pastDIFFocal {
		d += pastDIFLogits
	}
	return 1 / (1 + math.Exp(d-c.Ability))
}
