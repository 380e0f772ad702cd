package marking

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/engine/roleplay"
)

// TestResultsAveraged: on a circuit whose flagged stations are settled by
// averaging, a flagged station is settled from its two sheets alone, with
// no lead's or third marker's sheet looked for.
func TestResultsAveraged(t *testing.T) {
	r := newRig(t)
	r.model.Circuits[circuitID].DoubleMarking.Resolution = roleplay.ResolveAverage
	r.clock.Advance(90 * time.Minute)
	r.complete(key("S1", "C01", liam), 1, 3, 2)  // 12
	r.complete(key("S1", "C01", nadia), 1, 3, 3) // 18: 6 apart, flagged
	res, err := r.svc.Results(context.Background(), circuitID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Stations) != 1 || res.Stations[0].Station != "S1" || res.Stations[0].Rule != roleplay.ResolveAverage {
		t.Fatalf("stations %+v, unsettled %+v: want S1/C01 settled by averaging", res.Stations, res.Unsettled)
	}
}

// TestResults scores the demo circuit from its stored sheets: a flagged
// station settled by the third marker (rb-home-visit: five criteria 0..3,
// safety weighted 2, so all 2s score 12 and all 3s score 18), a station
// waiting for a sheet, a single-marked station, and the element score of
// the one candidate whose every station is settled.
func TestResults(t *testing.T) {
	r := newRig(t)
	r.clock.Advance(90 * time.Minute) // slot 4
	ctx := context.Background()
	r.complete(key("S1", "C01", liam), 1, 3, 2)  // 12
	r.complete(key("S1", "C01", nadia), 1, 3, 3) // 18: 6 apart, flagged
	r.complete(key("S1", "C02", liam), 1, 3, 2)
	r.complete(key("S2", "C01", petra), 1, 4, 2)
	r.complete(key("S2", "C01", "ASR-KOFI"), 1, 4, 2)
	r.complete(key("S3", "C01", helen), 1, 2, 1)

	res, err := r.svc.Results(ctx, circuitID)
	if err != nil {
		t.Fatal(err)
	}
	unsettled := map[string]string{}
	for _, u := range res.Unsettled {
		unsettled[u.Station+"/"+u.Candidate] = u.Reason
	}
	if got := unsettled["S1/C01"]; got != "flagged: waiting for the third marker" {
		t.Errorf("S1/C01 unsettled: %q", got)
	}
	if got := unsettled["S1/C02"]; got != "waiting for the sheet of [ASR-NADIA]" {
		t.Errorf("S1/C02 unsettled: %q", got)
	}
	if len(res.Elements) != 0 {
		t.Errorf("element scores before every station is settled: %+v", res.Elements)
	}

	r.assign("S1", "C01", helen)
	r.complete(key("S1", "C01", helen), 1, 4, 3) // 18: closer to nadia's
	res, err = r.svc.Results(ctx, circuitID)
	if err != nil {
		t.Fatal(err)
	}
	var s1 float64 = -1
	sum := 0.0
	for _, st := range res.Stations {
		if st.Candidate != "C01" {
			t.Errorf("settled %s/%s, which has no complete marking", st.Station, st.Candidate)
			continue
		}
		sum += st.Score.Score
		if st.Station == "S1" {
			s1 = st.Score.Score
			if st.Rule != "third_marker" || strings.Join(st.Basis, ",") != helen+","+nadia {
				t.Errorf("S1/C01 settled by %s on %v", st.Rule, st.Basis)
			}
		}
	}
	if s1 != 18 || len(res.Stations) != 3 {
		t.Fatalf("S1/C01 scores %g; %d stations settled, want 3", s1, len(res.Stations))
	}
	if len(res.Elements) != 1 || res.Elements[0].Candidate != "C01" || !scalar.EqualWithinAbsOrRel(res.Elements[0].Score, sum, 1e-12, 1e-12) {
		t.Errorf("elements %+v, want C01 with %g", res.Elements, sum)
	}
	var b bytes.Buffer
	if err := WriteResults(&b, res, "sheets"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "candidate,station,assessor,score,global" || len(lines) != 7 || lines[1] != "C01,S1,ASR-LIAM,12,3" {
		t.Errorf("sheets CSV:\n%s", b.String()) // the third marker's sheet is not a station assessor's
	}
	b.Reset()
	WriteResults(&b, res, "standard-setting")
	if !strings.HasPrefix(b.String(), "candidate,station,checklist,global\nC01,S1,18,3.5\n") {
		t.Errorf("standard-setting CSV:\n%s", b.String())
	}
}
