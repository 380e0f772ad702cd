package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// seedStandardsDemo writes a simulated standard-setting study for the demo
// form into dir, unless dir already holds CSV files: two Angoff panels'
// ratings (panelA.csv, panelB.csv) and simulated candidates' scores with
// their employers (scores.csv). The numbers come from a seeded generator:
// they are demonstration data, not any real panel's judgements.
func seedStandardsDemo(dir string, lib *content.Library) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if existing, _ := filepath.Glob(filepath.Join(dir, "*.csv")); len(existing) > 0 {
		return nil
	}
	var items []string
	for _, f := range sortedForms(lib) {
		for _, s := range f.Sections {
			items = append(items, s.Items...)
		}
		break
	}
	if len(items) < 2 {
		return nil
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	facility := make([]float64, len(items)) // simulated proportion correct for a minimally competent candidate
	for i := range facility {
		facility[i] = 0.35 + 0.5*rng.Float64()
	}
	for _, p := range []struct {
		file   string
		judges int
		bias   float64
	}{{"panelA.csv", 8, 0.02}, {"panelB.csv", 7, -0.01}} {
		var b strings.Builder
		b.WriteString("judge," + strings.Join(items, ",") + "\n")
		for j := range p.judges {
			lean := rng.NormFloat64() * 0.04
			fmt.Fprintf(&b, "%s%d", p.file[5:6], j+1)
			for i := range items {
				r := math.Min(0.98, math.Max(0.05, facility[i]*0.85+p.bias+lean+rng.NormFloat64()*0.08))
				fmt.Fprintf(&b, ",%.2f", r)
			}
			b.WriteString("\n")
		}
		if err := os.WriteFile(filepath.Join(dir, p.file), []byte(b.String()), 0o640); err != nil {
			return err
		}
	}
	employers := []string{"Northmoor Council", "Eastvale Borough", "Southfield City", "Westbrook County"}
	var b strings.Builder
	b.WriteString("candidate,score,employer\n")
	for c := range 160 {
		ability := rng.NormFloat64()*1.1 + 0.6
		score := 0
		for i := range items {
			difficulty := math.Log((1 - facility[i]) / facility[i])
			if rng.Float64() < 1/(1+math.Exp(difficulty-ability)) {
				score++
			}
		}
		fmt.Fprintf(&b, "sim-%03d,%d,%s\n", c+1, score, employers[c%len(employers)])
	}
	return os.WriteFile(filepath.Join(dir, "scores.csv"), []byte(b.String()), 0o640)
}

func sortedForms(lib *content.Library) []*content.Form {
	ids := make([]string, 0, len(lib.Forms))
	for id, f := range lib.Forms {
		if f.Status == content.StatusLive {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]*content.Form, len(ids))
	for i, id := range ids {
		out[i] = lib.Forms[id]
	}
	return out
}

// moveDemoCircuits moves the demo role-play circuits, keeping their
// spacing, so that the practitioner circuit's first slot began five
// minutes before now: the assessor page then shows a candidate at the
// station and a running timer rather than a circuit long over.
func moveDemoCircuits(m *roleplay.Model, now time.Time) {
	first, ok := m.Circuits[roleplay.DemoPractitionerCircuit]
	if !ok {
		return
	}
	shift := now.Add(-5 * time.Minute).Truncate(time.Minute).Sub(first.Start)
	for _, c := range m.Circuits {
		c.Start = c.Start.Add(shift)
	}
}
