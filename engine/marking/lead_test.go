package marking

import (
	"context"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/engine/roleplay"
)

// TestDiscrepancyFlag double-marks station S1 (rubric rb-home-visit:
// purpose, safety x2, engagement, information, next-steps, each 0..3) for
// each candidate and checks the flag under the demo circuit's rule: station
// scores more than 3 apart, or judgements more than one step apart.
func TestDiscrepancyFlag(t *testing.T) {
	r := newRig(t)
	r.clock.Advance(90 * time.Minute) // 10:35, slot 4
	cases := []struct {
		candidate      string
		liamJ, nadiaJ  int
		liamM, nadiaM  []int
		diff           float64
		steps          int
		scoreF, judgeF bool
	}{
		{"C01", 3, 4, []int{2}, []int{2}, 0, 1, false, false},
		{"C04", 2, 4, []int{2}, []int{2}, 0, 2, false, true},
		{"C03", 3, 3, []int{2}, []int{3, 3, 2}, 3, 0, false, false}, // 12 against 15: not more than 3
		{"C02", 3, 3, []int{2}, []int{3}, 6, 0, true, false},        // 12 against 18
	}
	for _, tc := range cases {
		r.complete(key("S1", tc.candidate, liam), 1, tc.liamJ, tc.liamM...)
		r.complete(key("S1", tc.candidate, nadia), 1, tc.nadiaJ, tc.nadiaM...)
	}
	v, err := r.svc.View(context.Background(), circuitID)
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]bool{}
	for _, f := range v.Flags {
		flagged[f.Candidate] = true
		if f.Station != "S1" || f.Resolution != roleplay.ResolveThirdMarker || f.Resolved != nil || len(f.Sheets) != 2 {
			t.Errorf("flag %+v", f)
		}
	}
	for _, tc := range cases {
		d := cellOf(t, v, "S1", tc.candidate).Discrepancy
		if d == nil {
			t.Errorf("%s: no discrepancy computed", tc.candidate)
			continue
		}
		if !scalar.EqualWithinAbsOrRel(d.ScoreDiff, tc.diff, 1e-12, 1e-12) || d.JudgementSteps != tc.steps ||
			d.ScoreFlag != tc.scoreF || d.JudgementFlag != tc.judgeF || d.Flagged != (tc.scoreF || tc.judgeF) {
			t.Errorf("%s: %+v, want diff %g steps %d flags %v %v", tc.candidate, *d, tc.diff, tc.steps, tc.scoreF, tc.judgeF)
		}
		if flagged[tc.candidate] != (tc.scoreF || tc.judgeF) {
			t.Errorf("%s: in flags %v", tc.candidate, flagged[tc.candidate])
		}
	}
	if v.Submitted != 8 || v.Expected != 20 || v.CurrentSlot != 4 {
		t.Errorf("progress %d/%d, slot %d; want 8/20 in slot 4", v.Submitted, v.Expected, v.CurrentSlot)
	}
}

// TestThirdMarkerResolves: the third marker's submitted sheet settles the
// flagged station (scoring/rpscore.Resolve: averaged with the closer of
// the two original scores).
func TestThirdMarkerResolves(t *testing.T) {
	r := newRig(t)
	r.complete(key("S1", "C01", liam), 1, 2, 2)  // score 12
	r.complete(key("S1", "C01", nadia), 1, 4, 3) // score 18
	v, err := r.svc.View(context.Background(), circuitID)
	if err != nil {
		t.Fatal(err)
	}
	if f := v.Flags[0]; f.Resolver != nil || len(f.ThirdMarkers) != 4 || f.ThirdMarkers[0].Name != "Helen Price" {
		t.Fatalf("flag before a third marker is assigned: %+v", f) // anyone but liam and nadia, by name
	}
	r.assign("S1", "C01", helen)
	r.complete(key("S1", "C01", helen), 1, 4, 3) // score 18: closer to nadia
	v, err = r.svc.View(context.Background(), circuitID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Flags) != 1 || v.Flags[0].Resolver == nil || v.Flags[0].Resolver.Assessor != helen || v.Flags[0].Resolved == nil {
		t.Fatalf("flags %+v", v.Flags)
	}
	if got := *v.Flags[0].Resolved; !scalar.EqualWithinAbsOrRel(got, 18, 1e-12, 1e-12) {
		t.Errorf("resolved score %g, want 18", got)
	}
}

// TestLateAndMissing: once slot 1 and its grace are over, a started sheet
// is late and one never started is missing.
func TestLateAndMissing(t *testing.T) {
	r := newRig(t) // 09:05, slot 1
	r.complete(key("S1", "C01", liam), 1, 3, 2)
	r.must(key("S1", "C01", nadia), roleplay.Change{By: nadia, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 2})
	count := func() (late, missing []string) {
		v, err := r.svc.View(context.Background(), circuitID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range v.Late {
			late = append(late, s.Station+"/"+s.Assessor)
		}
		for _, s := range v.Missing {
			missing = append(missing, s.Station+"/"+s.Assessor)
		}
		return late, missing
	}
	r.clock.Advance(30 * time.Minute) // 09:35: slot 1 over, grace not
	if late, missing := count(); len(late)+len(missing) != 0 {
		t.Errorf("within the grace: late %v missing %v", late, missing)
	}
	r.clock.Advance(6 * time.Minute) // 09:41
	late, missing := count()
	if len(late) != 1 || late[0] != "S1/"+nadia {
		t.Errorf("late %v, want S1/%s", late, nadia)
	}
	want := []string{"S2/ASR-PETRA", "S2/ASR-KOFI", "S3/" + helen}
	if len(missing) != len(want) {
		t.Fatalf("missing %v, want %v", missing, want)
	}
	for i := range want {
		if missing[i] != want[i] {
			t.Errorf("missing %v, want %v", missing, want)
		}
	}
}

func cellOf(t *testing.T, v LeadView, station, candidate string) LeadCell {
	t.Helper()
	for _, s := range v.Slots {
		for _, c := range s.Stations {
			if c.Station == station && c.Candidate == candidate {
				return c
			}
		}
	}
	t.Fatalf("no cell %s/%s", station, candidate)
	return LeadCell{}
}
