// Package markingtest holds what the tests of the packages above the
// marking service share when they have role-plays marked on it: a circuit
// of two single-marked stations for a cohort, added to the demo model, and
// a sheet marked and submitted.
package markingtest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/mapfs"
)

// Circuit is a circuit of the demo model's home visit (station S1, marked
// by ASR-LIAM alone) and return interview (S2, ASR-PETRA alone), led by
// LEAD-IRIS, for the practitioner status. Its candidates go round in
// order, 30 minutes a slot: candidate i is at S1 in slot i+1 and at S2 in
// slot i+2.
type Circuit struct {
	File       string // its file's name under circuits/: the name of a demo file replaces that file's circuit
	ID, Title  string
	Start      time.Time // of slot 1
	Candidates []roleplay.Candidate
}

// DemoModelWith returns the demo role-play model with c stored beside (or
// in place of) the demo's circuits.
func DemoModelWith(t testing.TB, c Circuit) *roleplay.Model {
	t.Helper()
	files := fstest.MapFS{}
	mapfs.Copy(t, files, roleplay.Demo(), nil)
	type station struct {
		ID        string   `json:"id"`
		Scenario  string   `json:"scenario"`
		Rubric    string   `json:"rubric"`
		Assessors []string `json:"assessors"`
	}
	stations := []station{{"S1", "sc-home-visit", "rb-home-visit", []string{"ASR-LIAM"}},
		{"S2", "sc-return-interview", "rb-return-interview", []string{"ASR-PETRA"}}}
	var sched []roleplay.Slot
	for i, cand := range c.Candidates {
		for si, st := range stations {
			sched = append(sched, roleplay.Slot{Slot: i + 1 + si, Station: st.ID, Candidate: cand.ID})
		}
	}
	b, err := json.Marshal(map[string]any{"id": c.ID, "title": c.Title, "status": "practitioner",
		"start": c.Start.Format(time.RFC3339), "slot_length": "30m", "lead_assessor": "LEAD-IRIS",
		"stations": stations, "candidates": c.Candidates, "schedule": sched})
	if err != nil {
		t.Fatal(err)
	}
	files["circuits/"+c.File] = &fstest.MapFile{Data: b}
	m, err := roleplay.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// MarkSheet has k's assessor mark every criterion of k's rubric, in
// order, with mark(criterion), give the judgement and submit on mk. It
// stops at the first change refused and says which.
func MarkSheet(ctx context.Context, mk *marking.Service, k roleplay.SheetKey, judgement int, mark func(*roleplay.Criterion) int) error {
	m := mk.Model()
	rb, _ := m.RubricOf(m.Circuits[k.Circuit], k.Station)
	changes := []roleplay.Change{}
	for _, cr := range rb.Criteria() {
		changes = append(changes, roleplay.Change{Kind: roleplay.SetMark, Criterion: cr.ID, Value: mark(cr)})
	}
	changes = append(changes, roleplay.Change{Kind: roleplay.SetJudgement, Value: judgement}, roleplay.Change{Kind: roleplay.Submit})
	for i, ch := range changes {
		ch.By, ch.Seq = k.Assessor, uint64(i+1)
		if _, err := mk.Apply(ctx, k, ch); err != nil {
			return fmt.Errorf("%v %s: %w", k, ch.Kind, err)
		}
	}
	return nil
}
