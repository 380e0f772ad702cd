package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// seedStandardsDemo writes the demo standard-setting study of the past
// sitting into dir, each file unless it is there already: two Angoff
// panels' ratings of its items (panelA.csv, panelB.csv), its candidates'
// scores with their employers' ids (scores.csv) and their scored responses
// (responses.csv, for the SEM and a cut k SEMs off the panels'), both from
// matrix, the sitting's exported response matrix. The ratings come from a
// seeded generator around the items' simulated Rasch difficulties: they
// are demonstration data, not any real panel's judgements.
func seedStandardsDemo(dir string, matrix []byte) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if len(matrix) == 0 {
		return nil
	}
	m, err := respmatrix.Read(bytes.NewReader(matrix), pastSitting+"-responses.csv", respmatrix.Options{})
	if err != nil {
		return err
	}
	if m.NumPersons() < 2 {
		return nil
	}
	employer := map[string]string{}
	for _, c := range pastCandidates() {
		employer[c.ID] = c.Employer
	}
	diff := raschDifficulties(m.Items)
	rng := rand.New(rand.NewPCG(2026, 11))
	files := map[string]string{}
	for _, p := range []struct {
		file   string
		judges int
		bias   float64
	}{{"panelA.csv", 8, 0.02}, {"panelB.csv", 7, -0.01}} {
		var b strings.Builder
		b.WriteString("judge," + strings.Join(m.Items, ",") + "\n")
		for j := range p.judges {
			lean := rng.NormFloat64() * 0.04
			fmt.Fprintf(&b, "%s%d", p.file[5:6], j+1)
			for _, id := range m.Items {
				facility := 1 / (1 + math.Exp(diff[id]-minimallyCompetent))
				r := math.Min(0.98, math.Max(0.05, facility+p.bias+lean+rng.NormFloat64()*0.08))
				fmt.Fprintf(&b, ",%.2f", r)
			}
			b.WriteString("\n")
		}
		files[p.file] = b.String()
	}
	var scores, responses strings.Builder
	scores.WriteString("candidate,score,employer\n")
	responses.WriteString("candidate," + strings.Join(m.Items, ",") + "\n")
	for p, id := range m.Persons {
		total := 0
		responses.WriteString(id)
		for _, c := range m.Row(p) {
			v := 0
			if c == 1 {
				v = 1
			}
			total += v
			fmt.Fprintf(&responses, ",%d", v) // omitted and not presented count as wrong
		}
		responses.WriteString("\n")
		fmt.Fprintf(&scores, "%s,%d,%s\n", id, total, employer[id])
	}
	files["scores.csv"], files["responses.csv"] = scores.String(), responses.String()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		if err := os.WriteFile(path, []byte(body), 0o640); err != nil {
			return err
		}
	}
	return nil
}

// moveDemoCircuits moves the demo role-play circuits, keeping their
// spacing, so that the practitioner circuit's first slot began five
// minutes before now: the assessor page then shows a candidate at the
// station and a running timer rather than a circuit long over. The past
// circuit is not moved.
func moveDemoCircuits(m *roleplay.Model, now time.Time) {
	first, ok := m.Circuits[roleplay.DemoPractitionerCircuit]
	if !ok {
		return
	}
	shift := now.Add(-5 * time.Minute).Truncate(time.Minute).Sub(first.Start)
	for id, c := range m.Circuits {
		if id != pastCircuit { // the past cohort's circuit stays where its bookings say
			c.Start = c.Start.Add(shift)
		}
	}
}
