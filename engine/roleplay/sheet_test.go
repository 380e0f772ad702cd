package roleplay

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// TestSheetExactlyOnce sends a seeded random stream of changes, with
// re-sends and reordering as an offline queue produces them, and checks
// that every re-send is ignored and that the log rebuilds the same sheet.
func TestSheetExactlyOnce(t *testing.T) {
	m := loadDemo(t)
	key := SheetKey{DemoPractitionerCircuit, "S2", "C01", "ASR-PETRA"}
	rng := rand.New(rand.NewPCG(3, 14))
	for run := range 50 {
		s, err := NewSheet(m, key, Primary)
		if err != nil {
			t.Fatal(err)
		}
		crit := s.Rubric().Criteria()
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		var sent []Change
		for seq := uint64(1); seq <= 40; seq++ {
			c := Change{By: key.Assessor, Seq: seq, Kind: SetMark,
				Criterion: crit[rng.IntN(len(crit))].ID, Value: rng.IntN(5) - 1}
			if rng.IntN(4) == 0 {
				c = Change{By: key.Assessor, Seq: seq, Kind: SetJudgement, Value: rng.IntN(6)}
			}
			sent = append(sent, c)
			now = now.Add(time.Second)
			s.Apply(c, now)
			if rng.IntN(3) == 0 { // re-send an earlier change
				old := sent[rng.IntN(len(sent))]
				before := s.State()
				res, err := s.Apply(old, now)
				if res.Applied || !reflect.DeepEqual(before, s.State()) {
					t.Fatalf("run %d: re-send of %d changed the sheet (err %v)", run, old.Seq, err)
				}
			}
		}
		r, err := Restore(m, key, Primary, s.Log())
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if !reflect.DeepEqual(r.State(), s.State()) {
			t.Fatalf("run %d: restored state differs", run)
		}
	}
}

func TestSheetStateIsACopy(t *testing.T) {
	m := loadDemo(t)
	s, err := NewSheet(m, SheetKey{DemoPractitionerCircuit, "S3", "C01", "ASR-HELEN"}, Primary)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(Change{By: "ASR-HELEN", Seq: 1, Kind: SetMark, Criterion: "summary", Value: 2}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	st := s.State()
	st.Marks["summary"] = 0
	if s.State().Marks["summary"] != 2 {
		t.Error("State shares its map with the sheet")
	}
}
